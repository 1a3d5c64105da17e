package dynamodb

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strconv"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/expr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/partiql"
	"github.com/fogbank/fogbank/internal/storage"
)

// msgDuplicateItem is the DuplicateItemException of an INSERT of an
// existing item.
const msgDuplicateItem = "Duplicate primary key exists in table"

// ExecuteStatement runs one PartiQL statement. A SELECT becomes a Query
// when its WHERE clause pins the partition key with an equality, else a Scan
// with the WHERE clause as filter; INSERT, UPDATE and DELETE are single-item
// writes through the ordinary write path.
func (s *Service) ExecuteStatement(ctx context.Context, in *ExecuteStatementInput) (*ExecuteStatementOutput, error) {
	if err := validateExecuteStatement(in); err != nil {
		return nil, err
	}
	st, err := parseStatement(in.Statement, in.Parameters)
	if err != nil {
		return nil, err
	}
	sel, ok := st.(*partiql.Select)
	if !ok {
		if in.NextToken != nil {
			return nil, ErrValidation.New("NextToken is only valid on a SELECT statement")
		}
		w := &pqlWrite{st: st, params: in.Parameters, onFailure: in.ReturnValuesOnConditionCheckFailure}
		c, err := s.writeItem(ctx, st.TableName(), w)
		if err != nil {
			return nil, err
		}
		return &ExecuteStatementOutput{Items: []attr.Item{}, ConsumedCapacity: consumedCapacity(in.ReturnConsumedCapacity, st.TableName(), writeUnits(c.old, c.new))}, nil
	}
	return s.execSelect(ctx, sel, in)
}

// validateExecuteStatement applies ExecuteStatement's modeled constraints.
func validateExecuteStatement(in *ExecuteStatementInput) error {
	var ce constraintErrors
	checkStatementText(&ce, in.Statement, "statement")
	ce.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", consumedCapacityEnum...)
	ce.checkEnum(in.ReturnValuesOnConditionCheckFailure, "returnValuesOnConditionCheckFailure", onFailureEnum...)
	if in.Limit != nil && *in.Limit < 1 {
		ce.addString(strconv.FormatInt(*in.Limit, 10), "limit", "Member must have value greater than or equal to 1")
	}
	return ce.err()
}

// checkStatementText applies the length constraints of a statement.
func checkStatementText(ce *constraintErrors, text, member string) {
	if len(text) < 1 {
		ce.addString(text, member, "Member must have length greater than or equal to 1")
	}
	if len(text) > 8192 {
		ce.addString(text, member, "Member must have length less than or equal to 8192")
	}
}

// parseStatement parses src, mapping syntax errors to AWS's wording, and
// checks that params supply every '?'.
func parseStatement(src string, params []attr.Value) (partiql.Statement, error) {
	st, err := partiql.Parse(src)
	var pe *partiql.ParseError
	if errors.As(err, &pe) {
		return nil, ErrValidation.Wrap(err, msgNotWellFormed+pe.Msg)
	}
	if err != nil {
		return nil, err
	}
	if st.ParamCount() > len(params) {
		return nil, ErrValidation.New(partiql.MsgParamCount)
	}
	return st, nil
}

// loadStatementTable reads the named table's metadata in its own snapshot.
func (s *Service) loadStatementTable(ctx context.Context, name string) (*table, error) {
	var t *table
	err := s.opts.Engine.View(ctx, func(r storage.ReadTx) error {
		var err error
		t, err = s.meta.loadTable(r, name)
		return noTable(err)
	})
	return t, err
}

