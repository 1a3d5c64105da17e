package attr

import (
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
)

// maxDepth is how many levels of L and M nesting DynamoDB accepts, counting
// a top-level attribute value as level one.
const maxDepth = 32

// coralPackage is the Java package AWS names in type-mismatch messages.
const coralPackage = "com.amazonaws.dynamodb.v20120810."

// UnmarshalJSON decodes DynamoDB JSON into v, enforcing AWS's rules in
// document order: exactly one data type, valid numbers, non-empty sets
// without duplicates, NULL true and at most 32 levels of nesting. A broken
// rule yields an *[Error]; malformed JSON or a member of the wrong JSON type
// yields a *[SyntaxError]. A JSON null is an empty AttributeValue.
func (v *Value) UnmarshalJSON(b []byte) error {
	d := newDecoder(b)
	defer d.release()
	var out Value
	if err := d.value(&out, 1); err != nil {
		return err
	}
	if err := d.end(); err != nil {
		return err
	}
	*v = out
	return nil
}

// UnmarshalJSON decodes a JSON object of attribute names to DynamoDB JSON
// values, validating each as [Value.UnmarshalJSON] does. A JSON null leaves
// it unchanged.
func (it *Item) UnmarshalJSON(b []byte) error {
	d := newDecoder(b)
	defer d.release()
	if d.literal("null") {
		return d.end()
	}
	m, err := d.members(1)
	if err != nil {
		return err
	}
	if err := d.end(); err != nil {
		return err
	}
	*it = m
	return nil
}

// decoder scans DynamoDB JSON directly from bytes.
type decoder struct {
	data []byte
	// src is a string copy of data: decoded strings without escapes are
	// substrings of it, which saves an allocation per string.
	src string
	pos int
	// scratch holds the members of the maps being
	// decoded, innermost last, so that each map is allocated at its final size.
	scratch *[]member
}

// member is one decoded map member.
type member struct {
	name  string
	value Value
}

// memberPool recycles decoders' member scratch space.
var memberPool = sync.Pool{New: func() any { return new([]member) }}

// maxPooledMembers bounds the scratch space kept for reuse, so that one huge
// item does not pin its high-water mark in the pool.
const maxPooledMembers = 1024

func newDecoder(b []byte) *decoder {
	return &decoder{data: b, src: string(b), scratch: memberPool.Get().(*[]member)}
}

// release returns the decoder's scratch space to the pool; members has
// already cleared it, so the pool retains no decoded values.
func (d *decoder) release() {
	if cap(*d.scratch) <= maxPooledMembers {
		memberPool.Put(d.scratch)
	}
}

// value decodes one AttributeValue at nesting level depth.
func (d *decoder) value(v *Value, depth int) error {
	if depth > maxDepth {
		return invalid(msgNesting)
	}
	switch d.peek() {
	case '{':
		d.pos++
	case '[':
		return d.syntaxErr("Unrecognized collection type class " + coralPackage + "AttributeValue")
	default:
		if d.literal("null") {
			return invalid(msgEmptyValue)
		}
		return d.syntaxErr("Unexpected value type in payload")
	}
	var kinds uint16
	for first := true; ; first = false {
		ok, err := d.more('}', first)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		k, err := d.member(v, depth)
		if err != nil {
			return err
		}
		if k != KindInvalid {
			kinds |= 1 << k
			v.Kind = k
		}
	}
	switch {
	case kinds == 0:
		return invalid(msgEmptyValue)
	case kinds&(kinds-1) != 0:
		return invalid(msgMultipleTypes)
	}
	return nil
}

// member decodes one "type": payload member into v, returning the kind it
// set, or KindInvalid for an unknown or null member.
func (d *decoder) member(v *Value, depth int) (Kind, error) {
	name, err := d.key()
	if err != nil {
		return KindInvalid, err
	}
	k := kindByName(name)
	if k == KindInvalid {
		return KindInvalid, d.skip(0)
	}
	if d.literal("null") {
		return KindInvalid, nil
	}
	return k, d.payload(k, v, depth)
}

// key reads an object member name and the colon after it. The result may
// alias the input.
func (d *decoder) key() ([]byte, error) {
	if d.peek() != '"' {
		return nil, d.syntaxErr("expected member name")
	}
	name, _, err := d.rawStr()
	if err != nil {
		return nil, err
	}
	return name, d.consume(':')
}

// memberName reads a map member name and the colon after it.
func (d *decoder) memberName() (string, error) {
	if d.peek() != '"' {
		return "", d.syntaxErr("expected member name")
	}
	name, err := d.text()
	if err != nil {
		return "", err
	}
	return name, d.consume(':')
}

