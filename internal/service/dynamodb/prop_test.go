package dynamodb_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/fogtest"
)

// The property test: random tables, items, Query key conditions and
// FilterExpressions, run against the server through the SDK and against
// the model of prop_model_test.go, comparing whole result sets (all pages).

const (
	// propScenarios is the number of random tables per run.
	propScenarios = 30
	// propSeedEnv replays a run: set it to the seed a failure printed and
	// run -run 'TestPropertyQueryScan/seed=<seed>$'.
	propSeedEnv = "FOGBANK_PROP_SEED"
	// propDefaultSeed makes runs deterministic.
	propDefaultSeed = 20250105
)

// dataAttrs are the non-key attributes items may have; filters use them.
var dataAttrs = []string{"a", "b", "c", "d"}

func TestPropertyQueryScan(t *testing.T) {
	t.Parallel()
	seed := uint64(propDefaultSeed)
	if s := os.Getenv(propSeedEnv); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", propSeedEnv, s, err)
		}
		seed = n
	}
	ddb := fogtest.Start(t).DynamoDB()
	for i := range uint64(propScenarios) {
		s := seed + i
		t.Run(fmt.Sprintf("seed=%d", s), func(t *testing.T) {
			sc := newScenario(s)
			table := fmt.Sprintf("prop-%d", s)
			if err := sc.load(t.Context(), ddb, table); err != nil {
				t.Fatalf("%s: load: %v", sc, err)
			}
			for range 10 {
				sc.checkQuery(t, ddb, table, sc.query())
			}
			for range 4 {
				sc.checkScan(t, ddb, table, sc.scan())
			}
			if t.Failed() {
				t.Logf("replay: %s=%d go test -run 'TestPropertyQueryScan/seed=%d$'", propSeedEnv, s, s)
			}
		})
	}
}

// keyDef is one key attribute; an empty name means none.
type keyDef struct{ name, typ string }

// gsiDef is the scenario's global secondary index "gsi".
type gsiDef struct {
	hash, rng keyDef
	proj      types.ProjectionType
}

// includeAttrs are the non-key attributes an INCLUDE projection keeps.
var includeAttrs = []string{"a", "b"}

// scenario is one random table: schema, key value pools and items.
type scenario struct {
	seed      uint64
	r         *rand.Rand
	hash, rng keyDef
	gsi       *gsiDef
	pools     map[string][]types.AttributeValue // key attribute name to its values
	items     []item
}

var scalarTypes = []string{"S", "N", "B"}

func newScenario(seed uint64) *scenario {
	s := &scenario{seed: seed, r: rand.New(rand.NewPCG(seed, 0x5eed)), pools: map[string][]types.AttributeValue{}}
	s.hash = keyDef{"pk", s.pick(scalarTypes)}
	if s.r.IntN(10) < 7 {
		s.rng = keyDef{"sk", s.pick(scalarTypes)}
	}
	if s.r.IntN(10) < 6 {
		s.gsi = &gsiDef{hash: keyDef{"gh", s.pick(scalarTypes)}, proj: []types.ProjectionType{
			types.ProjectionTypeAll, types.ProjectionTypeKeysOnly, types.ProjectionTypeInclude}[s.r.IntN(3)]}
		if s.r.IntN(10) < 6 {
			s.gsi.rng = keyDef{"gr", s.pick(scalarTypes)}
		}
	}
	hashValues := 40 // a hash-only table needs many for many items
	if s.rng.name != "" {
		hashValues = 3
	}
	for _, k := range []struct {
		def keyDef
		n   int
	}{{s.hash, hashValues}, {s.rng, 25}, {s.gsiKey(false), 3}, {s.gsiKey(true), 10}} {
		if k.def.name != "" {
			s.pools[k.def.name] = s.distinctKeys(k.def.typ, k.n)
		}
	}
	s.items = s.genItems(30 + s.r.IntN(60))
	return s
}

