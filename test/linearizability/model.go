// Package linearizability checks that Fogbank's DynamoDB item API is
// linearizable: concurrent clients call GetItem (strongly consistent),
// PutItem, conditional UpdateItem and DeleteItem on a handful of keys
// through the real SDK and HTTP API, every call's invocation and response
// time is recorded, and the history is checked with porcupine against a
// sequential model of DynamoDB's single-item semantics.
//
// The model is partitioned per key: DynamoDB promises nothing across items,
// and each key's history is checked on its own.
//
// A call whose outcome is unknown (a transport error, a server killed with
// SIGKILL) is recorded as possibly applied: the model lets it take effect or
// not. The tests in this package run the workload in-process, across a
// kill -9 and restart of the built binary, and once against a deliberately
// non-atomic conditional write, whose history the checker must reject.
package linearizability

import (
	"fmt"

	"github.com/anishathalye/porcupine"
)

// Kind names an operation of the workload.
type Kind int

// The operations of the workload.
const (
	// Get is GetItem with ConsistentRead.
	Get Kind = iota
	// Put is an unconditional PutItem of a fresh item (ver 0, n 0).
	Put
	// Update is UpdateItem guarded by a version: it sets ver to Expect+1
	// and val to Val if the item's ver is Expect, or, with Expect -1, if
	// the item does not exist.
	Update
	// Increment is UpdateItem ADD n 1 guarded by attribute_exists(pk),
	// returning the new n.
	Increment
	// Delete is an unconditional DeleteItem returning the old item.
	Delete
)

var kindNames = [...]string{Get: "get", Put: "put", Update: "update", Increment: "incr", Delete: "delete"}

// String returns the operation's short name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Input is one call: what it does, to which key, with which arguments.
type Input struct {
	// Kind is the operation.
	Kind Kind
	// Key is the item's partition key.
	Key string
	// Val is the value a Put or Update writes.
	Val string
	// Expect is the version an Update's condition expects; -1 means the
	// item must not exist.
	Expect int
}

// Item is one item as the model sees it: the zero Item is "no item".
type Item struct {
	// Exists reports whether the item exists.
	Exists bool
	// Ver is the item's version attribute.
	Ver int
	// N is the item's counter attribute (0 when absent).
	N int
	// Val is the item's value attribute.
	Val string
}

// String renders the item compactly, for visualisations and errors.
func (it Item) String() string {
	if !it.Exists {
		return "none"
	}
	return fmt.Sprintf("{ver %d n %d val %s}", it.Ver, it.N, it.Val)
}

// Output is what a call returned.
type Output struct {
	// Unknown reports that the call's outcome is unknown: it may or may
	// not have taken effect.
	Unknown bool
	// Failed reports that the condition check failed and nothing changed.
	Failed bool
	// Item is what Get read and what Delete returned as the old item; for
	// Increment only N, the new counter, is set.
	Item Item
}

// Model is the sequential specification of one item, partitioned by key.
// It is nondeterministic only for calls of unknown outcome, which may or
// may not have taken effect.
var Model = (&porcupine.NondeterministicModel{
	Partition:         partitionByKey,
	Init:              func() []any { return []any{Item{}} },
	Step:              step,
	DescribeOperation: describe,
	DescribeState:     func(state any) string { return state.(Item).String() },
}).ToModel()

func partitionByKey(history []porcupine.Operation) [][]porcupine.Operation {
	byKey := map[string]int{}
	var parts [][]porcupine.Operation
	for _, op := range history {
		key := op.Input.(Input).Key
		i, ok := byKey[key]
		if !ok {
			i = len(parts)
			byKey[key] = i
			parts = append(parts, nil)
		}
		parts[i] = append(parts[i], op)
	}
	return parts
}

// step returns the states the item can be in after the call in, given that
// it returned out; none if out is impossible from state.
func step(state, input, output any) []any {
	cur, in, out := state.(Item), input.(Input), output.(Output)
	next, result := apply(cur, in)
	if out.Unknown {
		return []any{cur, next}
	}
	if out != result {
		return nil
	}
	return []any{next}
}

// apply runs the call in on the item cur and returns the new item and the
// output DynamoDB answers with.
func apply(cur Item, in Input) (Item, Output) {
	switch in.Kind {
	case Get:
		return cur, Output{Item: cur}
	case Put:
		return Item{Exists: true, Val: in.Val}, Output{}
	case Update:
		if !versionMatches(cur, in.Expect) {
			return cur, Output{Failed: true}
		}
		return Item{Exists: true, Ver: in.Expect + 1, N: cur.N, Val: in.Val}, Output{}
	case Increment:
		if !cur.Exists {
			return cur, Output{Failed: true}
		}
		cur.N++
		return cur, Output{Item: Item{N: cur.N}}
	case Delete:
		return Item{}, Output{Item: cur}
	}
	return cur, Output{Failed: true}
}

// versionMatches reports whether an Update expecting version expect (-1:
// no item) finds its condition true on cur.
func versionMatches(cur Item, expect int) bool {
	if expect < 0 {
		return !cur.Exists
	}
	return cur.Exists && cur.Ver == expect
}

func describe(input, output any) string {
	in, out := input.(Input), output.(Output)
	var args string
	switch in.Kind {
	case Put:
		args = " " + in.Val
	case Update:
		args = fmt.Sprintf(" if ver=%d set %s", in.Expect, in.Val)
	}
	var res string
	switch {
	case out.Unknown:
		res = "?"
	case out.Failed:
		res = "condition failed"
	case in.Kind == Get || in.Kind == Delete:
		res = out.Item.String()
	case in.Kind == Increment:
		res = fmt.Sprintf("n=%d", out.Item.N)
	default:
		res = "ok"
	}
	return fmt.Sprintf("%s(%s%s) -> %s", in.Kind, in.Key, args, res)
}
