package expr

// Resolution and validation steps shared by every expression kind. Each
// walks its nodes in source order and reports the first problem, so that a
// parse reports errors in DynamoDB's order of checks.

// checkReservedPath reports a bare attribute name that is a reserved word.
func checkReservedPath(kind exprKind, path Path) *Error {
	for _, e := range path {
		if !e.IsIndex && e.placeholder == "" && isReserved(e.Name) {
			return kind.invalid("%s", reservedWord(e.Name))
		}
	}
	return nil
}

// resolveNames substitutes #placeholders in path.
func resolveNames(kind exprKind, path Path, a *Attrs) *Error {
	for i := range path {
		ph := path[i].placeholder
		if ph == "" {
			continue
		}
		name, ok := a.name(ph)
		if !ok {
			return kind.invalid("%s", undefinedName(ph))
		}
		path[i].Name = name
	}
	return nil
}

// resolveOperand substitutes the placeholders of one operand node (not its
// arguments): names when names is set, values when values is set.
func resolveOperand(kind exprKind, o *operand, a *Attrs, names, values bool) *Error {
	switch {
	case o.kind == opPath && names:
		return resolveNames(kind, o.path, a)
	case o.kind == opValue && values:
		v, ok := a.value(o.placeholder)
		if !ok {
			return kind.invalid("%s", undefinedValue(o.placeholder))
		}
		o.value = v
	}
	return nil
}

// checkPathSet reports the first pair of paths where one is a prefix of
// (or equal to) the other, or else the first pair that uses a name and an
// index at the same position. Path one is the earlier path.
func checkPathSet(kind exprKind, paths []Path) *Error {
	var conflict *Error
	for j, later := range paths {
		for _, earlier := range paths[:j] {
			switch relatePaths(earlier, later) {
			case pathsOverlap:
				return kind.invalid("%s", pathsMessage("overlap", earlier, later))
			case pathsConflict:
				if conflict == nil {
					conflict = kind.invalid("%s", pathsMessage("conflict", earlier, later))
				}
			}
		}
	}
	return conflict
}

type pathRelation uint8

const (
	pathsDisjoint pathRelation = iota
	pathsOverlap
	pathsConflict
)

func relatePaths(a, b Path) pathRelation {
	for i := 0; i < len(a) && i < len(b); i++ {
		switch {
		case a[i].IsIndex != b[i].IsIndex:
			return pathsConflict
		case a[i].Name != b[i].Name || a[i].Index != b[i].Index:
			return pathsDisjoint
		}
	}
	return pathsOverlap
}
