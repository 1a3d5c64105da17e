package dynamodb

import (
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/partiql"
)

// This file translates PartiQL ASTs into the expression language over
// generated placeholders (as legacy.go does for the legacy parameters), so
// that package expr stays the one evaluator.

// msgNotWellFormed starts the message of every PartiQL syntax error.
const msgNotWellFormed = "Statement wasn't well formed, can't be processed: "

// msgIncompleteKey is the error of an UPDATE or DELETE whose WHERE clause
// does not pin the whole primary key.
const msgIncompleteKey = "Where clause does not contain a mandatory equality on all key attributes"

// translator renders PartiQL expressions as expression-language source,
// allocating placeholders for names and values.
type translator struct {
	p      *placeholders
	params []attr.Value
}

// unsupported is the error for an expression the translation does not cover.
func unsupported(e partiql.Expr) error {
	return ErrValidation.New(msgNotWellFormed + "Unsupported expression: " + e.String())
}

// path renders a document path over name placeholders.
func (tr *translator) path(p partiql.Path) string {
	var sb strings.Builder
	for i, e := range p {
		switch {
		case e.IsIndex:
			sb.WriteString("[" + strconv.Itoa(e.Index) + "]")
		case i > 0:
			sb.WriteString("." + tr.p.name(e.Name))
		default:
			sb.WriteString(tr.p.name(e.Name))
		}
	}
	return sb.String()
}

// paths renders a comma-separated list of paths (a projection).
func (tr *translator) paths(ps []partiql.Path) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = tr.path(p)
	}
	return strings.Join(parts, ", ")
}

// operand renders a path, size() call or constant value.
func (tr *translator) operand(e partiql.Expr) (string, error) {
	switch e := e.(type) {
	case *partiql.PathRef:
		return tr.path(e.Path), nil
	case *partiql.Call:
		if e.Name == "size" && len(e.Args) == 1 {
			arg, err := tr.operand(e.Args[0])
			return "size(" + arg + ")", err
		}
	}
	if !partiql.IsConstant(e) {
		return "", unsupported(e)
	}
	v, err := partiql.Value(e, tr.params)
	if err != nil {
		return "", exprError(err)
	}
	return tr.p.value(v), nil
}

