package dynamodb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/storage"
)

// deleteBatch is how many items one storage transaction removes when
// DeleteTable purges a table's items.
const deleteBatch = 1000

// DescribeTable returns a table's description.
func (s *Service) DescribeTable(ctx context.Context, in *DescribeTableInput) (*DescribeTableOutput, error) {
	name := tableNameOf(in.TableName)
	if err := checkTableNameParam(name); err != nil {
		return nil, err
	}
	t, err := s.viewTable(ctx, name)
	if err != nil {
		return nil, err
	}
	st, err := s.tableStats(ctx, t)
	if err != nil {
		return nil, err
	}
	s.resumeIndexWork(t)
	return &DescribeTableOutput{Table: describe(t.meta.Description, "ACTIVE", st)}, nil
}

// viewTable loads the named table in its own snapshot, with AWS's
// control-plane error for a missing table.
func (s *Service) viewTable(ctx context.Context, name string) (*table, error) {
	var t *table
	err := s.opts.Engine.View(ctx, func(r storage.ReadTx) error {
		var err error
		t, err = s.meta.loadTable(r, name)
		return err
	})
	if errors.Is(err, errNoTable) {
		return nil, tableNotFound(name)
	}
	return t, err
}

// describe returns a copy of d with the given status and stats.
func describe(d TableDescription, status string, st tableStats) *TableDescription {
	d.TableStatus = status
	d.ItemCount, d.TableSizeBytes = st.count, st.size
	d.GlobalSecondaryIndexes = slices.Clone(d.GlobalSecondaryIndexes)
	d.LocalSecondaryIndexes = slices.Clone(d.LocalSecondaryIndexes)
	applyIndexStats(&d, st)
	return &d
}

// checkTableNameParam applies the TableName member's modeled constraints.
func checkTableNameParam(name string) error {
	var ce constraintErrors
	ce.checkTableName(name, "tableName")
	return ce.err()
}

// tableNameOf accepts a table name or a table ARN, as DynamoDB does.
func tableNameOf(s string) string {
	if !strings.HasPrefix(s, "arn:") {
		return s
	}
	if _, after, ok := strings.Cut(s, ":table/"); ok && !strings.Contains(after, "/") {
		return after
	}
	return s
}

// ListTables lists table names in order, a page at a time.
func (s *Service) ListTables(ctx context.Context, in *ListTablesInput) (*ListTablesOutput, error) {
	var ce constraintErrors
	limit := 100
	if in.Limit != nil {
		limit = int(*in.Limit)
		if *in.Limit < 1 {
			ce.addString(strconv.FormatInt(*in.Limit, 10), "limit", "Member must have value greater than or equal to 1")
		}
		if *in.Limit > 100 {
			ce.addString(strconv.FormatInt(*in.Limit, 10), "limit", "Member must have value less than or equal to 100")
		}
	}
	start := []byte(tablesPrefix)
	if in.ExclusiveStartTableName != nil {
		ce.checkTableName(*in.ExclusiveStartTableName, "exclusiveStartTableName")
		start = append(tableKey(*in.ExclusiveStartTableName), 0)
	}
	if err := ce.err(); err != nil {
		return nil, err
	}
	out := &ListTablesOutput{TableNames: []string{}}
	err := s.opts.Engine.View(ctx, func(r storage.ReadTx) error {
		out.TableNames = out.TableNames[:0]
		rng := storage.Range{Start: start, End: storage.PrefixEnd([]byte(tablesPrefix)), Limit: limit + 1}
		return r.Scan(rng, func(k, _ []byte) bool {
			out.TableNames = append(out.TableNames, string(k[len(tablesPrefix):]))
			return true
		})
	})
	if err != nil {
		return nil, fmt.Errorf("dynamodb: list tables: %w", err)
	}
	if len(out.TableNames) > limit {
		out.TableNames = out.TableNames[:limit]
		out.LastEvaluatedTableName = out.TableNames[limit-1]
	}
	return out, nil
}

// DeleteTable deletes a table and all of its items.
func (s *Service) DeleteTable(ctx context.Context, in *DeleteTableInput) (*DeleteTableOutput, error) {
	name := tableNameOf(in.TableName)
	if err := checkTableNameParam(name); err != nil {
		return nil, err
	}
	var t *table
	err := s.opts.Engine.Update(ctx, func(tx storage.Tx) error {
		var err error
		if t, err = s.meta.loadTable(tx, name); err != nil {
			return err
		}
		if t.meta.Description.DeletionProtectionEnabled {
			return ErrValidation.New(msgDeletionProtected)
		}
		return tx.Delete(tableKey(name))
	})
	if errors.Is(err, errNoTable) {
		return nil, tableNotFound(name)
	}
	if err != nil {
		return nil, err
	}
	st, _, _ := s.stats.lookup(t.meta.Description.TableID, s.opts.Now())
	if err := s.purgeItems(ctx, t); err != nil {
		return nil, err
	}
	s.opts.Logger.InfoContext(ctx, "table deleted", "table", name)
	return &DeleteTableOutput{TableDescription: describe(t.meta.Description, "DELETING", st)}, nil
}