// gsiKey returns the GSI's hash (or range) key; none without a GSI.
func (s *scenario) gsiKey(rng bool) keyDef {
	switch {
	case s.gsi == nil:
		return keyDef{}
	case rng:
		return s.gsi.rng
	}
	return s.gsi.hash
}

func (s *scenario) String() string {
	gsi := "none"
	if s.gsi != nil {
		gsi = fmt.Sprintf("%v/%v %s", s.gsi.hash, s.gsi.rng, s.gsi.proj)
	}
	return fmt.Sprintf("seed %d: table %v/%v, gsi %s, %d items", s.seed, s.hash, s.rng, gsi, len(s.items))
}

func pick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }

func (s *scenario) pick(from []string) string { return pick(s.r, from) }

// distinctKeys returns n distinct non-empty values of type typ.
func (s *scenario) distinctKeys(typ string, n int) []types.AttributeValue {
	var out []types.AttributeValue
	seen := map[string]bool{}
	for len(out) < n {
		v := s.scalar(typ, true)
		if !seen[canon(v)] {
			seen[canon(v)] = true
			out = append(out, v)
		}
	}
	return out
}

// Alphabets of generated strings and binaries: ASCII, accents, the last
// BMP code point and an astral one (UTF-8 and UTF-16 order them
// differently), and bytes that differ between signed and unsigned order.
var (
	strRunes = []string{"a", "b", "A", "0", " ", "é", "\uffff", "😀"}
	binBytes = []byte{0x00, 0x01, 0x7f, 0x80, 0xff}
)

// scalar returns a random S, N or B value; key values are never empty.
func (s *scenario) scalar(typ string, key bool) types.AttributeValue {
	minLen := 0
	if key {
		minLen = 1
	}
	switch typ {
	case "S":
		var sb strings.Builder
		for range minLen + s.r.IntN(4) {
			sb.WriteString(s.pick(strRunes))
		}
		return &types.AttributeValueMemberS{Value: sb.String()}
	case "N":
		return &types.AttributeValueMemberN{Value: s.number()}
	}
	b := make([]byte, minLen+s.r.IntN(3))
	for i := range b {
		b[i] = pick(s.r, binBytes)
	}
	return &types.AttributeValueMemberB{Value: b}
}

// number returns a canonical decimal: a small integer, or up to 38
// significant digits with the point anywhere from 5 places left of them to
// 5 places right, negative half the time.
func (s *scenario) number() string {
	if s.r.IntN(3) == 0 {
		return strconv.Itoa(s.r.IntN(7) - 3)
	}
	digits := make([]byte, 1+s.r.IntN(38))
	for i := range digits {
		digits[i] = byte('0' + s.r.IntN(10))
	}
	digits[0] = byte('1' + s.r.IntN(9))
	digits[len(digits)-1] = byte('1' + s.r.IntN(9))
	m := string(digits)
	point := s.r.IntN(len(m)+11) - 5 // digits before the decimal point
	var out string
	switch {
	case point <= 0:
		out = "0." + strings.Repeat("0", -point) + m
	case point >= len(m):
		out = m + strings.Repeat("0", point-len(m))
	default:
		out = m[:point] + "." + m[point:]
	}
	if s.r.IntN(2) == 0 {
		out = "-" + out
	}
	return out
}

// value returns a random value of any type; depth bounds nesting.
func (s *scenario) value(depth int) types.AttributeValue {
	kinds := []string{"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS"}
	if depth > 0 {
		kinds = append(kinds, "L", "M")
	}
	switch k := s.pick(kinds); k {
	case "S", "N", "B":
		return s.scalar(k, false)
	case "BOOL":
		return &types.AttributeValueMemberBOOL{Value: s.r.IntN(2) == 0}
	case "NULL":
		return &types.AttributeValueMemberNULL{Value: true}
	case "SS", "NS", "BS":
		return s.set(k)
	case "L":
		l := make([]types.AttributeValue, s.r.IntN(4))
		for i := range l {
			l[i] = s.value(depth - 1)
		}
		return &types.AttributeValueMemberL{Value: l}
	}
	m := map[string]types.AttributeValue{}
	for range s.r.IntN(3) {
		m[s.pick(dataAttrs)] = s.value(depth - 1)
	}
	return &types.AttributeValueMemberM{Value: m}
}

