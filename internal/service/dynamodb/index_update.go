package dynamodb

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/fogbank/fogbank/internal/storage"
)

// Index limits and messages.
const (
	maxGlobalIndexes   = 20
	msgOneOnlineIndex  = "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"
	msgIndexExists     = "Attempting to create an index which already exists"
	msgNoIndexAction   = "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null"
	msgManyIndexAction = "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object"
)

// checkIndexUpdates applies the request-only rules of
// GlobalSecondaryIndexUpdates.
func checkIndexUpdates(updates []GlobalSecondaryIndexUpdate) error {
	var ce constraintErrors
	for i, u := range updates {
		if c := u.Create; c != nil {
			member := "globalSecondaryIndexUpdates." + strconv.Itoa(i+1) + ".member.create."
			ce.checkTableName(c.IndexName, member+"indexName")
			checkKeySchemaConstraints(&ce, c.KeySchema, member+"keySchema")
			if c.Projection == nil {
				ce.addNull(member + "projection")
			}
			checkThroughputConstraints(&ce, c.ProvisionedThroughput, member+"provisionedThroughput")
		}
	}
	if err := ce.err(); err != nil {
		return err
	}
	seen := map[string]bool{}
	online := 0
	for _, u := range updates {
		name, structural, err := indexAction(u)
		if err != nil {
			return err
		}
		if seen[name] {
			return invalidParams("Only one global secondary index update per index is allowed simultaneously. Index: " + name)
		}
		seen[name] = true
		if structural {
			online++
		}
	}
	if online > 1 {
		return ErrLimitExceeded.New(msgOneOnlineIndex)
	}
	return nil
}

// indexAction returns the index an update names and whether it creates or
// deletes one.
func indexAction(u GlobalSecondaryIndexUpdate) (string, bool, error) {
	n := 0
	name, structural := "", false
	if u.Create != nil {
		n, name, structural = n+1, u.Create.IndexName, true
	}
	if u.Delete != nil {
		n, name, structural = n+1, u.Delete.IndexName, true
	}
	if u.Update != nil {
		n, name = n+1, u.Update.IndexName
	}
	switch n {
	case 0:
		return "", false, invalidParams(msgNoIndexAction)
	case 1:
		return name, structural, nil
	}
	return "", false, invalidParams(msgManyIndexAction)
}