// execSelect runs a SELECT as a Query or Scan.
func (s *Service) execSelect(ctx context.Context, sel *partiql.Select, in *ExecuteStatementInput) (*ExecuteStatementOutput, error) {
	t, err := s.loadStatementTable(ctx, sel.Table)
	if err != nil {
		return nil, err
	}
	start, err := decodeNextToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	rc := readCommon{TableName: sel.Table, Limit: in.Limit, ConsistentRead: in.ConsistentRead, ExclusiveStartKey: start, ReturnConsumedCapacity: in.ReturnConsumedCapacity}
	if sel.Index != "" {
		rc.IndexName = &sel.Index
	}
	a := &expr.Attrs{}
	tr := &translator{p: &placeholders{a: a}, params: in.Parameters}
	if sel.Projection != nil {
		proj := tr.paths(sel.Projection)
		rc.ProjectionExpression = &proj
	}
	var out *ReadOutput
	if q, ok := planQuery(selectKeys(t, sel.Index), sel.Where); ok {
		qi := &QueryInput{readCommon: rc}
		if err := q.translate(tr, qi); err != nil {
			return nil, err
		}
		qi.ExpressionAttributeNames, qi.ExpressionAttributeValues = a.Names, a.Values
		out, err = s.Query(ctx, qi)
	} else {
		si := &ScanInput{readCommon: rc}
		if sel.Where != nil {
			filter, err := tr.cond(sel.Where)
			if err != nil {
				return nil, err
			}
			si.FilterExpression = &filter
		}
		si.ExpressionAttributeNames, si.ExpressionAttributeValues = a.Names, a.Values
		out, err = s.Scan(ctx, si)
	}
	if err != nil {
		return nil, err
	}
	return selectOutput(out), nil
}

// selectOutput converts a Query or Scan page into ExecuteStatement's output.
func selectOutput(out *ReadOutput) *ExecuteStatementOutput {
	res := &ExecuteStatementOutput{Items: out.Items, LastEvaluatedKey: out.LastEvaluatedKey, ConsumedCapacity: out.ConsumedCapacity}
	if res.Items == nil {
		res.Items = []attr.Item{}
	}
	if out.LastEvaluatedKey != nil {
		raw, err := out.LastEvaluatedKey.MarshalJSON()
		if err == nil {
			res.NextToken = base64.StdEncoding.EncodeToString(raw)
		}
	}
	return res
}

// decodeNextToken returns the ExclusiveStartKey a NextToken stands for.
func decodeNextToken(token *string) (attr.Item, error) {
	if token == nil {
		return nil, nil
	}
	raw, err := base64.StdEncoding.DecodeString(*token)
	var key attr.Item
	if err == nil {
		err = key.UnmarshalJSON(raw)
	}
	if err != nil || len(key) == 0 {
		return nil, ErrValidation.New("Invalid NextToken")
	}
	return key, nil
}

// selectKeys returns the key attributes of the table or of its index
// (nil when the index does not exist; the read then reports it).
func selectKeys(t *table, indexName string) []keyAttr {
	if indexName == "" {
		return t.keyAttrs()
	}
	d := &t.meta.Description
	var schema []KeySchemaElement
	for _, g := range d.GlobalSecondaryIndexes {
		if g.IndexName == indexName {
			schema = g.KeySchema
		}
	}
	for _, l := range d.LocalSecondaryIndexes {
		if l.IndexName == indexName {
			schema = l.KeySchema
		}
	}
	keys := make([]keyAttr, len(schema))
	for i, k := range schema {
		keys[i] = keyAttr{name: k.AttributeName}
	}
	return keys
}

// queryPlan is a SELECT's WHERE clause split into a key condition (the
// partition key equality and at most one sort key condition) and a filter.
type queryPlan struct {
	hash      partiql.Expr // the partition key's value
	hashName  string
	rangeCond partiql.Expr // nil when the sort key is not constrained
	rest      []partiql.Expr
}

// planQuery splits where for a Query on a table or index with keys; ok is
// false when it cannot be one (no partition key equality, or key attributes
// in conditions a key condition cannot express): the SELECT is then a Scan.
func planQuery(keys []keyAttr, where partiql.Expr) (queryPlan, bool) {
	if len(keys) == 0 {
		return queryPlan{}, false
	}
	q := queryPlan{hashName: keys[0].name}
	for _, c := range conjuncts(where) {
		if v, ok := keyEquality(c, q.hashName); ok && q.hash == nil {
			q.hash = v
			continue
		}
		if len(keys) > 1 && q.rangeCond == nil && isRangeCondition(c, keys[1].name) {
			q.rangeCond = c
			continue
		}
		if mentionsAny(c, keys) {
			return queryPlan{}, false
		}
		q.rest = append(q.rest, c)
	}
	return q, q.hash != nil
}