// set returns a non-empty SS, NS or BS.
func (s *scenario) set(kind string) types.AttributeValue {
	members := s.distinctKeys(kind[:1], 1+s.r.IntN(3))
	switch kind {
	case "SS":
		out := &types.AttributeValueMemberSS{}
		for _, m := range members {
			out.Value = append(out.Value, m.(*types.AttributeValueMemberS).Value)
		}
		return out
	case "NS":
		out := &types.AttributeValueMemberNS{}
		for _, m := range members {
			out.Value = append(out.Value, m.(*types.AttributeValueMemberN).Value)
		}
		return out
	}
	out := &types.AttributeValueMemberBS{}
	for _, m := range members {
		out.Value = append(out.Value, m.(*types.AttributeValueMemberB).Value)
	}
	return out
}

// genItems returns up to n items with distinct table keys.
func (s *scenario) genItems(n int) []item {
	var out []item
	seen := map[string]bool{}
	for range n {
		it := item{s.hash.name: pick(s.r, s.pools[s.hash.name])}
		if s.rng.name != "" {
			it[s.rng.name] = pick(s.r, s.pools[s.rng.name])
		}
		if k := canonItem(it); seen[k] {
			continue
		} else {
			seen[k] = true
		}
		for _, k := range []keyDef{s.gsiKey(false), s.gsiKey(true)} {
			if k.name != "" && s.r.IntN(4) > 0 {
				it[k.name] = pick(s.r, s.pools[k.name])
			}
		}
		for _, a := range dataAttrs {
			if s.r.IntN(4) > 0 {
				it[a] = s.value(2)
			}
		}
		out = append(out, it)
	}
	return out
}

// load creates the table and writes the items, 25 per BatchWriteItem.
func (s *scenario) load(ctx context.Context, ddb *dynamodb.Client, table string) error {
	in := &dynamodb.CreateTableInput{TableName: aws.String(table), BillingMode: types.BillingModePayPerRequest}
	in.KeySchema, in.AttributeDefinitions = keySchema(s.hash, s.rng, nil)
	if g := s.gsi; g != nil {
		ks, defs := keySchema(g.hash, g.rng, in.AttributeDefinitions)
		in.AttributeDefinitions = defs
		proj := &types.Projection{ProjectionType: g.proj}
		if g.proj == types.ProjectionTypeInclude {
			proj.NonKeyAttributes = includeAttrs
		}
		in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{{IndexName: aws.String("gsi"), KeySchema: ks, Projection: proj}}
	}
	if _, err := ddb.CreateTable(ctx, in); err != nil {
		return err
	}
	for start := 0; start < len(s.items); start += 25 {
		var reqs []types.WriteRequest
		for _, it := range s.items[start:min(start+25, len(s.items))] {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: it}})
		}
		out, err := ddb.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs}})
		if err != nil {
			return err
		}
		if len(out.UnprocessedItems) > 0 {
			return fmt.Errorf("unprocessed items")
		}
	}
	return nil
}

// keySchema returns the key schema of hash and rng and defs plus their
// attribute definitions.
func keySchema(hash, rng keyDef, defs []types.AttributeDefinition) ([]types.KeySchemaElement, []types.AttributeDefinition) {
	ks := []types.KeySchemaElement{{AttributeName: aws.String(hash.name), KeyType: types.KeyTypeHash}}
	defs = append(defs, types.AttributeDefinition{AttributeName: aws.String(hash.name), AttributeType: types.ScalarAttributeType(hash.typ)})
	if rng.name != "" {
		ks = append(ks, types.KeySchemaElement{AttributeName: aws.String(rng.name), KeyType: types.KeyTypeRange})
		defs = append(defs, types.AttributeDefinition{AttributeName: aws.String(rng.name), AttributeType: types.ScalarAttributeType(rng.typ)})
	}
	return ks, defs
}

