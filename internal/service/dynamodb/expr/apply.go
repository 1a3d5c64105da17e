package expr

import (
	"cmp"
	"slices"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// Apply returns the item that results from applying the update to item (nil
// for an item that does not exist yet); item itself is not modified.
//
// As in DynamoDB, every SET value is computed from the original item, list
// indexes in REMOVE refer to the original list, and a SET to a list index
// past the end appends.
func (u *Update) Apply(item attr.Item) (attr.Item, error) {
	out, err := u.apply(item)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Project returns the parts of item at the paths the update touches: with
// the old item it gives ReturnValues UPDATED_OLD, with the new one
// UPDATED_NEW.
func (u *Update) Project(item attr.Item) attr.Item {
	return projectPaths(item, u.Paths())
}

func (u *Update) apply(item attr.Item) (attr.Item, error) {
	values := make([]attr.Value, len(u.actions))
	for i, act := range u.actions {
		if act.kind != actionSet {
			continue
		}
		v, err := evalSetValue(act.value, item)
		if err != nil {
			return nil, err
		}
		values[i] = v
	}
	out := item.Clone()
	if out == nil {
		out = attr.Item{}
	}
	var removes []Path
	for i, act := range u.actions {
		var err error
		switch act.kind {
		case actionSet:
			err = updateAt(out, act.path, setSlot(values[i]))
		case actionAdd:
			err = updateAt(out, act.path, addSlot(act.value.value))
		case actionDelete:
			err = updateAt(out, act.path, deleteSlot(act.value.value))
		case actionRemove:
			removes = append(removes, act.path)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, removeAll(out, removes)
}

// removeAll removes paths from item, later list indexes first so that each
// index refers to the original list.
func removeAll(item attr.Item, paths []Path) error {
	slices.SortFunc(paths, func(a, b Path) int { return comparePaths(b, a) })
	for _, path := range paths {
		if err := updateAt(item, path, removeSlot); err != nil {
			return err
		}
	}
	return nil
}

func comparePaths(a, b Path) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := cmp.Compare(a[i].Index, b[i].Index); c != 0 {
			return c
		}
		if c := cmp.Compare(a[i].Name, b[i].Name); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

// evalSetValue computes a SET action's value from the original item.
func evalSetValue(o *operand, item attr.Item) (attr.Value, error) {
	switch o.kind {
	case opPath:
		v, ok := lookupItem(item, o.path)
		if !ok {
			return attr.Value{}, errMissingAttr
		}
		return v.Clone(), nil
	case opValue:
		return o.value.Clone(), nil
	case opArith:
		return evalArith(o, item)
	}
	if o.fn == "if_not_exists" {
		if v, ok := lookupItem(item, o.args[0].path); ok {
			return v.Clone(), nil
		}
		return evalSetValue(o.args[1], item)
	}
	return evalListAppend(o, item)
}

// evalOperands computes both operands of a binary node, requiring kind k.
func evalOperands(o *operand, item attr.Item, k attr.Kind) (a, b attr.Value, err error) {
	if a, err = evalSetValue(o.args[0], item); err != nil {
		return a, b, err
	}
	if a.Kind != k {
		return a, b, errOperandType
	}
	if b, err = evalSetValue(o.args[1], item); err != nil {
		return a, b, err
	}
	if b.Kind != k {
		return a, b, errOperandType
	}
	return a, b, nil
}

func evalArith(o *operand, item attr.Item) (attr.Value, error) {
	a, b, err := evalOperands(o, item, attr.N)
	if err != nil {
		return attr.Value{}, err
	}
	arith := attr.AddNumbers
	if o.fn == "-" {
		arith = attr.SubNumbers
	}
	n, err := arith(a.Str, b.Str)
	if err != nil {
		return attr.Value{}, err
	}
	return attr.NewN(n), nil
}

func evalListAppend(o *operand, item attr.Item) (attr.Value, error) {
	a, b, err := evalOperands(o, item, attr.L)
	if err != nil {
		return attr.Value{}, err
	}
	return attr.NewL(append(slices.Clip(a.List), b.List...)...), nil
}

// slotFunc computes a slot's new value from its current one (exists is
// false when the slot is empty); keep false removes the slot.
type slotFunc func(cur attr.Value, exists bool) (next attr.Value, keep bool, err error)

func setSlot(v attr.Value) slotFunc {
	return func(attr.Value, bool) (attr.Value, bool, error) { return v, true, nil }
}

func removeSlot(attr.Value, bool) (attr.Value, bool, error) { return attr.Value{}, false, nil }

// addSlot implements ADD: number addition (a missing number is 0) or set
// union (a missing set is empty).
func addSlot(v attr.Value) slotFunc {
	return func(cur attr.Value, exists bool) (attr.Value, bool, error) {
		switch {
		case !exists:
			return v.Clone(), true, nil
		case cur.Kind != v.Kind:
			return attr.Value{}, false, errOperandType
		case v.Kind == attr.N:
			n, err := attr.AddNumbers(cur.Str, v.Str)
			return attr.NewN(n), err == nil, err
		}
		u, err := attr.SetUnion(cur, v)
		return u, err == nil, err
	}
}

// deleteSlot implements DELETE: set difference, removing an emptied set.
func deleteSlot(v attr.Value) slotFunc {
	return func(cur attr.Value, exists bool) (attr.Value, bool, error) {
		switch {
		case !exists:
			return attr.Value{}, false, nil
		case cur.Kind != v.Kind:
			return attr.Value{}, false, errOperandType
		}
		d, nonEmpty := attr.SetDifference(cur, v)
		return d, nonEmpty, nil
	}
}

// updateAt applies fn to the slot at path in item. Every ancestor of the
// slot must exist with the right type.
func updateAt(item attr.Item, path Path, fn slotFunc) error {
	name := path[0].Name
	cur, exists := item[name]
	if len(path) > 1 {
		if !exists {
			return errInvalidPath
		}
		next, err := updateIn(cur, path[1:], fn)
		if err != nil {
			return err
		}
		item[name] = next
		return nil
	}
	next, keep, err := fn(cur, exists)
	switch {
	case err != nil:
		return err
	case keep:
		item[name] = next
	default:
		delete(item, name)
	}
	return nil
}

// updateIn applies fn at the relative path rest inside v, a value owned by
// the output item, and returns the updated v.
func updateIn(v attr.Value, rest Path, fn slotFunc) (attr.Value, error) {
	if rest[0].IsIndex {
		return updateList(v, rest, fn)
	}
	if v.Kind != attr.M {
		return v, errInvalidPath
	}
	name := rest[0].Name
	cur, exists := v.Map[name]
	if len(rest) > 1 {
		if !exists {
			return v, errInvalidPath
		}
		next, err := updateIn(cur, rest[1:], fn)
		v.Map[name] = next
		return v, err
	}
	next, keep, err := fn(cur, exists)
	switch {
	case err != nil:
		return v, err
	case keep:
		if v.Map == nil {
			v.Map = make(map[string]attr.Value)
		}
		v.Map[name] = next
	default:
		delete(v.Map, name)
	}
	return v, nil
}

func updateList(v attr.Value, rest Path, fn slotFunc) (attr.Value, error) {
	if v.Kind != attr.L {
		return v, errInvalidPath
	}
	i := rest[0].Index
	exists := i < len(v.List)
	if len(rest) > 1 {
		if !exists {
			return v, errInvalidPath
		}
		next, err := updateIn(v.List[i], rest[1:], fn)
		v.List[i] = next
		return v, err
	}
	var cur attr.Value
	if exists {
		cur = v.List[i]
	}
	next, keep, err := fn(cur, exists)
	switch {
	case err != nil:
		return v, err
	case keep && exists:
		v.List[i] = next
	case keep:
		v.List = append(v.List, next)
	case exists:
		v.List = slices.Delete(v.List, i, i+1)
	}
	return v, nil
}
