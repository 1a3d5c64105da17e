package attr

// SetUnion returns a ∪ b for UpdateExpression's ADD on a set: a's members in
// order, then b's members that a lacks. Both must be sets of the same kind;
// otherwise it returns an *[Error] with AWS's message. NS members compare as
// canonical text (see [Value]).
func SetUnion(a, b Value) (Value, error) {
	if a.Kind != b.Kind || !a.Kind.IsSet() {
		return Value{}, invalid(msgSetTypeMismatch)
	}
	out := a.Clone()
	if a.Kind == BS {
		idx := newMemberIndex(len(out.Bins) + len(b.Bins))
		for _, m := range out.Bins {
			idx.add(string(m))
		}
		for _, m := range b.Bins {
			if idx.add(string(m)) {
				out.Bins = append(out.Bins, cloneBytes(m))
			}
		}
		return out, nil
	}
	idx := newMemberIndex(len(out.Strs) + len(b.Strs))
	for _, m := range out.Strs {
		idx.add(m)
	}
	for _, m := range b.Strs {
		if idx.add(m) {
			out.Strs = append(out.Strs, m)
		}
	}
	return out, nil
}

// SetDifference returns a minus b's members for UpdateExpression's DELETE.
// ok is false when nothing is left, meaning the attribute is to be removed.
// When a and b are not sets of the same kind, a is returned unchanged;
// callers check kinds first to report AWS's error.
func SetDifference(a, b Value) (Value, bool) {
	if a.Kind != b.Kind || !a.Kind.IsSet() {
		return a, true
	}
	out := Value{Kind: a.Kind}
	idx := newMemberIndex(len(b.Strs) + len(b.Bins))
	if a.Kind == BS {
		for _, m := range b.Bins {
			idx.add(string(m))
		}
		for _, m := range a.Bins {
			if !idx.has(string(m)) {
				out.Bins = append(out.Bins, cloneBytes(m))
			}
		}
		return out, len(out.Bins) > 0
	}
	for _, m := range b.Strs {
		idx.add(m)
	}
	for _, m := range a.Strs {
		if !idx.has(m) {
			out.Strs = append(out.Strs, m)
		}
	}
	return out, len(out.Strs) > 0
}

// memberIndex answers membership queries on set members: by scanning a
// list while the set is small, through a map once it is large.
type memberIndex struct {
	list []string
	m    map[string]struct{}
}

func newMemberIndex(size int) *memberIndex {
	if size > smallSet {
		return &memberIndex{m: make(map[string]struct{}, size)}
	}
	return &memberIndex{list: make([]string, 0, size)}
}

func (x *memberIndex) has(s string) bool {
	if x.m != nil {
		_, ok := x.m[s]
		return ok
	}
	for _, e := range x.list {
		if e == s {
			return true
		}
	}
	return false
}

// add inserts s, reporting whether it was new.
func (x *memberIndex) add(s string) bool {
	if x.has(s) {
		return false
	}
	if x.m != nil {
		x.m[s] = struct{}{}
	} else {
		x.list = append(x.list, s)
	}
	return true
}