// target returns the items a read of the table or the GSI sees: for the
// GSI, the items with both index keys, projected.
func (s *scenario) target(index bool) []item {
	if !index {
		return s.items
	}
	var out []item
	for _, it := range s.items {
		if _, ok := it[s.gsi.hash.name]; !ok {
			continue
		}
		if _, ok := it[s.gsi.rng.name]; s.gsi.rng.name != "" && !ok {
			continue
		}
		out = append(out, s.project(it))
	}
	return out
}

// project returns the attributes of it that the GSI stores.
func (s *scenario) project(it item) item {
	if s.gsi.proj == types.ProjectionTypeAll {
		return it
	}
	keep := []string{s.hash.name, s.rng.name, s.gsi.hash.name, s.gsi.rng.name}
	if s.gsi.proj == types.ProjectionTypeInclude {
		keep = append(keep, includeAttrs...)
	}
	out := item{}
	for _, name := range keep {
		if v, ok := it[name]; ok {
			out[name] = v
		}
	}
	return out
}

// keys returns the hash and range key of the table or the GSI.
func (s *scenario) keys(index bool) (keyDef, keyDef) {
	if index {
		return s.gsi.hash, s.gsi.rng
	}
	return s.hash, s.rng
}

// keyValue returns a value for key attribute k: mostly one items use.
func (s *scenario) keyValue(k keyDef) types.AttributeValue {
	if s.r.IntN(10) < 9 {
		return pick(s.r, s.pools[k.name])
	}
	return s.scalar(k.typ, true)
}

// sortCond is a Query's sort key condition.
type sortCond struct {
	op   string // =, <, <=, >, >=, BETWEEN, begins_with
	vals []types.AttributeValue
}

func (c *sortCond) holds(v types.AttributeValue) bool {
	switch c.op {
	case "BETWEEN":
		return evalCompare(">=", v, true, c.vals[0]) && evalCompare("<=", v, true, c.vals[1])
	case "begins_with":
		return beginsWith(v, c.vals[0])
	}
	return evalCompare(c.op, v, true, c.vals[0])
}

// queryCase is one random Query.
type queryCase struct {
	index   bool
	hashVal types.AttributeValue
	sort    *sortCond // nil: the whole partition
	filter  *filterNode
	limit   int32 // 0: none
	forward bool
}

func (s *scenario) query() queryCase {
	q := queryCase{index: s.gsi != nil && s.r.IntN(2) == 0, forward: s.r.IntN(2) == 0, limit: s.limit()}
	hash, rng := s.keys(q.index)
	q.hashVal = s.keyValue(hash)
	if rng.name != "" && s.r.IntN(4) > 0 {
		q.sort = s.sortCond(rng)
	}
	if s.r.IntN(3) > 0 {
		q.filter = s.filter(2, dataAttrs)
	}
	return q
}

// limit returns no limit a third of the time, else 1 to 9.
func (s *scenario) limit() int32 {
	if s.r.IntN(3) == 0 {
		return 0
	}
	return int32(1 + s.r.IntN(9))
}

func (s *scenario) sortCond(k keyDef) *sortCond {
	ops := []string{"=", "<", "<=", ">", ">=", "BETWEEN"}
	if k.typ != "N" {
		ops = append(ops, "begins_with")
	}
	c := &sortCond{op: s.pick(ops), vals: []types.AttributeValue{s.keyValue(k)}}
	switch c.op {
	case "BETWEEN":
		c.vals = append(c.vals, s.keyValue(k))
		if n, _ := compareScalars(c.vals[0], c.vals[1]); n > 0 {
			c.vals[0], c.vals[1] = c.vals[1], c.vals[0]
		}
	case "begins_with":
		c.vals[0] = s.prefix(c.vals[0])
	}
	return c
}

