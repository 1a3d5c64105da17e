package dynamodb

import (
	"context"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/storage"
)

// This file is the one write path that PutItem, UpdateItem, DeleteItem,
// BatchWriteItem and TransactWriteItems share: a validated single-item write
// (a writeAction) is first evaluated against the stored item inside a storage
// transaction (reading it, checking the condition, computing the new item)
// and the resulting itemChange is then applied through replaceItem. Keeping
// evaluation and application apart lets a transaction evaluate every action
// before it writes any.

// keyMessages selects the wording of key validation errors: the single-item
// operations and the multi-item ones (batches, transactions) word them
// differently.
type keyMessages uint8

const (
	// singleItemKeys is PutItem's, UpdateItem's and DeleteItem's wording.
	singleItemKeys keyMessages = iota
	// multiItemKeys is the batches' and transactions' wording: any missing
	// or mistyped key attribute is "The provided key element does not match
	// the schema", and empty key values are "One or more parameter values
	// are not valid. ...".
	multiItemKeys
)

// msgParamsNotValid starts the multi-item operations' empty-key message.
const msgParamsNotValid = "One or more parameter values are not valid. "

// writeAction is one validated single-item write.
type writeAction interface {
	// storageKey validates the action's key against t and returns the
	// storage key of the item it writes.
	storageKey(t *table) ([]byte, error)
	// next checks the action's condition against old (nil when absent) and
	// returns the item that replaces it (nil deletes it). A failed condition
	// is a ConditionalCheckFailedException.
	next(t *table, old attr.Item) (attr.Item, error)
}

// itemChange is an evaluated write: the item stored at key and the item
// that replaces it.
type itemChange struct {
	key      []byte
	old, new attr.Item
	// unchanged is set for a ConditionCheck, which writes nothing.
	unchanged bool
}

// apply writes c through replaceItem.
func (c *itemChange) apply(tx storage.Tx, t *table) error {
	if c.unchanged {
		return nil
	}
	return t.replaceItem(tx, c.key, c.old, c.new)
}

// evaluate reads the item at key inside r and evaluates a against it. The
// change carries the stored item even when the condition fails.
func (t *table) evaluate(r storage.ReadTx, a writeAction, key []byte) (itemChange, error) {
	old, err := readItem(r, key)
	if err != nil {
		return itemChange{}, err
	}
	_, check := a.(checkAction)
	c := itemChange{key: key, old: old, unchanged: check}
	c.new, err = a.next(t, old)
	return c, err
}

// writeItem runs one write action on the named table in its own storage
// Update: load the table, validate the key, evaluate, apply.
func (s *Service) writeItem(ctx context.Context, name string, a writeAction) (itemChange, error) {
	var c itemChange
	var tableID string
	err := s.opts.Engine.Update(ctx, func(tx storage.Tx) error {
		s.meta.prefetchItem(tx, name, a.storageKey)
		t, err := s.meta.loadTable(tx, name)
		if err != nil {
			return noTable(err)
		}
		key, err := a.storageKey(t)
		if err != nil {
			return err
		}
		if c, err = t.evaluate(tx, a, key); err != nil {
			return err
		}
		tableID = t.meta.Description.TableID
		return c.apply(tx, t)
	})
	if err != nil {
		return itemChange{}, err
	}
	s.stats.invalidate(tableID)
	return c, nil
}

// putAction writes item whole, under opts' condition.
type putAction struct {
	item attr.Item
	opts *writeOptions
	msgs keyMessages
}

func (a putAction) storageKey(t *table) ([]byte, error) {
	if a.msgs == multiItemKeys {
		return t.multiItemKey(a.item, true)
	}
	return t.storageKeyFromItem(a.item)
}

func (a putAction) next(_ *table, old attr.Item) (attr.Item, error) {
	if err := a.opts.checkCondition(old); err != nil {
		return nil, err
	}
	return a.item, nil
}

// deleteAction deletes the item at key, under opts' condition.
type deleteAction struct {
	key  attr.Item
	opts *writeOptions
	msgs keyMessages
}

func (a deleteAction) storageKey(t *table) ([]byte, error) {
	return t.keyFor(a.key, a.msgs)
}

func (a deleteAction) next(_ *table, old attr.Item) (attr.Item, error) {
	return nil, a.opts.checkCondition(old)
}

// checkAction is a transaction's ConditionCheck: it checks opts' condition
// on the item at key and writes nothing.
type checkAction struct {
	key  attr.Item
	opts *writeOptions
}

func (a checkAction) storageKey(t *table) ([]byte, error) {
	return t.keyFor(a.key, multiItemKeys)
}

func (a checkAction) next(_ *table, old attr.Item) (attr.Item, error) {
	return old, a.opts.checkCondition(old)
}

// updateAction applies an update to the item at key (creating it from the
// key when absent), under opts' condition.
type updateAction struct {
	key  attr.Item
	opts *updateOptions
	msgs keyMessages
}

func (a updateAction) storageKey(t *table) ([]byte, error) {
	key, err := t.keyFor(a.key, a.msgs)
	if err != nil {
		return nil, err
	}
	return key, a.opts.checkKeyUpdates(t)
}

func (a updateAction) next(t *table, old attr.Item) (attr.Item, error) {
	if err := a.opts.checkCondition(old); err != nil {
		return nil, err
	}
	updated, err := a.opts.apply(old, a.key)
	if err != nil {
		return nil, err
	}
	if attr.ItemSize(updated) > maxItemBytes {
		return nil, ErrValidation.New(msgUpdateItemTooLarge)
	}
	if err := t.checkIndexKeys(updated); err != nil {
		return nil, err
	}
	return updated, nil
}

// keyFor validates a Key parameter with the wording msgs selects and
// returns the item's storage key.
func (t *table) keyFor(key attr.Item, msgs keyMessages) ([]byte, error) {
	if msgs == multiItemKeys {
		return t.multiItemKey(key, false)
	}
	return t.storageKeyFromKey(key)
}

// multiItemKey validates the key attributes of a batch or transaction
// request (a Key, or a Put's whole item when isItem) and returns the item's
// storage key.
func (t *table) multiItemKey(item attr.Item, isItem bool) ([]byte, error) {
	ks := t.keyAttrs()
	if !isItem && len(item) != len(ks) {
		return nil, ErrValidation.New(msgKeyMismatch)
	}
	for i, ka := range ks {
		v, ok := item[ka.name]
		if !ok || v.Kind != ka.kind {
			return nil, ErrValidation.New(msgKeyMismatch)
		}
		if err := checkKeyValue(v, ka.name, i == 0, msgParamsNotValid); err != nil {
			return nil, err
		}
	}
	if isItem {
		if err := t.checkIndexKeys(item); err != nil {
			return nil, err
		}
	}
	return t.encodeKey(item)
}
