package pebble

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/fogbank/fogbank/internal/storage"
)

// DefaultCacheSize is the block cache size used when Options.CacheSize is 0.
const DefaultCacheSize = 64 << 20

// Options configures an Engine.
type Options struct {
	// Logger receives Pebble's log messages (informational ones at Debug,
	// errors at Error). Nil discards them.
	Logger *slog.Logger
	// CacheSize is the size of the block cache in bytes. Zero or less means
	// DefaultCacheSize (64 MiB).
	CacheSize int64
}

// EnsureDefaults fills in the zero fields of o with their defaults.
func (o *Options) EnsureDefaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.CacheSize <= 0 {
		o.CacheSize = DefaultCacheSize
	}
}

// Engine is a storage.Engine backed by a Pebble database in one directory.
// It is safe for concurrent use.
type Engine struct {
	db     *pebble.DB
	logger *slog.Logger

	// latch serializes Updates: a buffered channel of capacity one, so that
	// waiting for it can be abandoned when the caller's context ends.
	latch chan struct{}
	// lastApplied marks the newest batch applied to the memtable: it is
	// visible to readers from that moment, but durable only once its WAL
	// sync completes. Stored under the latch before each apply, so any batch
	// a reader can see is no newer than the mark the reader loads next.
	lastApplied atomic.Pointer[commitMark]
	// pending lists the applied commits not yet known to be durable, with
	// the keys they wrote: a View waits only for those it reads.
	pending pendingCommits

	calls storage.Calls

	// created is closed once a store that open created is durable in its
	// place (at once for a store that existed), with createErr set before
	// when that failed. Until then, Updates that wrote wait for it.
	created   *commitMark
	createErr error

	// stopUpgrade asks the format upgrade that open started to stop, and
	// upgraded is closed when it has returned.
	stopUpgrade atomic.Bool
	upgraded    chan struct{}
}

// commitMark is closed once its batch, and so every earlier one (the WAL
// syncs in order), is durable.
type commitMark struct{ synced chan struct{} }

// durableMark is the mark of "nothing pending": already closed.
func durableMark() *commitMark {
	m := &commitMark{synced: make(chan struct{})}
	close(m.synced)
	return m
}