// prefix returns a non-empty prefix of an S or B value.
func (s *scenario) prefix(v types.AttributeValue) types.AttributeValue {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		if n := len([]rune(x.Value)); n > 0 {
			return &types.AttributeValueMemberS{Value: runePrefix(x.Value, 1+s.r.IntN(n))}
		}
	case *types.AttributeValueMemberB:
		if len(x.Value) > 0 {
			return &types.AttributeValueMemberB{Value: x.Value[:1+s.r.IntN(len(x.Value))]}
		}
	}
	return s.scalar(s.pick([]string{"S", "B"}), true)
}

// filter returns a random filter over paths; depth bounds AND/OR/NOT.
func (s *scenario) filter(depth int, paths []string) *filterNode {
	if depth > 0 && s.r.IntN(3) == 0 {
		kind := s.pick([]string{fAnd, fOr, fNot})
		f := &filterNode{kind: kind, kids: []*filterNode{s.filter(depth-1, paths)}}
		if kind != fNot {
			f.kids = append(f.kids, s.filter(depth-1, paths))
		}
		return f
	}
	path := s.pick(paths)
	existing := s.existing(path)
	f := &filterNode{path: path, kind: s.pick([]string{fCompare, fCompare, fSize, fBetween, fIn, fBeginsWith, fContains, fExists, fNotExists, fType})}
	switch f.kind {
	case fCompare:
		f.op = s.pick([]string{"=", "<>", "<", "<=", ">", ">="})
		f.vals = []types.AttributeValue{s.operand(existing, f.op == "=" || f.op == "<>")}
	case fSize:
		f.op = s.pick([]string{"=", "<>", "<", "<=", ">", ">="})
		f.vals = []types.AttributeValue{&types.AttributeValueMemberN{Value: strconv.Itoa(s.r.IntN(5))}}
	case fBetween:
		f.vals = s.bounds(existing)
	case fIn:
		for range 1 + s.r.IntN(4) {
			f.vals = append(f.vals, s.operand(existing, true))
		}
	case fBeginsWith:
		f.vals = []types.AttributeValue{s.prefix(existing)}
	case fContains:
		f.vals = []types.AttributeValue{s.member(existing)}
	case fType:
		f.vals = []types.AttributeValue{&types.AttributeValueMemberS{Value: s.pick([]string{"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"})}}
	}
	return f
}

// existing returns the value of path in a random item, or nil.
func (s *scenario) existing(path string) types.AttributeValue {
	if len(s.items) == 0 {
		return nil
	}
	return pick(s.r, s.items)[path]
}

// operand returns a comparison operand: the existing value v (when set
// and usable) or a random one; only S, N or B unless anyType.
func (s *scenario) operand(v types.AttributeValue, anyType bool) types.AttributeValue {
	if v != nil && s.r.IntN(5) < 3 {
		if _, scalar := compareScalars(v, v); anyType || scalar {
			return v
		}
	}
	if anyType {
		return s.value(1)
	}
	return s.scalar(s.pick(scalarTypes), false)
}

// bounds returns two BETWEEN bounds of one scalar type, low first.
func (s *scenario) bounds(v types.AttributeValue) []types.AttributeValue {
	typ := s.pick(scalarTypes)
	if _, scalar := compareScalars(v, v); scalar && s.r.IntN(2) == 0 {
		typ = typeOf(v)
	}
	lo, hi := s.operand(v, false), s.scalar(typ, false)
	if typeOf(lo) != typ {
		lo = s.scalar(typ, false)
	}
	if c, _ := compareScalars(lo, hi); c > 0 {
		lo, hi = hi, lo
	}
	return []types.AttributeValue{lo, hi}
}

// member returns a contains() operand (S or N): part of v when it has one.
func (s *scenario) member(v types.AttributeValue) types.AttributeValue {
	if s.r.IntN(3) > 0 {
		switch x := v.(type) {
		case *types.AttributeValueMemberS:
			if x.Value != "" {
				return s.prefix(x)
			}
		case *types.AttributeValueMemberSS:
			return &types.AttributeValueMemberS{Value: pick(s.r, x.Value)}
		case *types.AttributeValueMemberNS:
			return &types.AttributeValueMemberN{Value: pick(s.r, x.Value)}
		}
	}
	return s.scalar(s.pick([]string{"S", "N"}), true)
}

