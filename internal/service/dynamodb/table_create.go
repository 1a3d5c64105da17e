package dynamodb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/fogbank/fogbank/internal/storage"
)

// CreateTable creates a table. Tables are usable at once: the response says
// CREATING as AWS's does, and every later DescribeTable says ACTIVE.
func (s *Service) CreateTable(ctx context.Context, in *CreateTableInput) (*CreateTableOutput, error) {
	if err := validateCreateTable(in); err != nil {
		return nil, err
	}
	m := s.newTableMeta(in)
	err := s.opts.Engine.Update(ctx, func(tx storage.Tx) error {
		if _, err := tx.Get(tableKey(in.TableName)); err == nil {
			return ErrResourceInUse.Newf(tableExistsFmt, in.TableName)
		} else if !errors.Is(err, storage.ErrNotFound) {
			return fmt.Errorf("dynamodb: create table %q: %w", in.TableName, err)
		}
		return storeTable(tx, m)
	})
	if err != nil {
		return nil, err
	}
	s.opts.Logger.InfoContext(ctx, "table created", "table", in.TableName)
	d := describe(m.Description, "CREATING", tableStats{})
	for i := range d.GlobalSecondaryIndexes {
		d.GlobalSecondaryIndexes[i].IndexStatus = "CREATING"
	}
	return &CreateTableOutput{TableDescription: d}, nil
}

// newTableMeta builds the stored metadata of the table in.
func (s *Service) newTableMeta(in *CreateTableInput) tableMeta {
	now := epoch(s.opts.Now())
	arn := s.tableARN(in.TableName)
	d := TableDescription{
		AttributeDefinitions:      in.AttributeDefinitions,
		TableName:                 in.TableName,
		KeySchema:                 in.KeySchema,
		TableStatus:               "ACTIVE",
		CreationDateTime:          now,
		TableArn:                  arn,
		TableID:                   newUUID(),
		ProvisionedThroughput:     throughputDescription(in.ProvisionedThroughput),
		DeletionProtectionEnabled: in.DeletionProtectionEnabled,
		TableClassSummary:         &TableClassSummary{TableClass: cmp.Or(in.TableClass, "STANDARD")},
		SSEDescription:            s.sseDescription(in.SSESpecification),
		OnDemandThroughput:        in.OnDemandThroughput,
	}
	if in.BillingMode == "PAY_PER_REQUEST" {
		d.BillingModeSummary = &BillingModeSummary{BillingMode: "PAY_PER_REQUEST", LastUpdateToPayPerRequestDateTime: &now}
	}
	for _, g := range in.GlobalSecondaryIndexes {
		d.GlobalSecondaryIndexes = append(d.GlobalSecondaryIndexes, GlobalSecondaryIndexDescription{
			IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection, IndexStatus: "ACTIVE",
			ProvisionedThroughput: throughputDescription(g.ProvisionedThroughput),
			OnDemandThroughput:    g.OnDemandThroughput,
			IndexArn:              arn + "/index/" + g.IndexName,
		})
	}
	for _, l := range in.LocalSecondaryIndexes {
		d.LocalSecondaryIndexes = append(d.LocalSecondaryIndexes, LocalSecondaryIndexDescription{
			IndexName: l.IndexName, KeySchema: l.KeySchema, Projection: l.Projection,
			IndexArn: arn + "/index/" + l.IndexName,
		})
	}
	s.applyStream(&d, in.StreamSpecification)
	return tableMeta{Description: d, Tags: in.Tags}
}

// applyStream records a stream specification on d, labelling a newly
// enabled stream with the current time as AWS does.
func (s *Service) applyStream(d *TableDescription, spec *StreamSpecification) {
	if spec == nil {
		return
	}
	if !spec.StreamEnabled {
		d.StreamSpecification = nil
		return
	}
	d.StreamSpecification = spec
	d.LatestStreamLabel = s.opts.Now().UTC().Format("2006-01-02T15:04:05.000")
	d.LatestStreamArn = d.TableArn + "/stream/" + d.LatestStreamLabel
}

