package dynamodb

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strconv"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/expr"
	"github.com/fogbank/fogbank/internal/storage"
)

// maxPageBytes is how much item data one Query or Scan page reads before
// stopping, measured before the filter is applied (as DynamoDB does).
const maxPageBytes = 1 << 20

// selectEnum lists Select's values in AWS's order.
var selectEnum = []string{"SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"}

// readPlan is a validated Query or Scan against one table or index.
type readPlan struct {
	t          *table
	ix         *index // nil when reading the table
	rng        storage.Range
	limit      int
	filter     *expr.Condition
	proj       *expr.Projection // nil for every (projected) attribute
	count      bool             // Select COUNT: no items returned
	fetchTable bool             // LSI reads that need attributes the index lacks
	allAttrs   bool             // Select ALL_ATTRIBUTES
	consistent bool
	capacity   string
}

// readOptions are a read request's parsed, table-independent parts.
type readOptions struct {
	sel        string
	filter     *expr.Condition
	proj       *expr.Projection
	limit      int
	consistent bool
	capacity   string
	indexName  string
}

// checkSelect applies the rules on Select and the attribute selection;
// prefix starts Query's messages ("1 validation error detected: ").
func checkSelect(c *readCommon, prefix string) error {
	hasProj := c.ProjectionExpression != nil || c.AttributesToGet != nil
	what := map[string]string{"ALL_ATTRIBUTES": "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES": "ALL_PROJECTED_ATTRIBUTES", "COUNT": "only the Count"}[c.Select]
	switch {
	case what != "" && c.ProjectionExpression != nil:
		return ErrValidation.New(prefix + "Cannot specify the ProjectionExpression when choosing to get " + what)
	case what != "" && c.AttributesToGet != nil:
		return ErrValidation.New(prefix + "Cannot specify the AttributesToGet when choosing to get " + what)
	case c.Select == "SPECIFIC_ATTRIBUTES" && !hasProj:
		return ErrValidation.New(prefix + "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")
	case c.Select == "ALL_PROJECTED_ATTRIBUTES" && c.IndexName == nil:
		return ErrValidation.New(prefix + "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
	}
	return nil
}

// checkReadConstraints applies the modeled constraints Query and Scan share.
func checkReadConstraints(ce *constraintErrors, c *readCommon) {
	ce.checkTableName(tableNameOf(c.TableName), "tableName")
	if c.IndexName != nil {
		ce.checkTableName(*c.IndexName, "indexName")
	}
	ce.checkEnum(c.Select, "select", selectEnum...)
	ce.checkEnum(c.ReturnConsumedCapacity, "returnConsumedCapacity", consumedCapacityEnum...)
	ce.checkEnum(c.ConditionalOperator, "conditionalOperator", conditionalOpEnum...)
	if c.Limit != nil && *c.Limit < 1 {
		ce.addString(strconv.FormatInt(*c.Limit, 10), "limit", "Member must have value greater than or equal to 1")
	}
}

// parseReadExprs parses the projection (ProjectionExpression or
// AttributesToGet) and the filter (FilterExpression or the legacy filter,
// translated) into o, using a.
func parseReadExprs(c *readCommon, legacyFilter map[string]Condition, filterName string, a *expr.Attrs, o *readOptions) error {
	src := ""
	switch {
	case c.ProjectionExpression != nil:
		src = *c.ProjectionExpression
	case len(c.AttributesToGet) > 0:
		s, err := attributesToGetProjection(c.AttributesToGet, a)
		if err != nil {
			return err
		}
		src = s
	}
	if src != "" || c.ProjectionExpression != nil {
		proj, err := expr.ParseProjection(src, a)
		if err != nil {
			return exprError(err)
		}
		o.proj = proj
	}
	src = ""
	switch {
	case c.FilterExpression != nil:
		src = *c.FilterExpression
	case legacyFilter != nil:
		s, err := legacyConditions(legacyFilter, c.ConditionalOperator, filterName, a)
		if err != nil || s == "" {
			return err
		}
		src = s
	default:
		return nil
	}
	f, err := expr.ParseFilter(src, a)
	if err != nil {
		return exprError(err)
	}
	o.filter = f
	return nil
}

// newReadOptions copies the simple members of c.
func newReadOptions(c *readCommon) *readOptions {
	o := &readOptions{sel: c.Select, consistent: c.ConsistentRead, capacity: c.ReturnConsumedCapacity}
	if c.Limit != nil {
		o.limit = int(min(*c.Limit, math.MaxInt32))
	}
	if c.IndexName != nil {
		o.indexName = *c.IndexName
	}
	return o
}

// plan resolves o against table t: the index, the Select rules that need
// the schema, and whether LSI reads must fetch table items.
func (o *readOptions) plan(t *table) (*readPlan, error) {
	p := &readPlan{t: t, limit: o.limit, filter: o.filter, proj: o.proj, count: o.sel == "COUNT", allAttrs: o.sel == "ALL_ATTRIBUTES", consistent: o.consistent, capacity: o.capacity}
	if o.indexName == "" {
		return p, nil
	}
	ix := t.index(o.indexName)
	if ix == nil || ix.status == statusDeleting {
		return nil, ErrValidation.New("The table does not have the specified index: " + o.indexName)
	}
	if ix.status == statusCreating {
		return nil, ErrValidation.New("Cannot read from backfilling global secondary index: " + o.indexName)
	}
	p.ix = ix
	if ix.global && o.consistent {
		return nil, ErrValidation.New("Consistent reads are not supported on global secondary indexes")
	}
	if o.sel == "ALL_ATTRIBUTES" && ix.projection != "ALL" {
		if ix.global {
			return nil, invalidParams("Select type ALL_ATTRIBUTES is not supported for global secondary index " + ix.name + " because its projection type is not ALL")
		}
		p.fetchTable = true
	}
	if !ix.global && !p.fetchTable {
		p.fetchTable = !t.projectsAll(ix, o.proj, o.filter)
	}
	return p, nil
}

// projectsAll reports whether ix stores every attribute that proj and
// filter name.
func (t *table) projectsAll(ix *index, proj *expr.Projection, filter *expr.Condition) bool {
	var names []string
	if proj != nil {
		for _, path := range proj.Paths() {
			names = append(names, path[0].Name)
		}
	}
	if filter != nil {
		names = append(names, filter.TopLevelNames()...)
	}
	return !slices.ContainsFunc(names, func(n string) bool { return !t.projects(ix, n) })
}

// page is the result of running a readPlan.
type page struct {
	items   []attr.Item
	count   int
	scanned int
	bytes   int
	last    attr.Item // the last item evaluated when the page stopped early
}

// run plans a read with load and reads one page, in one snapshot.
func (s *Service) run(ctx context.Context, name string, load func(r storage.ReadTx) (*readPlan, error)) (*ReadOutput, error) {
	var pg page
	var p *readPlan
	err := s.opts.Engine.View(ctx, func(r storage.ReadTx) error {
		var err error
		if p, err = load(r); err != nil {
			return err
		}
		pg, err = p.read(r)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &ReadOutput{Count: int64(pg.count), ScannedCount: int64(pg.scanned)}
	if !p.count {
		out.Items = pg.items
		if out.Items == nil {
			out.Items = []attr.Item{}
		}
	}
	if pg.last != nil {
		out.LastEvaluatedKey = keyOf(pg.last, p.t.startKeyAttrs(p.ix))
	}
	units := max(1, math.Ceil(float64(pg.bytes)/4096))
	if !p.consistent {
		units /= 2
	}
	out.ConsumedCapacity = consumedCapacity(p.capacity, name, units)
	return out, nil
}

// read scans p's range, stopping at the limit or after maxPageBytes.
func (p *readPlan) read(r storage.ReadTx) (page, error) {
	var pg page
	var entries []attr.Item
	var decodeErr error
	err := r.Scan(p.rng, func(_, v []byte) bool {
		var it attr.Item
		if decodeErr = it.UnmarshalJSON(v); decodeErr != nil {
			return false
		}
		entries = append(entries, it)
		pg.bytes += attr.ItemSize(it)
		pg.scanned++
		if (p.limit > 0 && pg.scanned >= p.limit) || pg.bytes >= maxPageBytes {
			pg.last = it
			return false
		}
		return true
	})
	if err == nil {
		err = decodeErr
	}
	if err != nil {
		return pg, err
	}
	return pg, p.evaluate(r, entries, &pg)
}

// evaluate filters and projects the scanned entries into pg.
func (p *readPlan) evaluate(r storage.ReadTx, entries []attr.Item, pg *page) error {
	for _, it := range entries {
		if p.fetchTable {
			full, err := p.tableItem(r, it)
			if err != nil {
				return err
			}
			it = full
		}
		if p.filter != nil {
			ok, err := p.filter.Eval(it)
			if err != nil {
				return exprError(err)
			}
			if !ok {
				continue
			}
		}
		pg.count++
		if p.count {
			continue
		}
		switch {
		case p.proj != nil:
			it = p.proj.Apply(it)
		case p.fetchTable && !p.allAttrs:
			it = p.t.project(p.ix, it)
		}
		pg.items = append(pg.items, it)
	}
	return nil
}

// tableItem reads the table item behind an LSI entry (the entry itself
// when the item is gone, which cannot happen within one snapshot).
func (p *readPlan) tableItem(r storage.ReadTx, entry attr.Item) (attr.Item, error) {
	key, err := p.t.encodeKey(entry)
	if err != nil {
		return nil, err
	}
	it, err := readItem(r, key)
	if err != nil || it == nil {
		return entry, err
	}
	return it, nil
}

// keyOf returns the attributes of item named by attrs.
func keyOf(item attr.Item, attrs []keyAttr) attr.Item {
	out := make(attr.Item, len(attrs))
	for _, ka := range attrs {
		if v, ok := item[ka.name]; ok {
			out[ka.name] = v
		}
	}
	return out
}

// startKey validates an ExclusiveStartKey for reads of ix (nil for the
// table) and returns its storage key.
func (t *table) startKey(ix *index, esk attr.Item) ([]byte, error) {
	attrs := t.startKeyAttrs(ix)
	bad := ErrValidation.New("The provided starting key is invalid: " + msgKeyMismatch)
	if len(esk) != len(attrs) {
		return nil, bad
	}
	for _, ka := range attrs {
		if v, ok := esk[ka.name]; !ok || v.Kind != ka.kind {
			return nil, bad
		}
	}
	if ix == nil {
		return t.encodeKey(esk)
	}
	key, ok, err := t.entryKey(ix, esk)
	if err == nil && !ok {
		err = bad
	}
	return key, err
}

// after narrows rng to the keys after start in the direction of travel.
func after(rng storage.Range, start []byte) storage.Range {
	if rng.Reverse {
		if rng.End == nil || bytes.Compare(start, rng.End) < 0 {
			rng.End = start
		}
		return rng
	}
	next := append(slices.Clone(start), 0)
	if bytes.Compare(next, rng.Start) > 0 {
		rng.Start = next
	}
	return rng
}
