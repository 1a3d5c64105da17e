package attr

// NewS returns a string value.
func NewS(s string) Value { return Value{Kind: S, Str: s} }

// NewN returns a number value; canonical must already be canonical text as
// returned by [ParseNumber].
func NewN(canonical string) Value { return Value{Kind: N, Str: canonical} }

// NewB returns a binary value holding b (not copied).
func NewB(b []byte) Value { return Value{Kind: B, Bytes: b} }

// NewBool returns a boolean value.
func NewBool(b bool) Value { return Value{Kind: BOOL, Bool: b} }

// NewNull returns the NULL value.
func NewNull() Value { return Value{Kind: NULL} }

// NewL returns a list of vs.
func NewL(vs ...Value) Value {
	if vs == nil {
		vs = []Value{}
	}
	return Value{Kind: L, List: vs}
}

// NewM returns a map value holding m (not copied).
func NewM(m map[string]Value) Value {
	if m == nil {
		m = map[string]Value{}
	}
	return Value{Kind: M, Map: m}
}

// NewSS returns a string set of members, which must be distinct.
func NewSS(members ...string) Value { return Value{Kind: SS, Strs: members} }

// NewNS returns a number set of canonical, distinct members.
func NewNS(members ...string) Value { return Value{Kind: NS, Strs: members} }

// NewBS returns a binary set of distinct members.
func NewBS(members ...[]byte) Value { return Value{Kind: BS, Bins: members} }

// Clone returns a deep copy of v.
func (v Value) Clone() Value {
	switch v.Kind {
	case B:
		v.Bytes = cloneBytes(v.Bytes)
	case M:
		v.Map = cloneMap(v.Map)
	case L:
		list := make([]Value, len(v.List))
		for i, e := range v.List {
			list[i] = e.Clone()
		}
		v.List = list
	case SS, NS:
		v.Strs = append([]string(nil), v.Strs...)
	case BS:
		bins := make([][]byte, len(v.Bins))
		for i, b := range v.Bins {
			bins[i] = cloneBytes(b)
		}
		v.Bins = bins
	}
	return v
}

// Clone returns a deep copy of it.
func (it Item) Clone() Item {
	if it == nil {
		return nil
	}
	return cloneMap(it)
}

func cloneMap(m map[string]Value) map[string]Value {
	out := make(map[string]Value, len(m))
	for k, e := range m {
		out[k] = e.Clone()
	}
	return out
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}
