package dynamodb

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/storage"
)

// The sweeper's bounds.
const (
	// ttlPageSize is how many items one sweep reads per storage snapshot.
	ttlPageSize = 1000
	// ttlBatch is how many expired items one storage Update deletes.
	ttlBatch = 100
	// ttlMaxAge is how far in the past a TTL may lie and still expire its
	// item: AWS ignores TTL values more than five years old.
	ttlMaxAge = 5 * 365 * 24 * time.Hour
)

// ttlSetting is a table's enabled TTL, stored in its metadata.
type ttlSetting struct {
	AttributeName string `json:"AttributeName"`
}

// writeCause says why an item changed, so that replaceItem can tell a
// client's write from one the service made itself (a stream record marks a
// TTL deletion as a service deletion).
type writeCause uint8

const (
	// causeRequest is a change a client asked for.
	causeRequest writeCause = iota
	// causeTTL is the TTL sweeper deleting an expired item.
	causeTTL
)

// causeTx is a storage transaction whose item changes have cause. Writers
// other than client requests pass one to replaceItem.
type causeTx struct {
	storage.Tx
	cause writeCause
}

// writeCauseOf returns the cause of the item changes written through tx.
func writeCauseOf(tx storage.Tx) writeCause {
	if c, ok := tx.(causeTx); ok {
		return c.cause
	}
	return causeRequest
}

// UpdateTimeToLive enables or disables TTL on a table. The change is
// immediate (AWS takes up to an hour and refuses further changes meanwhile).
func (s *Service) UpdateTimeToLive(ctx context.Context, in *UpdateTimeToLiveInput) (*UpdateTimeToLiveOutput, error) {
	name := tableNameOf(in.TableName)
	if err := validateUpdateTTL(name, in.TimeToLiveSpecification); err != nil {
		return nil, err
	}
	spec := in.TimeToLiveSpecification
	err := s.opts.Engine.Update(ctx, func(tx storage.Tx) error {
		t, err := s.meta.loadTable(tx, name)
		if err != nil {
			return err
		}
		m := t.meta
		if m.TTL, err = nextTTL(m.TTL, *spec.Enabled, *spec.AttributeName); err != nil {
			return err
		}
		return storeTable(tx, m)
	})
	if errors.Is(err, errNoTable) {
		return nil, tableNotFound(name)
	}
	if err != nil {
		return nil, err
	}
	return &UpdateTimeToLiveOutput{TimeToLiveSpecification: spec}, nil
}

// validateUpdateTTL applies UpdateTimeToLive's request-only rules.
func validateUpdateTTL(name string, spec *TimeToLiveSpecification) error {
	var ce constraintErrors
	ce.checkTableName(name, "tableName")
	switch {
	case spec == nil:
		ce.addNull("timeToLiveSpecification")
	default:
		if spec.Enabled == nil {
			ce.addNull("timeToLiveSpecification.enabled")
		}
		if spec.AttributeName == nil {
			ce.addNull("timeToLiveSpecification.attributeName")
		}
	}
	if err := ce.err(); err != nil {
		return err
	}
	if *spec.AttributeName == "" {
		return ErrValidation.New("TimeToLiveSpecification.AttributeName must be non empty")
	}
	return nil
}

// nextTTL returns the setting after enabling or disabling TTL on name,
// with AWS's errors for a change that changes nothing or switches attributes.
func nextTTL(cur *ttlSetting, enable bool, name string) (*ttlSetting, error) {
	switch {
	case cur != nil && cur.AttributeName != name:
		return nil, ErrValidation.New("TimeToLive is active on a different AttributeName")
	case enable && cur != nil:
		return nil, ErrValidation.New("TimeToLive is already enabled")
	case !enable && cur == nil:
		return nil, ErrValidation.New("TimeToLive is already disabled")
	case enable:
		return &ttlSetting{AttributeName: name}, nil
	}
	return nil, nil
}

// DescribeTimeToLive returns a table's TTL state.
func (s *Service) DescribeTimeToLive(ctx context.Context, in *DescribeTimeToLiveInput) (*DescribeTimeToLiveOutput, error) {
	name := tableNameOf(in.TableName)
	if err := checkTableNameParam(name); err != nil {
		return nil, err
	}
	t, err := s.viewTable(ctx, name)
	if err != nil {
		return nil, err
	}
	d := &TimeToLiveDescription{TimeToLiveStatus: "DISABLED"}
	if t.meta.TTL != nil {
		d.TimeToLiveStatus, d.AttributeName = "ENABLED", t.meta.TTL.AttributeName
	}
	return &DescribeTimeToLiveOutput{TimeToLiveDescription: d}, nil
}