// isRangeCondition reports whether c is a condition a key condition can
// put on sort key name: a comparison, BETWEEN or begins_with with the
// attribute first and constants after it.
func isRangeCondition(c partiql.Expr, name string) bool {
	switch c := c.(type) {
	case *partiql.Binary:
		return c.Op != "<>" && c.Op != "AND" && c.Op != "OR" && c.Op != "+" && c.Op != "-" &&
			isAttr(c.Left, name) && partiql.IsConstant(c.Right)
	case *partiql.Between:
		return isAttr(c.X, name) && partiql.IsConstant(c.Low) && partiql.IsConstant(c.High)
	case *partiql.Call:
		return c.Name == "begins_with" && len(c.Args) == 2 && isAttr(c.Args[0], name) && partiql.IsConstant(c.Args[1])
	}
	return false
}

// mentionsAny reports whether c reads one of keys as a top-level attribute.
func mentionsAny(c partiql.Expr, keys []keyAttr) bool {
	return slices.ContainsFunc(keys, func(k keyAttr) bool { return mentions(c, k.name) })
}

// mentions reports whether e reads the top-level attribute name.
func mentions(e partiql.Expr, name string) bool {
	has := func(es ...partiql.Expr) bool {
		return slices.ContainsFunc(es, func(x partiql.Expr) bool { return mentions(x, name) })
	}
	switch e := e.(type) {
	case *partiql.PathRef:
		return e.Path[0].Name == name
	case *partiql.Binary:
		return has(e.Left, e.Right)
	case *partiql.Not:
		return has(e.X)
	case *partiql.Between:
		return has(e.X, e.Low, e.High)
	case *partiql.In:
		return has(append([]partiql.Expr{e.X}, e.List...)...)
	case *partiql.Call:
		return has(e.Args...)
	case *partiql.Is:
		return has(e.X)
	}
	return false
}

// translate fills qi's key condition and filter.
func (q *queryPlan) translate(tr *translator, qi *QueryInput) error {
	v, err := tr.operand(q.hash)
	if err != nil {
		return err
	}
	kc := tr.p.name(q.hashName) + " = " + v
	if q.rangeCond != nil {
		rc, err := tr.cond(q.rangeCond)
		if err != nil {
			return err
		}
		kc += " AND " + rc
	}
	qi.KeyConditionExpression = &kc
	if len(q.rest) > 0 {
		filter, err := tr.conjunction(q.rest)
		if err != nil {
			return err
		}
		qi.FilterExpression = &filter
	}
	return nil
}

// pqlWrite is an INSERT, UPDATE or DELETE as a writeAction: storageKey
// translates it against the table's schema, next applies it.
type pqlWrite struct {
	st        partiql.Statement
	params    []attr.Value
	onFailure string
	item      attr.Item // INSERT's item
	key       attr.Item // UPDATE's and DELETE's key
	opts      *updateOptions
}

func (w *pqlWrite) storageKey(t *table) ([]byte, error) {
	switch st := w.st.(type) {
	case *partiql.Insert:
		return w.prepareInsert(t, st)
	case *partiql.Update:
		return w.prepareKeyed(t, st.Where, st.Set, st.Remove)
	case *partiql.Delete:
		return w.prepareKeyed(t, st.Where, nil, nil)
	}
	return nil, ErrValidation.New(msgNotWellFormed + "Expected data manipulation")
}

// prepareInsert evaluates an INSERT's item.
func (w *pqlWrite) prepareInsert(t *table, st *partiql.Insert) ([]byte, error) {
	if !partiql.IsConstant(st.Item) {
		return nil, unsupported(st.Item)
	}
	v, err := partiql.Value(st.Item, w.params)
	if err != nil {
		return nil, exprError(err)
	}
	if v.Kind != attr.M {
		return nil, ErrValidation.New("Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.")
	}
	w.item = v.Map
	if attr.ItemSize(w.item) > maxItemBytes {
		return nil, ErrValidation.New(msgItemTooLarge)
	}
	return t.storageKeyFromItem(w.item)
}