// applyIndexUpdates applies GlobalSecondaryIndexUpdates to d; the
// background builds or removes created and deleted indexes afterwards.
func (s *Service) applyIndexUpdates(d *TableDescription, in *UpdateTableInput) error {
	for _, u := range in.GlobalSecondaryIndexUpdates {
		var err error
		switch {
		case u.Create != nil:
			err = createIndex(d, u.Create, in.AttributeDefinitions)
		case u.Delete != nil:
			err = deleteIndex(d, u.Delete.IndexName)
		default:
			err = updateIndex(d, u.Update)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// indexBusy reports whether one of d's GSIs is being created or deleted.
func indexBusy(d *TableDescription) bool {
	return slices.ContainsFunc(d.GlobalSecondaryIndexes, func(g GlobalSecondaryIndexDescription) bool {
		return g.IndexStatus == statusCreating || g.IndexStatus == statusDeleting
	})
}

// createIndex adds the GSI c to d in the CREATING state.
func createIndex(d *TableDescription, c *GlobalSecondaryIndex, defs []AttributeDefinition) error {
	if gsiPosition(d, c.IndexName) >= 0 || slices.ContainsFunc(d.LocalSecondaryIndexes, func(l LocalSecondaryIndexDescription) bool { return l.IndexName == c.IndexName }) {
		return ErrValidation.New(msgIndexExists)
	}
	if indexBusy(d) {
		return ErrLimitExceeded.New(msgOneOnlineIndex)
	}
	if len(d.GlobalSecondaryIndexes) >= maxGlobalIndexes {
		return ErrLimitExceeded.New("GlobalSecondaryIndex count exceeds the per-table limit of " + strconv.Itoa(maxGlobalIndexes))
	}
	if defs == nil {
		return invalidParams("AttributeDefinitions is not specified for index: " + c.IndexName)
	}
	merged, err := mergeDefinitions(d.AttributeDefinitions, defs)
	if err != nil {
		return err
	}
	if err := checkIndex(c.IndexName, c.KeySchema, c.Projection, merged, map[string]bool{}, map[string]bool{}); err != nil {
		return err
	}
	if err := checkIndexBilling(d, c.IndexName, c.ProvisionedThroughput); err != nil {
		return err
	}
	for _, k := range c.KeySchema {
		if !slices.ContainsFunc(d.AttributeDefinitions, func(a AttributeDefinition) bool { return a.AttributeName == k.AttributeName }) {
			i := slices.IndexFunc(merged, func(a AttributeDefinition) bool { return a.AttributeName == k.AttributeName })
			d.AttributeDefinitions = append(slices.Clip(d.AttributeDefinitions), merged[i]) // never into the cached table's array
		}
	}
	backfilling := true
	d.GlobalSecondaryIndexes = append(d.GlobalSecondaryIndexes, GlobalSecondaryIndexDescription{
		IndexName: c.IndexName, KeySchema: c.KeySchema, Projection: c.Projection,
		IndexStatus: statusCreating, Backfilling: &backfilling,
		ProvisionedThroughput: throughputDescription(c.ProvisionedThroughput),
		OnDemandThroughput:    c.OnDemandThroughput,
		IndexArn:              d.TableArn + "/index/" + c.IndexName,
	})
	return nil
}

// mergeDefinitions returns the table's attribute definitions plus the
// request's new ones, rejecting a changed type.
func mergeDefinitions(have, add []AttributeDefinition) ([]AttributeDefinition, error) {
	out := slices.Clone(have)
	for _, a := range add {
		i := slices.IndexFunc(out, func(h AttributeDefinition) bool { return h.AttributeName == a.AttributeName })
		switch {
		case i < 0:
			out = append(out, a)
		case out[i].AttributeType != a.AttributeType:
			return nil, invalidParams("Attributes cannot be redefined. Please check that your attribute has the same type as previously defined. Attribute: " + a.AttributeName)
		}
	}
	return out, nil
}

// checkIndexBilling requires throughput for a new GSI of a provisioned
// table, and none for an on-demand one.
func checkIndexBilling(d *TableDescription, name string, p *ProvisionedThroughput) error {
	onDemand := d.BillingModeSummary != nil && d.BillingModeSummary.BillingMode == "PAY_PER_REQUEST"
	switch {
	case onDemand && p != nil:
		return invalidParams("ProvisionedThroughput should not be specified for index: " + name + " when BillingMode is PAY_PER_REQUEST")
	case !onDemand && p == nil:
		return invalidParams("ProvisionedThroughput must be specified for index: " + name)
	}
	return nil
}

// gsiPosition returns the position of the named GSI in d, or -1.
func gsiPosition(d *TableDescription, name string) int {
	return slices.IndexFunc(d.GlobalSecondaryIndexes, func(g GlobalSecondaryIndexDescription) bool { return g.IndexName == name })
}

// missingIndex is the error for an update or delete of an unknown index.
func missingIndex(d *TableDescription, verb, name string) error {
	if slices.ContainsFunc(d.LocalSecondaryIndexes, func(l LocalSecondaryIndexDescription) bool { return l.IndexName == name }) {
		return ErrValidation.New("Cannot " + verb + " an index that is not a GlobalSecondaryIndex: " + name)
	}
	return ErrResourceNotFound.New("Requested resource not found: Table: " + d.TableName + " index: " + name + " not found")
}

// deleteIndex marks the named GSI DELETING; the background removes its
// entries and then the index.
func deleteIndex(d *TableDescription, name string) error {
	i := gsiPosition(d, name)
	if i < 0 || d.GlobalSecondaryIndexes[i].IndexStatus == statusDeleting {
		return missingIndex(d, "delete", name)
	}
	if indexBusy(d) {
		return ErrLimitExceeded.New(msgOneOnlineIndex)
	}
	d.GlobalSecondaryIndexes[i].IndexStatus = statusDeleting
	d.GlobalSecondaryIndexes[i].Backfilling = nil
	return nil
}

// updateIndex changes a GSI's throughput.
func updateIndex(d *TableDescription, u *UpdateGlobalSecondaryIndexAction) error {
	i := gsiPosition(d, u.IndexName)
	if i < 0 {
		return missingIndex(d, "update", u.IndexName)
	}
	g := &d.GlobalSecondaryIndexes[i]
	if u.OnDemandThroughput != nil {
		g.OnDemandThroughput = u.OnDemandThroughput
	}
	if u.ProvisionedThroughput == nil {
		return nil
	}
	if d.BillingModeSummary != nil && d.BillingModeSummary.BillingMode == "PAY_PER_REQUEST" {
		return invalidParams("The only Updates for index: " + u.IndexName + " when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput")
	}
	p := u.ProvisionedThroughput
	if p.ReadCapacityUnits == nil || p.WriteCapacityUnits == nil {
		return invalidParams("Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: " + u.IndexName)
	}
	old := g.ProvisionedThroughput
	if old == nil {
		old = throughputDescription(nil)
	}
	if old.ReadCapacityUnits == *p.ReadCapacityUnits && old.WriteCapacityUnits == *p.WriteCapacityUnits {
		return ErrValidation.New(fmt.Sprintf("The provisioned throughput for the index %s will not change. The requested value equals the current value. "+
			"Current ReadCapacityUnits provisioned for the index: %d. Requested ReadCapacityUnits: %d. "+
			"Current WriteCapacityUnits provisioned for the index: %d. Requested WriteCapacityUnits: %d. "+
			"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
			u.IndexName, old.ReadCapacityUnits, *p.ReadCapacityUnits, old.WriteCapacityUnits, *p.WriteCapacityUnits))
	}
	nd := *old
	nd.ReadCapacityUnits, nd.WriteCapacityUnits = *p.ReadCapacityUnits, *p.WriteCapacityUnits
	g.ProvisionedThroughput = &nd
	return nil
}

// finishIndex records in tx that the named GSI of t is built (ACTIVE) or,
// when it was being deleted, gone.
func finishIndex(tx storage.Tx, t *table, name string) error {
	m := t.meta
	m.Description = *describe(m.Description, statusActive, tableStats{})
	d := &m.Description
	i := gsiPosition(d, name)
	if i < 0 {
		return nil
	}
	if d.GlobalSecondaryIndexes[i].IndexStatus == statusDeleting {
		d.GlobalSecondaryIndexes = slices.Delete(d.GlobalSecondaryIndexes, i, i+1)
		d.AttributeDefinitions = usedDefinitions(d)
	} else {
		d.GlobalSecondaryIndexes[i].IndexStatus = statusActive
		d.GlobalSecondaryIndexes[i].Backfilling = nil
	}
	return storeTable(tx, m)
}

// usedDefinitions returns d's attribute definitions that some key uses.
func usedDefinitions(d *TableDescription) []AttributeDefinition {
	used := keyNames(d.KeySchema)
	for _, g := range d.GlobalSecondaryIndexes {
		for k := range keyNames(g.KeySchema) {
			used[k] = true
		}
	}
	for _, l := range d.LocalSecondaryIndexes {
		for k := range keyNames(l.KeySchema) {
			used[k] = true
		}
	}
	return slices.DeleteFunc(slices.Clone(d.AttributeDefinitions), func(a AttributeDefinition) bool { return !used[a.AttributeName] })
}