// operands renders each of es.
func (tr *translator) operands(es []partiql.Expr) ([]string, error) {
	out := make([]string, len(es))
	for i, e := range es {
		var err error
		if out[i], err = tr.operand(e); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// cond renders a condition.
func (tr *translator) cond(e partiql.Expr) (string, error) {
	switch e := e.(type) {
	case *partiql.Binary:
		return tr.binaryCond(e)
	case *partiql.Not:
		x, err := tr.cond(e.X)
		return "(NOT " + x + ")", err
	case *partiql.Between:
		ops, err := tr.operands([]partiql.Expr{e.X, e.Low, e.High})
		if err != nil {
			return "", err
		}
		return ops[0] + " BETWEEN " + ops[1] + " AND " + ops[2], nil
	case *partiql.In:
		ops, err := tr.operands(append([]partiql.Expr{e.X}, e.List...))
		if err != nil {
			return "", err
		}
		return ops[0] + " IN (" + strings.Join(ops[1:], ", ") + ")", nil
	case *partiql.Is:
		return tr.isCond(e)
	case *partiql.Call:
		switch e.Name {
		case "begins_with", "contains", "attribute_type", "attribute_exists", "attribute_not_exists":
			args, err := tr.operands(e.Args)
			return e.Name + "(" + strings.Join(args, ", ") + ")", err
		}
	}
	return "", unsupported(e)
}

// binaryCond renders AND, OR and the comparisons.
func (tr *translator) binaryCond(e *partiql.Binary) (string, error) {
	switch e.Op {
	case "AND", "OR":
		l, err := tr.cond(e.Left)
		if err != nil {
			return "", err
		}
		r, err := tr.cond(e.Right)
		return "(" + l + " " + e.Op + " " + r + ")", err
	case "+", "-":
		return "", unsupported(e)
	}
	ops, err := tr.operands([]partiql.Expr{e.Left, e.Right})
	if err != nil {
		return "", err
	}
	return ops[0] + " " + e.Op + " " + ops[1], nil
}

// isCond renders IS [NOT] MISSING as attribute_[not_]exists and IS [NOT]
// NULL as an attribute_type test.
func (tr *translator) isCond(e *partiql.Is) (string, error) {
	ref, ok := e.X.(*partiql.PathRef)
	if !ok {
		return "", ErrValidation.New("The left hand side argument to IS must be a Variable Reference, Literal, or Path")
	}
	p := tr.path(ref.Path)
	var s string
	switch {
	case e.What == "MISSING" && e.Not:
		return "attribute_exists(" + p + ")", nil
	case e.What == "MISSING":
		return "attribute_not_exists(" + p + ")", nil
	default:
		s = "attribute_type(" + p + ", " + tr.p.value(attr.NewS("NULL")) + ")"
	}
	if e.Not {
		s = "(NOT " + s + ")"
	}
	return s, nil
}

// conjunction renders conds joined by AND.
func (tr *translator) conjunction(conds []partiql.Expr) (string, error) {
	parts := make([]string, len(conds))
	for i, c := range conds {
		var err error
		if parts[i], err = tr.cond(c); err != nil {
			return "", err
		}
	}
	return strings.Join(parts, " AND "), nil
}

// update renders an UPDATE's SET and REMOVE clauses as an update
// expression; SET a = set_add(a, <<...>>) and set_delete become ADD and
// DELETE actions.
func (tr *translator) update(set []partiql.SetAction, remove []partiql.Path) (string, error) {
	clauses := map[string][]string{}
	for _, a := range set {
		target := tr.path(a.Path)
		if c, ok := a.Value.(*partiql.Call); ok && (c.Name == "set_add" || c.Name == "set_delete") {
			v, err := tr.setOperation(a.Path, c)
			if err != nil {
				return "", err
			}
			clause := "ADD"
			if c.Name == "set_delete" {
				clause = "DELETE"
			}
			clauses[clause] = append(clauses[clause], target+" "+v)
			continue
		}
		v, err := tr.setValue(a.Value)
		if err != nil {
			return "", err
		}
		clauses["SET"] = append(clauses["SET"], target+" = "+v)
	}
	for _, p := range remove {
		clauses["REMOVE"] = append(clauses["REMOVE"], tr.path(p))
	}
	var parts []string
	for _, clause := range []string{"SET", "REMOVE", "ADD", "DELETE"} {
		if acts := clauses[clause]; len(acts) > 0 {
			parts = append(parts, clause+" "+strings.Join(acts, ", "))
		}
	}
	return strings.Join(parts, " "), nil
}

// setOperation validates set_add(target, <<...>>) or set_delete and returns
// the placeholder of its set argument.
func (tr *translator) setOperation(target partiql.Path, c *partiql.Call) (string, error) {
	op := strings.ToUpper(strings.TrimPrefix(c.Name, "set_"))
	if len(c.Args) != 2 {
		return "", ErrValidation.New("SET_" + op + " must have exactly two arguments")
	}
	if ref, ok := c.Args[0].(*partiql.PathRef); !ok || ref.Path.String() != target.String() {
		return "", ErrValidation.New("The first argument to SET_" + op + " must equal the assignment value")
	}
	v, err := partiql.Value(c.Args[1], tr.params)
	if err != nil || !v.Kind.IsSet() {
		return "", ErrValidation.New("The second argument to SET_" + op + " must be a value with type SET")
	}
	return tr.p.value(v), nil
}

// setValue renders the value of a SET action: an operand, a sum or
// difference of operands, list_append or if_not_exists.
func (tr *translator) setValue(e partiql.Expr) (string, error) {
	switch e := e.(type) {
	case *partiql.Binary:
		if e.Op != "+" && e.Op != "-" {
			return "", unsupported(e)
		}
		ops, err := tr.operands([]partiql.Expr{e.Left, e.Right})
		if err != nil {
			return "", err
		}
		return ops[0] + " " + e.Op + " " + ops[1], nil
	case *partiql.Call:
		if e.Name != "list_append" && e.Name != "if_not_exists" {
			return "", ErrValidation.New("Unrecognized function: " + e.Name)
		}
		args, err := tr.operands(e.Args)
		return e.Name + "(" + strings.Join(args, ", ") + ")", err
	}
	return tr.operand(e)
}

// conjuncts flattens the top-level ANDs of where (nil when absent).
func conjuncts(where partiql.Expr) []partiql.Expr {
	if b, ok := where.(*partiql.Binary); ok && b.Op == "AND" {
		return append(conjuncts(b.Left), conjuncts(b.Right)...)
	}
	if where == nil {
		return nil
	}
	return []partiql.Expr{where}
}

// keyEquality returns the constant that c compares the top-level attribute
// name with ("name = v" or "v = name").
func keyEquality(c partiql.Expr, name string) (partiql.Expr, bool) {
	b, ok := c.(*partiql.Binary)
	if !ok || b.Op != "=" {
		return nil, false
	}
	if isAttr(b.Left, name) && partiql.IsConstant(b.Right) {
		return b.Right, true
	}
	if isAttr(b.Right, name) && partiql.IsConstant(b.Left) {
		return b.Left, true
	}
	return nil, false
}

// isAttr reports whether e is the top-level attribute name.
func isAttr(e partiql.Expr, name string) bool {
	ref, ok := e.(*partiql.PathRef)
	return ok && len(ref.Path) == 1 && ref.Path[0].Name == name
}

// splitKey takes from where's conjuncts one equality per key attribute and
// returns the key they pin (possibly incomplete) and the other conjuncts.
func splitKey(keys []keyAttr, where partiql.Expr, params []attr.Value) (attr.Item, []partiql.Expr, error) {
	key := attr.Item{}
	var rest []partiql.Expr
	for _, c := range conjuncts(where) {
		pinned := false
		for _, k := range keys {
			v, ok := keyEquality(c, k.name)
			if !ok || key[k.name].Kind != attr.KindInvalid {
				continue
			}
			val, err := partiql.Value(v, params)
			if err != nil {
				return nil, nil, exprError(err)
			}
			key[k.name], pinned = val, true
			break
		}
		if !pinned {
			rest = append(rest, c)
		}
	}
	return key, rest, nil
}