// purgeItems removes every item of the deleted table t, a batch per
// transaction. The table's metadata is already gone, so nothing can read or
// write these items meanwhile; a purge cut short leaves only unreachable keys.
func (s *Service) purgeItems(ctx context.Context, t *table) error {
	defer s.stats.forget(t.meta.Description.TableID)
	root := itemPrefix(t.meta.Description.TableID) // items and index entries
	rng := storage.Range{Start: root, End: storage.PrefixEnd(root), Limit: deleteBatch}
	for {
		var n int
		err := s.opts.Engine.Update(ctx, func(tx storage.Tx) error {
			var keys [][]byte
			if err := tx.Scan(rng, func(k, _ []byte) bool {
				keys = append(keys, slices.Clone(k))
				return true
			}); err != nil {
				return err
			}
			n = len(keys)
			for _, k := range keys {
				if err := tx.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("dynamodb: purge items of %q: %w", t.name(), err)
		}
		if n < deleteBatch {
			return nil
		}
	}
}

// UpdateTable changes a table's billing mode, throughput, stream, encryption,
// class or deletion protection.
func (s *Service) UpdateTable(ctx context.Context, in *UpdateTableInput) (*UpdateTableOutput, error) {
	name := tableNameOf(in.TableName)
	if err := validateUpdateTable(name, in); err != nil {
		return nil, err
	}
	var out *TableDescription
	err := s.opts.Engine.Update(ctx, func(tx storage.Tx) error {
		t, err := s.meta.loadTable(tx, name)
		if err != nil {
			return err
		}
		m := t.meta
		m.Description = *describe(m.Description, "ACTIVE", tableStats{})
		status, err := s.applyTableUpdate(&m.Description, in)
		if err != nil {
			return err
		}
		out = describe(m.Description, status, tableStats{})
		return storeTable(tx, m)
	})
	if errors.Is(err, errNoTable) {
		return nil, tableNotFound(name)
	}
	if err != nil {
		return nil, err
	}
	if t, err := s.viewTable(ctx, name); err == nil {
		s.resumeIndexWork(t)
		st, _ := s.tableStats(ctx, t)
		out.ItemCount, out.TableSizeBytes = st.count, st.size
		applyIndexStats(out, st)
	}
	return &UpdateTableOutput{TableDescription: out}, nil
}

// validateUpdateTable applies UpdateTable's request-only rules.
func validateUpdateTable(name string, in *UpdateTableInput) error {
	var ce constraintErrors
	ce.checkTableName(name, "tableName")
	ce.checkEnum(in.BillingMode, "billingMode", "PROVISIONED", "PAY_PER_REQUEST")
	ce.checkEnum(in.TableClass, "tableClass", "STANDARD", "STANDARD_INFREQUENT_ACCESS")
	checkThroughputConstraints(&ce, in.ProvisionedThroughput, "provisionedThroughput")
	if err := ce.err(); err != nil {
		return err
	}
	if in.ProvisionedThroughput == nil && in.BillingMode == "" && in.StreamSpecification == nil &&
		len(in.GlobalSecondaryIndexUpdates) == 0 && in.SSESpecification == nil && in.TableClass == "" &&
		in.DeletionProtectionEnabled == nil && in.OnDemandThroughput == nil {
		return ErrValidation.New("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required")
	}
	if len(in.GlobalSecondaryIndexUpdates) > 0 {
		return checkIndexUpdates(in.GlobalSecondaryIndexUpdates)
	}
	return nil
}

// applyTableUpdate applies in to d and returns the status to report.
func (s *Service) applyTableUpdate(d *TableDescription, in *UpdateTableInput) (string, error) {
	status := "ACTIVE"
	if len(in.GlobalSecondaryIndexUpdates) > 0 {
		if err := s.applyIndexUpdates(d, in); err != nil {
			return "", err
		}
		status = "UPDATING"
	}
	if in.BillingMode != "" || in.ProvisionedThroughput != nil {
		if err := s.applyCapacityUpdate(d, in); err != nil {
			return "", err
		}
		status = "UPDATING"
	}
	if in.StreamSpecification != nil {
		if in.StreamSpecification.StreamEnabled && d.StreamSpecification != nil {
			return "", ErrValidation.New("Table already has an enabled stream: TableName: " + d.TableName)
		}
		s.applyStream(d, in.StreamSpecification)
	}
	if in.SSESpecification != nil {
		d.SSEDescription = s.sseDescription(in.SSESpecification)
	}
	if in.TableClass != "" {
		now := epoch(s.opts.Now())
		d.TableClassSummary = &TableClassSummary{TableClass: in.TableClass, LastUpdateDateTime: &now}
	}
	if in.DeletionProtectionEnabled != nil {
		d.DeletionProtectionEnabled = *in.DeletionProtectionEnabled
	}
	if in.OnDemandThroughput != nil {
		d.OnDemandThroughput = in.OnDemandThroughput
	}
	return status, nil
}

// applyCapacityUpdate switches the billing mode and/or throughput.
func (s *Service) applyCapacityUpdate(d *TableDescription, in *UpdateTableInput) error {
	current := "PROVISIONED"
	if d.BillingModeSummary != nil {
		current = d.BillingModeSummary.BillingMode
	}
	mode := cmp.Or(in.BillingMode, current)
	now := epoch(s.opts.Now())
	if mode == "PAY_PER_REQUEST" {
		if in.ProvisionedThroughput != nil {
			return invalidParams("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
		if current != mode {
			d.BillingModeSummary = &BillingModeSummary{BillingMode: mode, LastUpdateToPayPerRequestDateTime: &now}
			d.ProvisionedThroughput = throughputDescription(nil)
			for i := range d.GlobalSecondaryIndexes {
				d.GlobalSecondaryIndexes[i].ProvisionedThroughput = throughputDescription(nil)
			}
		}
		return nil
	}
	if in.ProvisionedThroughput == nil {
		return invalidParams("ProvisionedThroughput must be specified when BillingMode is PROVISIONED")
	}
	if current != mode && len(d.GlobalSecondaryIndexes) > 0 {
		return invalidParams("ProvisionedThroughput must be specified for index: " + gsiNames(d))
	}
	if current != mode {
		last := time.Unix(0, 0)
		if d.BillingModeSummary != nil && d.BillingModeSummary.LastUpdateToPayPerRequestDateTime != nil {
			last = time.UnixMilli(int64(*d.BillingModeSummary.LastUpdateToPayPerRequestDateTime * 1000))
		}
		lastEpoch := epoch(last)
		d.BillingModeSummary = &BillingModeSummary{BillingMode: mode, LastUpdateToPayPerRequestDateTime: &lastEpoch}
	}
	return setThroughput(d, in.ProvisionedThroughput, now, current == mode)
}

// setThroughput records new provisioned throughput, rejecting a no-op change.
func setThroughput(d *TableDescription, p *ProvisionedThroughput, now float64, sameMode bool) error {
	old := d.ProvisionedThroughput
	if old == nil {
		old = throughputDescription(nil)
	}
	r, w := *p.ReadCapacityUnits, *p.WriteCapacityUnits
	if sameMode && old.ReadCapacityUnits == r && old.WriteCapacityUnits == w {
		return ErrValidation.New(fmt.Sprintf("The provisioned throughput for the table will not change. The requested value equals the current value. "+
			"Current ReadCapacityUnits provisioned for the table: %d. Requested ReadCapacityUnits: %d. "+
			"Current WriteCapacityUnits provisioned for the table: %d. Requested WriteCapacityUnits: %d. "+
			"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
			old.ReadCapacityUnits, r, old.WriteCapacityUnits, w))
	}
	nd := *old
	if r > old.ReadCapacityUnits || w > old.WriteCapacityUnits {
		nd.LastIncreaseDateTime = &now
	}
	if r < old.ReadCapacityUnits || w < old.WriteCapacityUnits {
		nd.LastDecreaseDateTime = &now
		nd.NumberOfDecreasesToday++
	}
	nd.ReadCapacityUnits, nd.WriteCapacityUnits = r, w
	d.ProvisionedThroughput = &nd
	return nil
}

// gsiNames lists the table's GSI names, comma-separated.
func gsiNames(d *TableDescription) string {
	names := make([]string, len(d.GlobalSecondaryIndexes))
	for i, g := range d.GlobalSecondaryIndexes {
		names[i] = g.IndexName
	}
	return strings.Join(names, ",")
}

// epoch returns t as fractional Unix seconds (millisecond precision), the
// awsJson timestamp format.
func epoch(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

// tableARN returns the ARN of the named table.
func (s *Service) tableARN(name string) string {
	return "arn:aws:dynamodb:" + s.opts.Region + ":" + s.opts.AccountID + ":table/" + name
}