// sseDescription returns the encryption state for spec; nil (AWS-owned key)
// unless encryption with a KMS key is requested.
func (s *Service) sseDescription(spec *SSESpecification) *SSEDescription {
	if spec == nil || spec.Enabled == nil || !*spec.Enabled {
		return nil
	}
	key := spec.KMSMasterKeyID
	if !strings.HasPrefix(key, "arn:") {
		key = "arn:aws:kms:" + s.opts.Region + ":" + s.opts.AccountID + ":key/" + cmp.Or(key, "aws/dynamodb")
	}
	return &SSEDescription{Status: "ENABLED", SSEType: "KMS", KMSMasterKeyArn: key}
}

// throughputDescription returns the described form of p; zeros (as AWS shows
// for on-demand tables) when p is nil.
func throughputDescription(p *ProvisionedThroughput) *ProvisionedThroughputDescription {
	d := &ProvisionedThroughputDescription{}
	if p != nil && p.ReadCapacityUnits != nil && p.WriteCapacityUnits != nil {
		d.ReadCapacityUnits, d.WriteCapacityUnits = *p.ReadCapacityUnits, *p.WriteCapacityUnits
	}
	return d
}

// validateCreateTable applies CreateTable's modeled constraints, then its
// semantic rules, in AWS's order.
func validateCreateTable(in *CreateTableInput) error {
	var ce constraintErrors
	ce.checkTableName(in.TableName, "tableName")
	checkKeySchemaConstraints(&ce, in.KeySchema, "keySchema")
	if in.AttributeDefinitions == nil {
		ce.addNull("attributeDefinitions")
	}
	for i, ad := range in.AttributeDefinitions {
		ce.checkEnum(ad.AttributeType, "attributeDefinitions."+strconv.Itoa(i+1)+".member.attributeType", "B", "N", "S")
	}
	ce.checkEnum(in.BillingMode, "billingMode", "PROVISIONED", "PAY_PER_REQUEST")
	checkThroughputConstraints(&ce, in.ProvisionedThroughput, "provisionedThroughput")
	for i, g := range in.GlobalSecondaryIndexes {
		member := "globalSecondaryIndexes." + strconv.Itoa(i+1) + ".member."
		ce.checkTableName(g.IndexName, member+"indexName")
		checkKeySchemaConstraints(&ce, g.KeySchema, member+"keySchema")
		if g.Projection == nil {
			ce.addNull(member + "projection")
		}
	}
	for i, l := range in.LocalSecondaryIndexes {
		member := "localSecondaryIndexes." + strconv.Itoa(i+1) + ".member."
		ce.checkTableName(l.IndexName, member+"indexName")
		checkKeySchemaConstraints(&ce, l.KeySchema, member+"keySchema")
		if l.Projection == nil {
			ce.addNull(member + "projection")
		}
	}
	if err := ce.err(); err != nil {
		return err
	}
	if err := checkBilling(in); err != nil {
		return err
	}
	if err := checkTableKeys(in); err != nil {
		return err
	}
	if err := checkIndexes(in); err != nil {
		return err
	}
	if in.StreamSpecification != nil && in.StreamSpecification.StreamEnabled && in.StreamSpecification.StreamViewType == "" {
		return invalidParams("You must specify a StreamViewType when enabling a stream")
	}
	return nil
}

// checkKeySchemaConstraints records a key schema's modeled-constraint violations.
func checkKeySchemaConstraints(ce *constraintErrors, ks []KeySchemaElement, member string) {
	if ks == nil {
		ce.addNull(member)
		return
	}
	if len(ks) > 2 {
		ce.add(keySchemaString(ks), member, "Member must have length less than or equal to 2")
	}
	if len(ks) < 1 {
		ce.add("'[]'", member, "Member must have length greater than or equal to 1")
	}
	for i, k := range ks {
		ce.checkEnum(k.KeyType, member+"."+strconv.Itoa(i+1)+".member.keyType", "HASH", "RANGE")
	}
}

// keySchemaString renders ks as Coral quotes list values in messages.
func keySchemaString(ks []KeySchemaElement) string {
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = "KeySchemaElement(attributeName=" + k.AttributeName + ", keyType=" + k.KeyType + ")"
	}
	return "'[" + strings.Join(parts, ", ") + "]'"
}

