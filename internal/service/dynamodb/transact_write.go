package dynamodb

import (
	"context"
	"strconv"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/storage"
)

// transactAction is one validated TransactWriteItems action.
type transactAction struct {
	table  string
	action writeAction
}

// transactResult is what one run of a transaction's storage Update decided.
type transactResult struct {
	units    capacityTotals
	tableIDs []string
}

// TransactWriteItems applies up to 100 Put, Update, Delete and
// ConditionCheck actions atomically: every action is evaluated, and only
// when all of them succeed are the writes applied, all in one storage
// Update, so the transaction is serializable against every other write.
// Otherwise nothing is written and the TransactionCanceledException lists
// one reason per action, in order. A ClientRequestToken makes the call
// idempotent for 10 minutes (see transact_token.go).
func (s *Service) TransactWriteItems(ctx context.Context, in *TransactWriteItemsInput) (*TransactWriteItemsOutput, error) {
	actions, err := prepareTransactWrite(in)
	if err != nil {
		return nil, err
	}
	tok, err := newRequestToken(in)
	if err != nil {
		return nil, err
	}
	var res transactResult
	err = s.opts.Engine.Update(ctx, func(tx storage.Tx) error {
		res = transactResult{units: capacityTotals{}}
		replay, err := tok.check(tx, s.opts.Now())
		if err != nil || replay {
			if err == nil && (in.ReturnConsumedCapacity == "TOTAL" || in.ReturnConsumedCapacity == "INDEXES") {
				err = s.replayUnits(tx, actions, res.units)
			}
			return err
		}
		if err := s.runTransaction(tx, actions, &res); err != nil {
			return err
		}
		return tok.store(tx, s.opts.Now())
	})
	if err != nil {
		return nil, err
	}
	for _, id := range res.tableIDs {
		s.stats.invalidate(id)
	}
	return &TransactWriteItemsOutput{ConsumedCapacity: res.units.list(in.ReturnConsumedCapacity)}, nil
}

// runTransaction evaluates every action inside tx and, when all succeed,
// applies them; otherwise it returns the TransactionCanceledException.
func (s *Service) runTransaction(tx storage.Tx, actions []transactAction, res *transactResult) error {
	tables, keys, err := s.transactKeys(tx, actions)
	if err != nil {
		return err
	}
	changes := make([]itemChange, len(actions))
	reasons := make([]CancellationReason, len(actions))
	failed := false
	for i, a := range actions {
		changes[i], err = tables[i].evaluate(tx, a.action, keys[i])
		reasons[i] = CancellationReason{Code: "None"}
		if err != nil {
			r, ok := cancellationReason(err)
			if !ok {
				return err
			}
			reasons[i], failed = r, true
		}
	}
	if failed {
		return transactionCanceled(reasons)
	}
	for i, c := range changes {
		if err := c.apply(tx, tables[i]); err != nil {
			return err
		}
		res.units[actions[i].table] += 2 * writeUnits(c.old, c.new)
		res.tableIDs = append(res.tableIDs, tables[i].meta.Description.TableID)
	}
	return nil
}

// transactKeys loads the table of every action and validates its key,
// rejecting a second action on the same item.
func (s *Service) transactKeys(r storage.ReadTx, actions []transactAction) ([]*table, [][]byte, error) {
	seen := seenKeys{}
	tables := make([]*table, len(actions))
	keys := make([][]byte, len(actions))
	for i, a := range actions {
		t, err := s.meta.loadTable(r, tableNameOf(a.table))
		if err != nil {
			return nil, nil, noTable(err)
		}
		if keys[i], err = a.action.storageKey(t); err != nil {
			return nil, nil, err
		}
		if !seen.add(keys[i]) {
			return nil, nil, ErrValidation.New(msgTransactSameItem)
		}
		tables[i] = t
	}
	return tables, keys, nil
}

// replayUnits is the capacity of an idempotent replay: AWS charges reading
// the items (2 units per 4 KB, as for a transactional read) instead of
// writing them again.
func (s *Service) replayUnits(r storage.ReadTx, actions []transactAction, units capacityTotals) error {
	_, keys, err := s.transactKeys(r, actions)
	if err != nil {
		return err
	}
	for i, key := range keys {
		item, err := readItem(r, key)
		if err != nil {
			return err
		}
		units[actions[i].table] += 2 * readUnits(item, true)
	}
	return nil
}

// prepareTransactWrite validates a TransactWriteItems request up to the
// table lookups and parses every action's expressions.
func prepareTransactWrite(in *TransactWriteItemsInput) ([]transactAction, error) {
	if err := checkTransactWriteConstraints(in); err != nil {
		return nil, err
	}
	actions := make([]transactAction, len(in.TransactItems))
	size := 0
	for i, it := range in.TransactItems {
		a, err := transactWriteAction(it)
		if err != nil {
			return nil, err
		}
		actions[i] = a
		size += transactItemSize(it)
	}
	if size > maxTransactBytes {
		return nil, ErrValidation.New("Transaction request size has exceeded the maximum allowed size of 4 MB")
	}
	return actions, nil
}

// transactItemSize is an action's share of the 4 MB transaction limit: the
// size of the item it puts, or of its key.
func transactItemSize(it TransactWriteItem) int {
	switch {
	case it.Put != nil:
		return attr.ItemSize(it.Put.Item)
	case it.Update != nil:
		return attr.ItemSize(it.Update.Key)
	case it.Delete != nil:
		return attr.ItemSize(it.Delete.Key)
	}
	return attr.ItemSize(it.ConditionCheck.Key)
}