func kindByName(name []byte) Kind {
	switch string(name) {
	case "S":
		return S
	case "N":
		return N
	case "B":
		return B
	case "BOOL":
		return BOOL
	case "NULL":
		return NULL
	case "M":
		return M
	case "L":
		return L
	case "SS":
		return SS
	case "NS":
		return NS
	case "BS":
		return BS
	}
	return KindInvalid
}

// payload decodes the member value of kind k into v.
func (d *decoder) payload(k Kind, v *Value, depth int) error {
	var err error
	switch k {
	case S:
		v.Str, err = d.stringValue()
	case N:
		v.Str, err = d.number()
	case B:
		v.Bytes, err = d.binary()
	case BOOL:
		v.Bool, err = d.boolean()
	case NULL:
		err = d.null()
	case M:
		v.Map, err = d.members(depth + 1)
	case L:
		v.List, err = d.list(depth + 1)
	case SS:
		v.Strs, err = d.stringSet()
	case NS:
		v.Strs, err = d.numberSet()
	case BS:
		v.Bins, err = d.binarySet()
	}
	return err
}

func (d *decoder) stringValue() (string, error) {
	if d.peek() != '"' {
		return "", d.mismatch("String")
	}
	return d.text()
}

func (d *decoder) number() (string, error) {
	s, err := d.stringValue()
	if err != nil {
		return "", err
	}
	return ParseNumber(s)
}

func (d *decoder) binary() ([]byte, error) {
	if d.peek() != '"' {
		return nil, d.mismatchBlob()
	}
	raw, _, err := d.rawStr()
	if err != nil {
		return nil, err
	}
	return d.decodeBase64(raw)
}

// decodeBase64 decodes standard, padded base64 as the SDKs send it.
func (d *decoder) decodeBase64(raw []byte) ([]byte, error) {
	if len(raw)%4 != 0 {
		return nil, d.syntaxErr(fmt.Sprintf("Base64 encoded length is expected a multiple of 4 bytes but found: %d", len(raw)))
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(raw)))
	n, err := base64.StdEncoding.Strict().Decode(out, raw)
	if err != nil {
		return nil, d.syntaxErr("Invalid Base64 character: " + err.Error())
	}
	return out[:n], nil
}

// boolean decodes a JSON boolean, or a string the Coral framework coerces
// to one ("true", "1", "yes" and their opposites, in any case).
func (d *decoder) boolean() (bool, error) {
	switch {
	case d.literal("true"):
		return true, nil
	case d.literal("false"):
		return false, nil
	case d.peek() == '"':
		raw, _, err := d.rawStr()
		if err != nil {
			return false, err
		}
		switch strings.ToUpper(string(raw)) {
		case "TRUE", "1", "YES":
			return true, nil
		case "FALSE", "0", "NO":
			return false, nil
		}
		return false, d.syntaxErr("Unexpected token received from parser")
	}
	return false, d.mismatch("Boolean")
}

func (d *decoder) null() error {
	ok, err := d.boolean()
	if err != nil {
		return err
	}
	if !ok {
		return invalid(msgNullNotTrue)
	}
	return nil
}

// members decodes a JSON object of names to AttributeValues at level depth.
func (d *decoder) members(depth int) (map[string]Value, error) {
	switch d.peek() {
	case '{':
		d.pos++
	case '[':
		return nil, d.syntaxErr("Unrecognized collection type java.util.Map<java.lang.String, " + coralPackage + "AttributeValue>")
	default:
		return nil, d.syntaxErr("Unexpected field type")
	}
	base := len(*d.scratch)
	defer d.dropMembers(base)
	for first := true; ; first = false {
		ok, err := d.more('}', first)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		name, err := d.memberName()
		if err != nil {
			return nil, err
		}
		var e Value
		if err := d.value(&e, depth); err != nil {
			return nil, err
		}
		*d.scratch = append(*d.scratch, member{name: name, value: e})
	}
	decoded := (*d.scratch)[base:]
	m := make(map[string]Value, len(decoded))
	for _, mem := range decoded {
		m[mem.name] = mem.value
	}
	return m, nil
}

// dropMembers clears and removes the scratch members from base on.
func (d *decoder) dropMembers(base int) {
	clear((*d.scratch)[base:])
	*d.scratch = (*d.scratch)[:base]
}

func (d *decoder) list(depth int) ([]Value, error) {
	if d.peek() != '[' {
		return nil, d.mismatchList()
	}
	d.pos++
	var buf [4]Value
	list := buf[:0]
	for first := true; ; first = false {
		ok, err := d.more(']', first)
		if err != nil {
			return nil, err
		}
		if !ok {
			return append(make([]Value, 0, len(list)), list...), nil
		}
		var e Value
		if err := d.value(&e, depth); err != nil {
			return nil, err
		}
		list = append(list, e)
	}
}

