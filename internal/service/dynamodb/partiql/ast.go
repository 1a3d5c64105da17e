package partiql

import (
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// Statement is one parsed statement: *Select, *Insert, *Update or *Delete.
// String renders it in a canonical form that parses back to the same AST.
type Statement interface {
	String() string
	// TableName is the table the statement reads or writes.
	TableName() string
	// ParamCount is the number of '?' parameters in the statement.
	ParamCount() int
}

// Select reads items: a point read, a partition read or a scan.
type Select struct {
	// Projection lists the selected paths; nil selects every attribute (*).
	Projection []Path
	// Table is the table's name; Index names a secondary index or is empty.
	Table, Index string
	// Where is the condition, nil when absent.
	Where Expr
	// Params is the number of '?' parameters.
	Params int
}

// Insert adds one item that must not exist yet.
type Insert struct {
	Table string
	// Item is the inserted value: a *Map, or a *Param holding a map.
	Item   Expr
	Params int
}

// Update edits one existing item.
type Update struct {
	Table  string
	Set    []SetAction
	Remove []Path
	Where  Expr
	Params int
}

// SetAction is one "path = value" of an UPDATE's SET clause.
type SetAction struct {
	Path  Path
	Value Expr
}

// Delete removes one item.
type Delete struct {
	Table  string
	Where  Expr
	Params int
}

// TableName returns the table the statement reads.
func (s *Select) TableName() string { return s.Table }

// TableName returns the table the statement writes.
func (s *Insert) TableName() string { return s.Table }

// TableName returns the table the statement writes.
func (s *Update) TableName() string { return s.Table }

// TableName returns the table the statement writes.
func (s *Delete) TableName() string { return s.Table }

// ParamCount returns the number of '?' parameters.
func (s *Select) ParamCount() int { return s.Params }

// ParamCount returns the number of '?' parameters.
func (s *Insert) ParamCount() int { return s.Params }

// ParamCount returns the number of '?' parameters.
func (s *Update) ParamCount() int { return s.Params }

// ParamCount returns the number of '?' parameters.
func (s *Delete) ParamCount() int { return s.Params }

// String renders the statement canonically.
func (s *Select) String() string {
	var sb strings.Builder
	sb.WriteString("SELECT ")
	if s.Projection == nil {
		sb.WriteString("*")
	}
	for i, p := range s.Projection {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(p.String())
	}
	sb.WriteString(" FROM " + quoteIdent(s.Table))
	if s.Index != "" {
		sb.WriteString("." + quoteIdent(s.Index))
	}
	writeWhere(&sb, s.Where)
	return sb.String()
}

// String renders the statement canonically.
func (s *Insert) String() string {
	return "INSERT INTO " + quoteIdent(s.Table) + " VALUE " + s.Item.String()
}

// String renders the statement canonically.
func (s *Update) String() string {
	var sb strings.Builder
	sb.WriteString("UPDATE " + quoteIdent(s.Table))
	for i, a := range s.Set {
		if i == 0 {
			sb.WriteString(" SET ")
		} else {
			sb.WriteString(", ")
		}
		sb.WriteString(a.Path.String() + " = " + a.Value.String())
	}
	for i, p := range s.Remove {
		if i == 0 {
			sb.WriteString(" REMOVE ")
		} else {
			sb.WriteString(", ")
		}
		sb.WriteString(p.String())
	}
	writeWhere(&sb, s.Where)
	return sb.String()
}

// String renders the statement canonically.
func (s *Delete) String() string {
	var sb strings.Builder
	sb.WriteString("DELETE FROM " + quoteIdent(s.Table))
	writeWhere(&sb, s.Where)
	return sb.String()
}

// writeWhere appends " WHERE cond" when where is set.
func writeWhere(sb *strings.Builder, where Expr) {
	if where != nil {
		sb.WriteString(" WHERE " + where.String())
	}
}

// PathElem is one step of a document path: an attribute or map key name,
// or, when IsIndex is set, a list index.
type PathElem struct {
	Name    string
	Index   int
	IsIndex bool
}

// Path is a document path such as a.b[0]; it never starts with an index.
type Path []PathElem

// String renders the path with every name double-quoted.
func (p Path) String() string {
	var sb strings.Builder
	for i, e := range p {
		switch {
		case e.IsIndex:
			sb.WriteString("[" + strconv.Itoa(e.Index) + "]")
		case i > 0:
			sb.WriteString("." + quoteIdent(e.Name))
		default:
			sb.WriteString(quoteIdent(e.Name))
		}
	}
	return sb.String()
}

// Expr is a condition or value expression.
type Expr interface {
	String() string
	expr()
}

// Literal is a constant scalar: a string, number, boolean or null.
type Literal struct{ Value attr.Value }

// Param is the Index-th '?' parameter, counting from 0.
type Param struct{ Index int }

// PathRef reads the attribute at Path.
type PathRef struct{ Path Path }

// Map is a {'key': value, ...} literal; Keys and Values are parallel.
type Map struct {
	Keys   []string
	Values []Expr
}

// List is a [value, ...] literal.
type List struct{ Elems []Expr }

// Set is a <<value, ...>> literal (a string, number or binary set).
type Set struct{ Elems []Expr }

// Binary is Left Op Right, Op one of AND, OR, =, <>, <, <=, >, >=, +, -.
type Binary struct {
	Op          string
	Left, Right Expr
}

// Not negates X.
type Not struct{ X Expr }

// Between is X BETWEEN Low AND High.
type Between struct{ X, Low, High Expr }

// In is X IN [List...].
type In struct {
	X    Expr
	List []Expr
}

// Call is a function call; Name is lower case.
type Call struct {
	Name string
	Args []Expr
}

// Is is X IS [NOT] MISSING or X IS [NOT] NULL; What is "MISSING" or "NULL".
type Is struct {
	X    Expr
	Not  bool
	What string
}

func (*Literal) expr() {}
func (*Param) expr()   {}
func (*PathRef) expr() {}
func (*Map) expr()     {}
func (*List) expr()    {}
func (*Set) expr()     {}
func (*Binary) expr()  {}
func (*Not) expr()     {}
func (*Between) expr() {}
func (*In) expr()      {}
func (*Call) expr()    {}
func (*Is) expr()      {}

// String renders the literal in PartiQL syntax.
func (l *Literal) String() string {
	switch l.Value.Kind {
	case attr.S:
		return quoteString(l.Value.Str)
	case attr.N:
		return l.Value.Str
	case attr.BOOL:
		if l.Value.Bool {
			return "TRUE"
		}
		return "FALSE"
	}
	return "NULL"
}

// String renders the parameter as "?".
func (p *Param) String() string { return "?" }

// String renders the path.
func (p *PathRef) String() string { return p.Path.String() }

// String renders the map literal.
func (m *Map) String() string {
	parts := make([]string, len(m.Keys))
	for i, k := range m.Keys {
		parts[i] = quoteString(k) + ": " + m.Values[i].String()
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// String renders the list literal.
func (l *List) String() string { return "[" + joinExprs(l.Elems) + "]" }

// String renders the set literal.
func (s *Set) String() string { return "<<" + joinExprs(s.Elems) + ">>" }

// String renders the operation fully parenthesized.
func (b *Binary) String() string {
	return "(" + b.Left.String() + " " + b.Op + " " + b.Right.String() + ")"
}

// String renders the negation.
func (n *Not) String() string { return "(NOT " + n.X.String() + ")" }

// String renders the range test.
func (b *Between) String() string {
	return "(" + b.X.String() + " BETWEEN " + b.Low.String() + " AND " + b.High.String() + ")"
}

// String renders the membership test.
func (in *In) String() string { return "(" + in.X.String() + " IN [" + joinExprs(in.List) + "])" }

// String renders the call.
func (c *Call) String() string { return c.Name + "(" + joinExprs(c.Args) + ")" }

// String renders the IS test.
func (is *Is) String() string {
	not := ""
	if is.Not {
		not = "NOT "
	}
	return "(" + is.X.String() + " IS " + not + is.What + ")"
}

// joinExprs renders exprs separated by ", ".
func joinExprs(exprs []Expr) string {
	parts := make([]string, len(exprs))
	for i, e := range exprs {
		parts[i] = e.String()
	}
	return strings.Join(parts, ", ")
}

// quoteIdent double-quotes an identifier, doubling inner quotes.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// quoteString single-quotes a string literal, doubling inner quotes.
func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
