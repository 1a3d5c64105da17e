// Package lease makes background work run on one Fogbank node at a time: a
// node takes a named lease, a record in the storage engine, before doing the
// work, and another node can take the lease only once its holder has stopped
// renewing it and it has expired.
//
// Leases live in the engine's "lease/" keyspace, one record per name holding
// the owner's id and the expiry time. Taking, renewing and releasing a lease
// are Update transactions, whose serializability keeps two nodes from both
// winning a lease; the package uses nothing but [storage.Engine], so it works
// on every engine (on the embedded Pebble engine, where there is only one
// node, a lease always goes to the first taker).
//
// Expiry compares the nodes' clocks: a node takes an expired lease by its own
// clock, while the holder stops its work when the lease expires by the
// holder's clock. The TTL must therefore be well above the clock skew
// between nodes (a few seconds at most on machines that run NTP).
//
// [Manager.Run] is the usual entry point: it waits for the lease, runs the
// work while renewing it, and cancels the work when the lease is lost.
package lease

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/fogbank/fogbank/internal/storage"
)

// DefaultTTL is how long a lease lasts without renewal when Options.TTL is 0.
const DefaultTTL = 15 * time.Second

// keyPrefix is the keyspace of lease records.
const keyPrefix = "lease/"

// recordVersion is the first byte of a lease record, the format version.
const recordVersion = 1

// Errors returned by Manager methods.
var (
	// ErrNotHeld is returned by Renew when another owner holds the lease or
	// nobody does.
	ErrNotHeld = errors.New("lease: not held")
	// ErrLost is the cause of the cancellation of a Run's work context when
	// the lease was lost.
	ErrLost = errors.New("lease: lost")
)

// Options configures a Manager.
type Options struct {
	// Owner identifies this node among those sharing the engine, for
	// example its host name and process id. Required.
	Owner string
	// TTL is how long a lease lasts after it is taken or renewed. Zero means
	// DefaultTTL. Run renews it every TTL/3.
	TTL time.Duration
	// Now returns the current time, recorded in and compared with lease
	// expiries. Nil means time.Now. Run also waits with the runtime's timers,
	// so it needs the default (tests run it inside testing/synctest).
	Now func() time.Time
	// Logger receives messages about leases taken and lost. Nil discards
	// them.
	Logger *slog.Logger
}

// Manager takes, renews and releases leases for one owner. It is safe for
// concurrent use.
type Manager struct {
	engine storage.Engine
	owner  string
	ttl    time.Duration
	now    func() time.Time
	logger *slog.Logger
}

// New returns a Manager that keeps its leases in engine.
func New(engine storage.Engine, opts Options) (*Manager, error) {
	if opts.Owner == "" {
		return nil, errors.New("lease: Options.Owner is empty")
	}
	if opts.TTL < 0 {
		return nil, fmt.Errorf("lease: negative TTL %v", opts.TTL)
	}
	m := &Manager{engine: engine, owner: opts.Owner, ttl: opts.TTL, now: opts.Now, logger: opts.Logger}
	if m.ttl == 0 {
		m.ttl = DefaultTTL
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.logger == nil {
		m.logger = slog.New(slog.DiscardHandler)
	}
	return m, nil
}

// record is a stored lease.
type record struct {
	owner   string
	expires time.Time
}

// Acquire takes the lease name for this owner if nobody holds it, its holder
// let it expire, or this owner already holds it (then it is renewed). It
// reports whether this owner holds the lease, for TTL from now.
func (m *Manager) Acquire(ctx context.Context, name string) (bool, error) {
	var held bool
	err := m.engine.Update(ctx, func(tx storage.Tx) error {
		held = false
		rec, found, err := readRecord(tx, name)
		if err != nil {
			return err
		}
		now := m.now()
		if found && rec.owner != m.owner && now.Before(rec.expires) {
			return nil
		}
		held = true
		return tx.Set(leaseKey(name), encodeRecord(record{owner: m.owner, expires: now.Add(m.ttl)}))
	})
	if err != nil {
		return false, fmt.Errorf("lease: acquire %s: %w", name, err)
	}
	return held, nil
}

// Renew extends the lease name, held by this owner, to TTL from now. It
// returns ErrNotHeld when the lease is held by another owner or by nobody.
func (m *Manager) Renew(ctx context.Context, name string) error {
	err := m.engine.Update(ctx, func(tx storage.Tx) error {
		rec, found, err := readRecord(tx, name)
		if err != nil {
			return err
		}
		if !found || rec.owner != m.owner {
			return ErrNotHeld
		}
		return tx.Set(leaseKey(name), encodeRecord(record{owner: m.owner, expires: m.now().Add(m.ttl)}))
	})
	if err != nil {
		return fmt.Errorf("lease: renew %s: %w", name, err)
	}
	return nil
}

// Release gives up the lease name if this owner holds it, so that another
// owner can take it at once. Releasing a lease this owner does not hold does
// nothing.
func (m *Manager) Release(ctx context.Context, name string) error {
	err := m.engine.Update(ctx, func(tx storage.Tx) error {
		rec, found, err := readRecord(tx, name)
		if err != nil || !found || rec.owner != m.owner {
			return err
		}
		return tx.Delete(leaseKey(name))
	})
	if err != nil {
		return fmt.Errorf("lease: release %s: %w", name, err)
	}
	return nil
}

// leaseKey returns the storage key of the lease name.
func leaseKey(name string) []byte { return []byte(keyPrefix + name) }

// readRecord reads the lease name through tx.
func readRecord(tx storage.ReadTx, name string) (record, bool, error) {
	value, err := tx.Get(leaseKey(name))
	if errors.Is(err, storage.ErrNotFound) {
		return record{}, false, nil
	}
	if err != nil {
		return record{}, false, err
	}
	rec, err := decodeRecord(value)
	return rec, err == nil, err
}

// encodeRecord returns the stored form of rec: the format version, the
// expiry in Unix nanoseconds (8 bytes, big-endian) and the owner.
func encodeRecord(rec record) []byte {
	b := make([]byte, 0, 9+len(rec.owner))
	b = append(b, recordVersion)
	b = binary.BigEndian.AppendUint64(b, uint64(rec.expires.UnixNano()))
	return append(b, rec.owner...)
}

// decodeRecord parses a stored lease record.
func decodeRecord(b []byte) (record, error) {
	if len(b) < 9 || b[0] != recordVersion {
		return record{}, fmt.Errorf("lease: malformed record (%d bytes)", len(b))
	}
	expires := time.Unix(0, int64(binary.BigEndian.Uint64(b[1:9])))
	return record{owner: string(b[9:]), expires: expires}, nil
}