// checkThroughputConstraints records violations of ProvisionedThroughput's bounds.
func checkThroughputConstraints(ce *constraintErrors, p *ProvisionedThroughput, member string) {
	if p == nil {
		return
	}
	for _, f := range []struct {
		v    *int64
		name string
	}{{p.ReadCapacityUnits, "readCapacityUnits"}, {p.WriteCapacityUnits, "writeCapacityUnits"}} {
		switch {
		case f.v == nil:
			ce.addNull(member + "." + f.name)
		case *f.v < 1:
			ce.addString(strconv.FormatInt(*f.v, 10), member+"."+f.name, "Member must have value greater than or equal to 1")
		}
	}
}

// checkBilling enforces that ProvisionedThroughput is given exactly when the
// billing mode is PROVISIONED (the default).
func checkBilling(in *CreateTableInput) error {
	if in.BillingMode == "PAY_PER_REQUEST" {
		if in.ProvisionedThroughput != nil {
			return invalidParams("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
		for _, g := range in.GlobalSecondaryIndexes {
			if g.ProvisionedThroughput != nil {
				return invalidParams("ProvisionedThroughput should not be specified for index: " + g.IndexName + " when BillingMode is PAY_PER_REQUEST")
			}
		}
		return nil
	}
	if in.ProvisionedThroughput == nil {
		return invalidParams("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
	}
	for _, g := range in.GlobalSecondaryIndexes {
		if g.ProvisionedThroughput == nil {
			return invalidParams("ProvisionedThroughput must be specified for index: " + g.IndexName)
		}
	}
	return nil
}

// checkTableKeys checks the table's key schema against AttributeDefinitions.
func checkTableKeys(in *CreateTableInput) error {
	defs := attributeNames(in.AttributeDefinitions)
	if len(defs) != len(in.AttributeDefinitions) {
		return invalidParams("Cannot have two attributes with the same name")
	}
	keys := keyNames(in.KeySchema)
	if len(keys) > len(defs) {
		return ErrValidation.New("Invalid KeySchema: Some index key attribute have no definition")
	}
	if err := checkKeysDefined(in.KeySchema, in.AttributeDefinitions); err != nil {
		return err
	}
	if err := checkKeyOrder(in.KeySchema); err != nil {
		return err
	}
	if len(in.GlobalSecondaryIndexes) == 0 && len(in.LocalSecondaryIndexes) == 0 && len(keys) != len(defs) {
		return invalidParams("Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions")
	}
	return nil
}

// checkKeyOrder enforces HASH first, RANGE second, and distinct names.
func checkKeyOrder(ks []KeySchemaElement) error {
	if len(ks) == 2 && ks[0].AttributeName == ks[1].AttributeName {
		return ErrValidation.New("Both the Hash Key and the Range Key element in the KeySchema have the same name")
	}
	if ks[0].KeyType != "HASH" {
		return ErrValidation.New("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
	}
	if len(ks) == 2 && ks[1].KeyType != "RANGE" {
		return ErrValidation.New("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
	}
	return nil
}

// checkKeysDefined requires every key attribute to appear in defs.
func checkKeysDefined(ks []KeySchemaElement, defs []AttributeDefinition) error {
	names := definitionNames(defs)
	keys := make([]string, len(ks))
	for i, k := range ks {
		keys[i] = k.AttributeName
	}
	for _, k := range keys {
		if !slices.Contains(names, k) {
			return invalidParams("Some index key attributes are not defined in AttributeDefinitions. Keys: [" +
				strings.Join(keys, ", ") + "], AttributeDefinitions: [" + strings.Join(names, ", ") + "]")
		}
	}
	return nil
}

// checkIndexes validates the secondary indexes and that every attribute
// definition is used by some key.
func checkIndexes(in *CreateTableInput) error {
	used := keyNames(in.KeySchema)
	seen := map[string]bool{}
	if in.LocalSecondaryIndexes != nil {
		if err := checkLocalIndexes(in, used, seen); err != nil {
			return err
		}
	}
	if in.GlobalSecondaryIndexes != nil {
		if err := checkGlobalIndexes(in, used, seen); err != nil {
			return err
		}
	}
	if len(used) != len(in.AttributeDefinitions) {
		return invalidParams("Some AttributeDefinitions are not used. AttributeDefinitions: [" +
			strings.Join(definitionNames(in.AttributeDefinitions), ", ") + "], keys used: [" + strings.Join(sortedKeys(used), ", ") + "]")
	}
	return nil
}

// checkLocalIndexes validates the LSIs, recording their key attributes in used.
func checkLocalIndexes(in *CreateTableInput, used, seen map[string]bool) error {
	if len(in.LocalSecondaryIndexes) == 0 {
		return invalidParams("List of LocalSecondaryIndexes is empty")
	}
	if len(in.KeySchema) != 2 {
		return invalidParams("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex")
	}
	for _, l := range in.LocalSecondaryIndexes {
		if err := checkIndex(l.IndexName, l.KeySchema, l.Projection, in.AttributeDefinitions, used, seen); err != nil {
			return err
		}
		if len(l.KeySchema) != 2 {
			return invalidParams("Index KeySchema does not have a range key for index: " + l.IndexName)
		}
		if h := l.KeySchema[0].AttributeName; h != in.KeySchema[0].AttributeName {
			return invalidParams("Index KeySchema does not have the same leading hash key as table KeySchema for index: " +
				l.IndexName + ". index hash key: " + h + ", table hash key: " + in.KeySchema[0].AttributeName)
		}
	}
	if len(in.LocalSecondaryIndexes) > 5 {
		return invalidParams("Number of LocalSecondaryIndexes exceeds per-table limit of 5")
	}
	return nil
}

// checkGlobalIndexes validates the GSIs, recording their key attributes in used.
func checkGlobalIndexes(in *CreateTableInput, used, seen map[string]bool) error {
	if len(in.GlobalSecondaryIndexes) == 0 {
		return invalidParams("List of GlobalSecondaryIndexes is empty")
	}
	for _, g := range in.GlobalSecondaryIndexes {
		if err := checkIndex(g.IndexName, g.KeySchema, g.Projection, in.AttributeDefinitions, used, seen); err != nil {
			return err
		}
	}
	if len(in.GlobalSecondaryIndexes) > 20 {
		return invalidParams("GlobalSecondaryIndex count exceeds the per-table limit of 20")
	}
	return nil
}

// checkIndex validates one index's keys, projection and name.
func checkIndex(name string, ks []KeySchemaElement, p *Projection, defs []AttributeDefinition, used, seen map[string]bool) error {
	keys := keyNames(ks)
	if err := checkKeysDefined(ks, defs); err != nil {
		return err
	}
	if err := checkKeyOrder(ks); err != nil {
		return err
	}
	switch p.ProjectionType {
	case "ALL", "KEYS_ONLY", "INCLUDE":
	default:
		return invalidParams("Unknown ProjectionType: " + cmp.Or(p.ProjectionType, "null"))
	}
	if p.NonKeyAttributes != nil && p.ProjectionType != "INCLUDE" {
		return invalidParams("ProjectionType is " + p.ProjectionType + ", but NonKeyAttributes is specified")
	}
	if seen[name] {
		return invalidParams("Duplicate index name: " + name)
	}
	seen[name] = true
	for k := range keys {
		used[k] = true
	}
	return nil
}

// attributeNames returns the set of defined attribute names.
func attributeNames(defs []AttributeDefinition) map[string]bool {
	m := make(map[string]bool, len(defs))
	for _, d := range defs {
		m[d.AttributeName] = true
	}
	return m
}

// definitionNames returns the defined attribute names in request order.
func definitionNames(defs []AttributeDefinition) []string {
	names := make([]string, len(defs))
	for i, d := range defs {
		names[i] = d.AttributeName
	}
	return names
}

// keyNames returns the set of attribute names in ks.
func keyNames(ks []KeySchemaElement) map[string]bool {
	m := make(map[string]bool, len(ks))
	for _, k := range ks {
		m[k.AttributeName] = true
	}
	return m
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// newUUID returns a random (version 4) UUID.
func newUUID() string { return uuid.NewString() }