// strings decodes a JSON array of strings, as SS, NS and BS carry.
func (d *decoder) strings() ([]string, error) {
	if d.peek() != '[' {
		return nil, d.mismatchList()
	}
	d.pos++
	var buf [8]string
	strs := buf[:0]
	for first := true; ; first = false {
		ok, err := d.more(']', first)
		if err != nil {
			return nil, err
		}
		if !ok {
			return append([]string(nil), strs...), nil
		}
		if d.peek() != '"' {
			return nil, d.mismatch("String")
		}
		str, err := d.text()
		if err != nil {
			return nil, err
		}
		strs = append(strs, str)
	}
}

func (d *decoder) stringSet() ([]string, error) {
	set, err := d.strings()
	switch {
	case err != nil:
		return nil, err
	case len(set) == 0:
		return nil, invalid(msgEmptySS)
	case hasDuplicate(set):
		return nil, invalid(duplicatesMessage(set, ""))
	}
	return set, nil
}

func (d *decoder) numberSet() ([]string, error) {
	set, err := d.strings()
	if err != nil {
		return nil, err
	}
	for i, s := range set {
		if set[i], err = ParseNumber(s); err != nil {
			return nil, err
		}
	}
	switch {
	case len(set) == 0:
		return nil, invalid(msgEmptyNS)
	case hasDuplicate(set):
		return nil, invalid(msgDuplicateNumbers)
	}
	return set, nil
}

func (d *decoder) binarySet() ([][]byte, error) {
	encoded, err := d.strings()
	if err != nil {
		return nil, err
	}
	set := make([][]byte, len(encoded))
	for i, e := range encoded {
		if set[i], err = d.decodeBase64([]byte(e)); err != nil {
			return nil, err
		}
	}
	switch {
	case len(set) == 0:
		return nil, invalid(msgEmptyBS)
	case hasDuplicateBytes(set):
		for i, b := range set {
			encoded[i] = base64.StdEncoding.EncodeToString(b)
		}
		return nil, invalid(duplicatesMessage(encoded, "of type BS"))
	}
	return set, nil
}

// duplicatesMessage is AWS's message for a string or binary set with a
// repeated member; AWS writes no space before the " of type BS" suffix.
func duplicatesMessage(members []string, suffix string) string {
	sep := " "
	if suffix != "" {
		sep = suffix + " "
	}
	return "One or more parameter values were invalid: Input collection [" +
		strings.Join(members, ", ") + "]" + sep + "contains duplicates."
}

// smallSet is the size up to which duplicate checks compare pairwise.
const smallSet = 16

func hasDuplicate(set []string) bool {
	if len(set) <= smallSet {
		for i := range set {
			for j := i + 1; j < len(set); j++ {
				if set[i] == set[j] {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[string]struct{}, len(set))
	for _, s := range set {
		if _, ok := seen[s]; ok {
			return true
		}
		seen[s] = struct{}{}
	}
	return false
}

func hasDuplicateBytes(set [][]byte) bool {
	seen := make(map[string]struct{}, len(set))
	for _, b := range set {
		if _, ok := seen[string(b)]; ok {
			return true
		}
		seen[string(b)] = struct{}{}
	}
	return false
}

// mismatch reports a member whose JSON type does not fit target, in the
// Coral framework's words.
func (d *decoder) mismatch(target string) error {
	switch c := d.peek(); {
	case c == '{':
		return d.syntaxErr("Start of structure or map found where not expected")
	case c == '[':
		return d.syntaxErr("Unrecognized collection type class java.lang." + target)
	case c == 't':
		return d.syntaxErr("TRUE_VALUE cannot be converted to " + target)
	case c == 'f':
		return d.syntaxErr("FALSE_VALUE cannot be converted to " + target)
	case c == '"':
		return d.syntaxErr("STRING_VALUE cannot be converted to " + target)
	case c == '-' || c >= '0' && c <= '9':
		return d.syntaxErr("NUMBER_VALUE cannot be converted to " + target)
	}
	return d.syntaxErr("unexpected input where a value was expected")
}

func (d *decoder) mismatchBlob() error {
	if d.peek() == '[' {
		return d.syntaxErr("Unrecognized collection type class java.nio.ByteBuffer")
	}
	if d.peek() == '{' {
		return d.mismatch("")
	}
	return d.syntaxErr("only base-64-encoded strings are convertible to bytes")
}

func (d *decoder) mismatchList() error {
	if d.peek() == '{' {
		return d.mismatch("")
	}
	return d.syntaxErr("Unexpected field type")
}