// waitDurable waits until m's batch is durable, so that nothing a reader saw
// can be lost in a crash after the reader answers.
func waitDurable(ctx context.Context, m *commitMark) error {
	select {
	case <-m.synced:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Open opens the store in dir, creating the directory and an empty store if
// they do not exist.
func Open(dir string, opts Options) (*Engine, error) {
	return open(dir, opts, vfs.Default)
}

// open is Open on the given file system; tests pass a crashable in-memory one.
func open(dir string, opts Options, fs vfs.FS) (*Engine, error) {
	opts.EnsureDefaults()
	// Pebble creates a store at its oldest format and, when asked for a newer
	// one, upgrades it one version at a time, syncing the directory at each
	// step. A new store is created through a stagedFS, which skips those
	// syncs, so it is created at FormatNewest; an existing one is opened at
	// the version it has and upgradeFormat brings it to FormatNewest in the
	// background.
	format := pebble.FormatMinSupported
	var staged *stagedFS
	if isNewStore(fs, dir) {
		var err error
		if staged, err = newStagedFS(fs, dir); err != nil {
			return nil, fmt.Errorf("storage/pebble: create %s: %w", dir, err)
		}
		fs, format = staged, pebble.FormatNewest
	}
	cache := pebble.NewCache(opts.CacheSize)
	defer cache.Unref()
	db, err := pebble.Open(dir, &pebble.Options{
		FS:                 fs,
		Cache:              cache,
		FormatMajorVersion: format,
		Logger:             pebbleLogger{opts.Logger},
	})
	if err != nil {
		return nil, fmt.Errorf("storage/pebble: open %s: %w", dir, err)
	}
	e := &Engine{db: db, logger: opts.Logger, latch: make(chan struct{}, 1), upgraded: make(chan struct{}), created: durableMark()}
	e.lastApplied.Store(durableMark())
	if staged != nil {
		e.created = &commitMark{synced: make(chan struct{})}
		go func() {
			defer close(e.created.synced)
			if err := staged.commit(); err != nil {
				e.createErr = fmt.Errorf("storage/pebble: create %s: %w", dir, err)
				e.logger.LogAttrs(context.Background(), slog.LevelError, "storage creation failed",
					slog.String("engine", "pebble"), slog.Any("err", err))
			}
		}()
	}
	go e.upgradeFormat()
	e.logger.LogAttrs(context.Background(), slog.LevelDebug, "storage opened",
		slog.String("engine", "pebble"), slog.String("dir", dir))
	return e, nil
}

// View runs fn against a consistent snapshot of the store. Writes through the
// transaction fail with storage.ErrReadOnly. fn reads only durable writes:
// a read of keys written by a commit of the snapshot whose WAL sync is still
// under way waits for that sync before it returns.
func (e *Engine) View(ctx context.Context, fn func(storage.ReadTx) error) error {
	if err := e.calls.Enter(ctx); err != nil {
		return err
	}
	defer e.calls.Leave()
	snap := e.db.NewSnapshot()
	defer snap.Close()
	if err := e.creationFailed(); err != nil {
		return err
	}
	// Loaded after the snapshot: every commit it includes was listed
	// before it was applied.
	guard := &durabilityGuard{pending: e.pending.load()}
	tx := &viewTx{reader: reader{r: snap, ctx: ctx, guard: guard}}
	defer tx.finish()
	return fn(tx)
}

// Update runs fn in a serializable read-write transaction and returns once
// its writes are durable in the WAL. If fn returns an error, or ctx ends
// before the commit, nothing is written and that error is returned.
func (e *Engine) Update(ctx context.Context, fn func(storage.Tx) error) error {
	if err := e.calls.Enter(ctx); err != nil {
		return err
	}
	defer e.calls.Leave()
	batch, pend, mark, err := e.applyLatched(ctx, fn)
	if batch == nil {
		// Nothing written, but what fn read (and so err, or the caller's
		// answer) may rest on a commit not yet durable: wait for it.
		return errors.Join(err, waitDurable(ctx, mark))
	}
	defer batch.Close()
	defer e.pending.remove(pend)
	defer close(mark.synced)
	if err := batch.SyncWait(); err != nil {
		return fmt.Errorf("storage/pebble: sync commit: %w", err)
	}
	// The first commits to a new store can be synced before the store is
	// durable in its place: the mark closes once both are.
	<-e.created.synced
	return e.createErr
}

// creationFailed returns the error of making a new store durable if that
// has failed, and nil while it is under way or once it has succeeded. A View
// need not wait for it: a read of a key some commit wrote waits for that
// commit's mark, which closes only once the store is durable too, and a
// read of nothing written shows an empty store, which a crash cannot take
// back.
func (e *Engine) creationFailed() error {
	select {
	case <-e.created.synced:
		return e.createErr
	default:
		return nil
	}
}

// applyLatched takes the commit latch, runs fn against a new indexed batch and
// applies the batch without waiting for its WAL sync. It returns the batch,
// on which the caller must call SyncWait, close the mark, remove the pending
// commit and Close the batch; or a nil batch when nothing was written, with
// the mark of the newest commit fn could have read.
func (e *Engine) applyLatched(ctx context.Context, fn func(storage.Tx) error) (*pebble.Batch, *pendingCommit, *commitMark, error) {
	select {
	case e.latch <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, durableMark(), ctx.Err()
	}
	defer func() { <-e.latch }()
	seen := e.lastApplied.Load()

	batch := e.db.NewIndexedBatch()
	applied := false
	defer func() {
		if !applied {
			_ = batch.Close() // discarding an unapplied batch cannot fail
		}
	}()
	tx := &updateTx{reader: reader{r: batch, ctx: ctx}, batch: batch}
	err := fn(tx)
	tx.finish()
	if err == nil {
		err = ctx.Err()
	}
	if err != nil || batch.Empty() {
		return nil, nil, seen, err
	}
	mark := &commitMark{synced: make(chan struct{})}
	e.lastApplied.Store(mark)
	pend := e.pending.add(mark, tx.keys)
	if err := e.db.ApplyNoSyncWait(batch, pebble.Sync); err != nil {
		// Nothing became visible: restore the previous mark, and release
		// readers that loaded this one only once that mark is durable.
		e.lastApplied.Store(seen)
		<-seen.synced
		close(mark.synced)
		e.pending.remove(pend)
		return nil, nil, seen, fmt.Errorf("storage/pebble: apply commit: %w", err)
	}
	applied = true
	return batch, pend, mark, nil
}

// Close waits for in-flight View and Update calls, then closes the store.
// Later calls, Close included, return storage.ErrClosed.
func (e *Engine) Close() error {
	if err := e.calls.Close(); err != nil {
		return err
	}
	e.stopUpgrade.Store(true)
	<-e.upgraded
	<-e.created.synced
	if err := e.db.Close(); err != nil {
		return fmt.Errorf("storage/pebble: close: %w", err)
	}
	e.logger.LogAttrs(context.Background(), slog.LevelDebug, "storage closed", slog.String("engine", "pebble"))
	return nil
}

// upgradeFormat ratchets the store to pebble.FormatNewest, one version at a
// time so that Pebble's mutex, which it holds while it syncs each step, is
// free for commits and snapshots in between. It stops early when Close asks;
// the next Open goes on from where it stopped. Each step is durable, so a
// crash leaves the store at some version, which Pebble opens.
func (e *Engine) upgradeFormat() {
	defer close(e.upgraded)
	for v := e.db.FormatMajorVersion() + 1; v <= pebble.FormatNewest && !e.stopUpgrade.Load(); v++ {
		if err := e.db.RatchetFormatMajorVersion(v); err != nil {
			e.logger.LogAttrs(context.Background(), slog.LevelError, "storage format upgrade failed",
				slog.String("engine", "pebble"), slog.String("to_version", v.String()), slog.Any("err", err))
			return
		}
	}
}

var _ storage.Engine = (*Engine)(nil)