// RunTTL deletes expired items every interval until ctx is cancelled, then
// returns nil. An item expires when TTL is enabled on its table and its TTL
// attribute is a Number of epoch seconds at or before now (and not more than
// five years before); items whose attribute is missing or not a number never
// expire. Deletions go through replaceItem, marked as causeTTL. Failed sweeps
// are logged and retried at the next tick. Several nodes sharing an engine
// should run it under a lease so that one sweeps at a time.
func (s *Service) RunTTL(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		return fmt.Errorf("dynamodb: TTL sweep interval %v is not positive", interval)
	}
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		if _, err := s.sweepTTL(ctx); err != nil && ctx.Err() == nil {
			s.opts.Logger.ErrorContext(ctx, "ttl sweep failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// sweepTTL deletes the expired items of every table with TTL enabled and
// returns how many it deleted.
func (s *Service) sweepTTL(ctx context.Context) (int, error) {
	tables, err := s.ttlTables(ctx)
	if err != nil {
		return 0, err
	}
	deleted := 0
	for _, t := range tables {
		n, err := s.sweepTable(ctx, t)
		deleted += n
		if err != nil {
			return deleted, err
		}
	}
	return deleted, nil
}

// ttlTables returns the tables that have TTL enabled.
func (s *Service) ttlTables(ctx context.Context) ([]*table, error) {
	var tables []*table
	err := s.opts.Engine.View(ctx, func(r storage.ReadTx) error {
		tables = nil
		var names []string
		prefix := []byte(tablesPrefix)
		err := r.Scan(storage.Range{Start: prefix, End: storage.PrefixEnd(prefix)}, func(k, _ []byte) bool {
			names = append(names, string(k[len(prefix):]))
			return true
		})
		if err != nil {
			return err
		}
		for _, name := range names {
			t, err := s.meta.loadTable(r, name)
			if err != nil {
				return err
			}
			if t.meta.TTL != nil {
				tables = append(tables, t)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dynamodb: list TTL tables: %w", err)
	}
	return tables, nil
}

// sweepTable scans t's items a page at a time (an O(n) scan per sweep) and
// deletes the expired ones in batches.
func (s *Service) sweepTable(ctx context.Context, t *table) (int, error) {
	rng := storage.Range{Start: t.prefix, End: storage.PrefixEnd(t.prefix), Limit: ttlPageSize}
	deleted := 0
	for {
		expiredKeys, last, n, err := s.expiredPage(ctx, t, rng)
		if err != nil {
			return deleted, err
		}
		for len(expiredKeys) > 0 {
			batch := expiredKeys[:min(ttlBatch, len(expiredKeys))]
			expiredKeys = expiredKeys[len(batch):]
			d, err := s.deleteExpired(ctx, t, batch)
			deleted += d
			if err != nil {
				return deleted, err
			}
		}
		if n < ttlPageSize {
			return deleted, nil
		}
		rng.Start = append(last, 0)
	}
}

// expiredPage reads one page of rng and returns the keys of its expired
// items, the last key read and how many items it read.
func (s *Service) expiredPage(ctx context.Context, t *table, rng storage.Range) (expiredKeys [][]byte, last []byte, n int, err error) {
	name, now := t.meta.TTL.AttributeName, s.opts.Now()
	err = s.opts.Engine.View(ctx, func(r storage.ReadTx) error {
		expiredKeys, last, n = nil, nil, 0
		var decodeErr error
		err := r.Scan(rng, func(k, v []byte) bool {
			n++
			last = append(last[:0], k...)
			var it attr.Item
			if decodeErr = it.UnmarshalJSON(v); decodeErr != nil {
				return false
			}
			if isExpired(it, name, now) {
				expiredKeys = append(expiredKeys, append([]byte(nil), k...))
			}
			return true
		})
		if decodeErr != nil {
			return decodeErr
		}
		return err
	})
	if err != nil {
		return nil, nil, 0, fmt.Errorf("dynamodb: scan %q for expired items: %w", t.name(), err)
	}
	return expiredKeys, last, n, nil
}

// deleteExpired deletes the items at keys in one storage Update, re-reading
// the table and each item so that a table dropped or recreated meanwhile,
// TTL disabled, or a TTL extended by a concurrent write, wins.
func (s *Service) deleteExpired(ctx context.Context, swept *table, keys [][]byte) (int, error) {
	id := swept.meta.Description.TableID
	var deleted int
	err := s.opts.Engine.Update(ctx, func(tx storage.Tx) error {
		deleted = 0
		t, err := s.meta.loadTable(tx, swept.name())
		if errors.Is(err, errNoTable) {
			return nil
		}
		if err != nil || t.meta.Description.TableID != id || t.meta.TTL == nil {
			return err
		}
		now := s.opts.Now()
		for _, key := range keys {
			old, err := readItem(tx, key)
			if err != nil {
				return err
			}
			if old == nil || !isExpired(old, t.meta.TTL.AttributeName, now) {
				continue
			}
			if err := t.replaceItem(causeTx{Tx: tx, cause: causeTTL}, key, old, nil); err != nil {
				return err
			}
			deleted++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("dynamodb: delete expired items of %q: %w", swept.name(), err)
	}
	if deleted > 0 {
		s.stats.invalidate(id)
		s.opts.Logger.DebugContext(ctx, "ttl deleted expired items", "table", swept.name(), "count", deleted)
	}
	return deleted, nil
}

// isExpired reports whether item's TTL attribute name is a number of epoch
// seconds at or before now, and not more than ttlMaxAge before it.
func isExpired(item attr.Item, name string, now time.Time) bool {
	v, ok := item[name]
	if !ok || v.Kind != attr.N {
		return false
	}
	at, err := strconv.ParseFloat(v.Str, 64)
	if err != nil {
		return false
	}
	sec := float64(now.Unix())
	return at <= sec && at >= sec-ttlMaxAge.Seconds()
}
