// Package attr is DynamoDB's AttributeValue model: the Go representation of
// item attributes, their JSON wire codec with AWS's validation rules, item
// size accounting and the comparisons the expression language needs.
package attr

// Kind is the data type of an attribute value, named as on the wire.
type Kind uint8

// The DynamoDB data types.
const (
	KindInvalid Kind = iota
	S
	N
	B
	BOOL
	NULL
	M
	L
	SS
	NS
	BS
)

// Value is one DynamoDB attribute value. Exactly the fields of its Kind are
// meaningful:
//   - S: Str (UTF-8 text)
//   - N: Str (a canonical decimal: no leading or trailing zeros, e.g. "1.5")
//   - B: Bytes
//   - BOOL: Bool
//   - NULL: nothing (always true on the wire)
//   - M: Map
//   - L: List
//   - SS, NS: Strs (NS members canonical decimals), in the order given
//   - BS: Bins
type Value struct {
	Kind  Kind
	Str   string
	Bytes []byte
	Bool  bool
	Map   map[string]Value
	List  []Value
	Strs  []string
	Bins  [][]byte
}

// Item is a whole item or key: attribute name to value.
type Item map[string]Value