// checkTransactWriteConstraints applies TransactWriteItems' modeled constraints.
func checkTransactWriteConstraints(in *TransactWriteItemsInput) error {
	var ce constraintErrors
	if in.TransactItems == nil {
		ce.addNull("transactItems")
	} else {
		ce.checkListLength(len(in.TransactItems), maxTransactItems, javaObjects("TransactWriteItem", "", len(in.TransactItems)), "transactItems")
	}
	ce.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", consumedCapacityEnum...)
	ce.checkEnum(in.ReturnItemCollectionMetrics, "returnItemCollectionMetrics", collectionEnum...)
	if tok := in.ClientRequestToken; tok != nil && len(*tok) > maxRequestTokenLen {
		ce.addString(*tok, "clientRequestToken", "Member must have length less than or equal to 36")
	}
	if tok := in.ClientRequestToken; tok != nil && *tok == "" {
		ce.addString(*tok, "clientRequestToken", "Member must have length greater than or equal to 1")
	}
	for i, it := range in.TransactItems {
		checkTransactItemConstraints(&ce, it, "transactItems."+strconv.Itoa(i+1)+".member.")
	}
	return ce.err()
}

// checkTransactItemConstraints records the violations of one action's members.
func checkTransactItemConstraints(ce *constraintErrors, it TransactWriteItem, member string) {
	check := func(c *transactCommon, op string, keyName string, keyNil bool) {
		m := member + op + "."
		if c.TableName == "" {
			ce.addNull(m + "tableName")
		} else {
			ce.checkTableName(tableNameOf(c.TableName), m+"tableName")
		}
		if keyNil {
			ce.addNull(m + keyName)
		}
		ce.checkEnum(c.ReturnValuesOnConditionCheckFailure, m+"returnValuesOnConditionCheckFailure", onFailureEnum...)
	}
	if p := it.Put; p != nil {
		check(&p.transactCommon, "put", "item", p.Item == nil)
	}
	if u := it.Update; u != nil {
		check(&u.transactCommon, "update", "key", u.Key == nil)
		if u.UpdateExpression == nil {
			ce.addNull(member + "update.updateExpression")
		}
	}
	if d := it.Delete; d != nil {
		check(&d.transactCommon, "delete", "key", d.Key == nil)
	}
	if c := it.ConditionCheck; c != nil {
		check(&c.transactCommon, "conditionCheck", "key", c.Key == nil)
		if c.ConditionExpression == nil {
			ce.addNull(member + "conditionCheck.conditionExpression")
		}
	}
}

// transactWriteAction validates one action and parses its expressions with
// the single-item operations' code.
func transactWriteAction(it TransactWriteItem) (transactAction, error) {
	set := 0
	for _, isSet := range []bool{it.Put != nil, it.Update != nil, it.Delete != nil, it.ConditionCheck != nil} {
		if isSet {
			set++
		}
	}
	switch {
	case set == 0:
		return transactAction{}, ErrValidation.New("The action or operation requested is invalid. Verify that the action is typed correctly.")
	case set > 1:
		return transactAction{}, ErrValidation.New("TransactItems can only contain one of Check, Put, Update or Delete")
	case it.Update != nil:
		return transactUpdate(it.Update)
	case it.Put != nil:
		if attr.ItemSize(it.Put.Item) > maxItemBytes {
			return transactAction{}, ErrValidation.New(msgItemTooLarge)
		}
		opts, err := transactCondition(&it.Put.transactCommon)
		return transactAction{it.Put.TableName, putAction{item: it.Put.Item, opts: opts, msgs: multiItemKeys}}, err
	case it.Delete != nil:
		opts, err := transactCondition(&it.Delete.transactCommon)
		return transactAction{it.Delete.TableName, deleteAction{key: it.Delete.Key, opts: opts, msgs: multiItemKeys}}, err
	}
	opts, err := transactCondition(&it.ConditionCheck.transactCommon)
	return transactAction{it.ConditionCheck.TableName, checkAction{key: it.ConditionCheck.Key, opts: opts}}, err
}

// transactCondition checks and parses a Put's, Delete's or ConditionCheck's
// condition as PutItem and DeleteItem do.
func transactCondition(c *transactCommon) (*writeOptions, error) {
	use := paramUse{}
	use.addExpr("ConditionExpression", c.ConditionExpression != nil, true)
	if err := use.check(c.ExpressionAttributeNames, c.ExpressionAttributeValues); err != nil {
		return nil, err
	}
	return prepareCondition(c.writeCommon())
}

// transactUpdate validates an Update action as UpdateItem does.
func transactUpdate(u *TransactUpdate) (transactAction, error) {
	opts, err := prepareUpdate(&UpdateItemInput{writeCommon: *u.writeCommon(), Key: u.Key, UpdateExpression: u.UpdateExpression})
	if err != nil {
		return transactAction{}, err
	}
	return transactAction{u.TableName, updateAction{key: u.Key, opts: opts, msgs: multiItemKeys}}, nil
}

// writeCommon returns c as the single-item operations' common members.
func (c *transactCommon) writeCommon() *writeCommon {
	return &writeCommon{
		TableName:                           c.TableName,
		ConditionExpression:                 c.ConditionExpression,
		ExpressionAttributeNames:            c.ExpressionAttributeNames,
		ExpressionAttributeValues:           c.ExpressionAttributeValues,
		ReturnValuesOnConditionCheckFailure: c.ReturnValuesOnConditionCheckFailure,
	}
}