// checkQuery runs q through the SDK, all pages, and compares with the model.
func (s *scenario) checkQuery(t *testing.T, ddb *dynamodb.Client, table string, q queryCase) {
	t.Helper()
	in, p := s.queryInput(table, q)
	hash, rng := s.keys(q.index)
	var want []item
	for _, it := range s.target(q.index) {
		if equalValues(it[hash.name], q.hashVal) && (q.sort == nil || q.sort.holds(it[rng.name])) {
			want = append(want, it)
		}
	}
	slices.SortStableFunc(want, func(a, b item) int { c, _ := compareScalars(a[rng.name], b[rng.name]); return c })
	if !q.forward {
		slices.Reverse(want)
	}
	scanned := len(want)
	want = applyFilter(want, q.filter)

	var got []item
	total, pages := 0, 0
	for ; pages < 1000; pages++ {
		out, err := ddb.Query(t.Context(), in)
		if err != nil {
			t.Fatalf("%s\nQuery %s: %v", s, describe(in.KeyConditionExpression, in.FilterExpression, p, q.limit), err)
		}
		if err := checkPage(out.Count, out.ScannedCount, len(out.Items), q.limit); err != nil {
			t.Errorf("%s\nQuery %s: %v", s, describe(in.KeyConditionExpression, in.FilterExpression, p, q.limit), err)
		}
		got, total = append(got, out.Items...), total+int(out.ScannedCount)
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	if diff := cmp.Diff(sortRuns(want, rng.name), sortRuns(got, rng.name)); diff != "" || total != scanned {
		t.Errorf("%s\nQuery %s, index %v, forward %v: ScannedCount %d, want %d; items (-want +got):\n%s",
			s, describe(in.KeyConditionExpression, in.FilterExpression, p, q.limit), q.index, q.forward, total, scanned, diff)
	}
}

// queryInput renders q as a QueryInput.
func (s *scenario) queryInput(table string, q queryCase) (*dynamodb.QueryInput, *exprParams) {
	hash, rng := s.keys(q.index)
	p := newExprParams()
	cond := p.name(hash.name) + " = " + p.value(q.hashVal)
	if c := q.sort; c != nil {
		name := p.name(rng.name)
		switch c.op {
		case "BETWEEN":
			cond += " AND " + name + " BETWEEN " + p.value(c.vals[0]) + " AND " + p.value(c.vals[1])
		case "begins_with":
			cond += " AND begins_with(" + name + ", " + p.value(c.vals[0]) + ")"
		default:
			cond += " AND " + name + " " + c.op + " " + p.value(c.vals[0])
		}
	}
	in := &dynamodb.QueryInput{TableName: aws.String(table), KeyConditionExpression: aws.String(cond), ScanIndexForward: aws.Bool(q.forward)}
	if q.index {
		in.IndexName = aws.String("gsi")
	}
	if q.filter != nil {
		in.FilterExpression = aws.String(q.filter.render(p))
	}
	if q.limit > 0 {
		in.Limit = aws.Int32(q.limit)
	}
	in.ExpressionAttributeNames, in.ExpressionAttributeValues = p.names, p.nonEmptyValues()
	return in, p
}

// scanCase is one random (parallel) Scan.
type scanCase struct {
	index    bool
	filter   *filterNode
	limit    int32
	segments int32
}

func (s *scenario) scan() scanCase {
	c := scanCase{index: s.gsi != nil && s.r.IntN(2) == 0, limit: s.limit(), segments: 1 + s.r.Int32N(3)}
	if s.r.IntN(4) > 0 {
		paths := append([]string{s.hash.name}, dataAttrs...)
		if s.gsi != nil {
			paths = append(paths, s.gsi.hash.name)
		}
		c.filter = s.filter(2, paths)
	}
	return c
}

// checkScan runs c through the SDK, every segment and page, and compares
// the items, in any order, with the model.
func (s *scenario) checkScan(t *testing.T, ddb *dynamodb.Client, table string, c scanCase) {
	t.Helper()
	target := s.target(c.index)
	want := applyFilter(target, c.filter)
	var got []item
	total := 0
	p := newExprParams()
	var filter *string
	if c.filter != nil {
		filter = aws.String(c.filter.render(p))
	}
	for seg := range c.segments {
		in := &dynamodb.ScanInput{TableName: aws.String(table), FilterExpression: filter}
		if len(p.names) > 0 {
			in.ExpressionAttributeNames, in.ExpressionAttributeValues = p.names, p.nonEmptyValues()
		}
		if c.index {
			in.IndexName = aws.String("gsi")
		}
		if c.limit > 0 {
			in.Limit = aws.Int32(c.limit)
		}
		if c.segments > 1 {
			in.Segment, in.TotalSegments = aws.Int32(seg), aws.Int32(c.segments)
		}
		for pages := 0; pages < 1000; pages++ {
			out, err := ddb.Scan(t.Context(), in)
			if err != nil {
				t.Fatalf("%s\nScan %s: %v", s, describe(nil, filter, p, c.limit), err)
			}
			if err := checkPage(out.Count, out.ScannedCount, len(out.Items), c.limit); err != nil {
				t.Errorf("%s\nScan %s: %v", s, describe(nil, filter, p, c.limit), err)
			}
			got, total = append(got, out.Items...), total+int(out.ScannedCount)
			if len(out.LastEvaluatedKey) == 0 {
				break
			}
			in.ExclusiveStartKey = out.LastEvaluatedKey
		}
	}
	if diff := cmp.Diff(sortRuns(want, ""), sortRuns(got, "")); diff != "" || total != len(target) {
		t.Errorf("%s\nScan %s, index %v, %d segments: ScannedCount %d, want %d; items, sorted (-want +got):\n%s",
			s, describe(nil, filter, p, c.limit), c.index, c.segments, total, len(target), diff)
	}
}

// applyFilter returns the items of items that satisfy f (all when nil).
func applyFilter(items []item, f *filterNode) []item {
	var out []item
	for _, it := range items {
		if f == nil || f.eval(it) {
			out = append(out, it)
		}
	}
	return out
}

// checkPage checks one page's counts against each other and the limit.
func checkPage(count, scanned int32, items int, limit int32) error {
	switch {
	case int(count) != items:
		return fmt.Errorf("Count %d but %d items", count, items)
	case count > scanned:
		return fmt.Errorf("Count %d > ScannedCount %d", count, scanned)
	case limit > 0 && scanned > limit:
		return fmt.Errorf("ScannedCount %d > Limit %d", scanned, limit)
	}
	return nil
}

// sortRuns renders items canonically, sorting each run of items with equal
// values of attribute name (all items when name is empty), whose order
// DynamoDB leaves open.
func sortRuns(items []item, name string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = canonItem(it)
	}
	for start := 0; start < len(items); {
		end := start + 1
		for end < len(items) && (name == "" || equalValues(items[start][name], items[end][name])) {
			end++
		}
		slices.Sort(out[start:end])
		start = end
	}
	return out
}

// describe renders a request's expressions and parameters for a failure.
func describe(keyCond, filter *string, p *exprParams, limit int32) string {
	var sb strings.Builder
	if keyCond != nil {
		fmt.Fprintf(&sb, "key condition %q", *keyCond)
	}
	if filter != nil {
		fmt.Fprintf(&sb, " filter %q", *filter)
	}
	fmt.Fprintf(&sb, " limit %d names %v values {", limit, p.names)
	for _, k := range slices.Sorted(maps.Keys(p.values)) {
		fmt.Fprintf(&sb, "%s: %s, ", k, canon(p.values[k]))
	}
	sb.WriteString("}")
	return sb.String()
}