// prepareKeyed takes an UPDATE's or DELETE's key from where and translates
// the rest of where into a condition and set/remove into an update.
func (w *pqlWrite) prepareKeyed(t *table, where partiql.Expr, set []partiql.SetAction, remove []partiql.Path) ([]byte, error) {
	key, rest, err := splitKey(t.keyAttrs(), where, w.params)
	if err != nil {
		return nil, err
	}
	if len(key) != len(t.keyAttrs()) {
		return nil, ErrValidation.New(msgIncompleteKey)
	}
	a := &expr.Attrs{}
	tr := &translator{p: &placeholders{a: a}, params: w.params}
	w.key = key
	w.opts = &updateOptions{writeOptions: writeOptions{onFailure: w.onFailure}}
	if len(set)+len(remove) > 0 {
		src, err := tr.update(set, remove)
		if err != nil {
			return nil, err
		}
		if w.opts.update, err = expr.ParseUpdate(src, a); err != nil {
			return nil, exprError(err)
		}
	}
	if len(rest) > 0 {
		src, err := tr.conjunction(rest)
		if err != nil {
			return nil, err
		}
		if w.opts.cond, err = expr.ParseCondition(src, a); err != nil {
			return nil, exprError(err)
		}
	}
	if err := w.opts.checkKeyUpdates(t); err != nil {
		return nil, err
	}
	return t.storageKeyFromKey(key)
}

func (w *pqlWrite) next(t *table, old attr.Item) (attr.Item, error) {
	switch w.st.(type) {
	case *partiql.Insert:
		if old != nil {
			return nil, ErrDuplicateItem.New(msgDuplicateItem)
		}
		return w.item, nil
	case *partiql.Update:
		if old == nil {
			return nil, ErrConditionalCheckFailed.New(msgConditionFailed)
		}
		return updateAction{key: w.key, opts: w.opts}.next(t, old)
	}
	if old == nil {
		return nil, nil
	}
	return nil, w.opts.checkCondition(old)
}

// pointRead runs a SELECT that pins a table's whole primary key (as batches
// and transactions require) inside r: the item, filtered by the rest of the
// WHERE clause and projected; nil when absent or filtered out.
func (s *Service) pointRead(r storage.ReadTx, sel *partiql.Select, params []attr.Value, what string) (attr.Item, error) {
	t, err := s.meta.loadTable(r, sel.Table)
	if err != nil {
		return nil, noTable(err)
	}
	if sel.Index != "" {
		return nil, ErrValidation.New("Select statements within " + what + " must specify the primary key in the where clause.")
	}
	key, rest, err := splitKey(t.keyAttrs(), sel.Where, params)
	if err != nil {
		return nil, err
	}
	if len(key) != len(t.keyAttrs()) {
		return nil, ErrValidation.New("Select statements within " + what + " must specify the primary key in the where clause.")
	}
	filter, proj, err := translateRead(sel, rest, params)
	if err != nil {
		return nil, err
	}
	k, err := t.storageKeyFromKey(key)
	if err != nil {
		return nil, err
	}
	item, err := readItem(r, k)
	if err != nil || item == nil {
		return nil, err
	}
	if filter != nil {
		if ok, err := filter.Eval(item); err != nil || !ok {
			return nil, exprError(err)
		}
	}
	if proj != nil {
		item = proj.Apply(item)
	}
	return item, nil
}

// translateRead parses a point read's filter (from the non-key conjuncts
// rest) and projection; nil when absent.
func translateRead(sel *partiql.Select, rest []partiql.Expr, params []attr.Value) (*expr.Condition, *expr.Projection, error) {
	a := &expr.Attrs{}
	tr := &translator{p: &placeholders{a: a}, params: params}
	var filter *expr.Condition
	var proj *expr.Projection
	if len(rest) > 0 {
		src, err := tr.conjunction(rest)
		if err != nil {
			return nil, nil, err
		}
		if filter, err = expr.ParseFilter(src, a); err != nil {
			return nil, nil, exprError(err)
		}
	}
	if sel.Projection != nil {
		var err error
		if proj, err = expr.ParseProjection(tr.paths(sel.Projection), a); err != nil {
			return nil, nil, exprError(err)
		}
	}
	return filter, proj, nil
}
