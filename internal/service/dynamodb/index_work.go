package dynamodb

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/storage"
)

// indexBatch is how many items (or entries) one storage transaction of an
// index build (or removal) handles, so that writers are never held up long.
const indexBatch = 256

// indexWork runs the background builds and removals of GSIs, one goroutine
// per index, and lets Close wait for them.
type indexWork struct {
	mu      sync.Mutex
	running map[string]bool // table id + "/" + index name
	closed  bool
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// Close stops the Service's background work (index builds and removals,
// which resume on the next DescribeTable or UpdateTable of their table) and
// waits for it to end, or for ctx.
func (s *Service) Close(ctx context.Context) error {
	w := &s.work
	w.mu.Lock()
	w.closed = true
	if w.cancel != nil {
		w.cancel()
	}
	w.mu.Unlock()
	done := make(chan struct{})
	go func() { w.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// resumeIndexWork starts the background work of t's GSIs that are being
// created or deleted and have no goroutine in this process (after an
// UpdateTable, or after a restart).
func (s *Service) resumeIndexWork(t *table) {
	for _, ix := range t.indexes {
		if ix.status == statusCreating || ix.status == statusDeleting {
			s.startIndexWork(t.name(), t.meta.Description.TableID, ix.name)
		}
	}
}

// startIndexWork starts the goroutine of one index unless it runs already.
func (s *Service) startIndexWork(table, id, index string) {
	w := &s.work
	key := id + "/" + index
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || w.running[key] {
		return
	}
	if w.running == nil {
		w.running = map[string]bool{}
		w.ctx, w.cancel = context.WithCancel(context.Background())
	}
	w.running[key] = true
	w.wg.Go(func() {
		defer func() {
			w.mu.Lock()
			delete(w.running, key)
			w.mu.Unlock()
		}()
		s.indexLoop(w.ctx, table, id, index)
	})
}

// indexLoop builds or removes one index a batch at a time until done.
func (s *Service) indexLoop(ctx context.Context, table, id, index string) {
	var cursor []byte
	for {
		done, err := s.indexStep(ctx, table, id, index, &cursor)
		if err != nil {
			if ctx.Err() == nil {
				s.opts.Logger.ErrorContext(ctx, "index build failed", "table", table, "index", index, "error", err)
			}
			return
		}
		s.stats.invalidate(id)
		if done {
			s.opts.Logger.InfoContext(ctx, "index work done", "table", table, "index", index)
			return
		}
	}
}

// indexStep runs one batch of the index's work in one transaction,
// reporting when nothing is left to do.
func (s *Service) indexStep(ctx context.Context, table, id, index string, cursor *[]byte) (bool, error) {
	done := false
	var next []byte
	err := s.opts.Engine.Update(ctx, func(tx storage.Tx) error {
		next = *cursor // fn may run again: start from the committed cursor
		t, err := s.meta.loadTable(tx, table)
		if errors.Is(err, errNoTable) {
			done = true
			return nil
		}
		if err != nil {
			return err
		}
		ix := t.index(index)
		if t.meta.Description.TableID != id || ix == nil || ix.status == statusActive {
			done = true
			return nil
		}
		if ix.status == statusDeleting {
			done, err = removeBatch(tx, t, ix)
			return err
		}
		done, next, err = backfillBatch(tx, t, ix, next)
		return err
	})
	if err == nil {
		*cursor = next
	}
	return done, err
}

// backfillBatch (re)writes the entries of the next batch of items from
// start (nil for the first) and returns where the next batch starts; once
// past the last item it marks the index ACTIVE. Writes made
// since the index was recorded maintain it themselves, and rewriting an
// entry from the current item is idempotent, so no item is missed.
func backfillBatch(tx storage.Tx, t *table, ix *index, start []byte) (bool, []byte, error) {
	next := start
	if start == nil {
		start = t.prefix
	}
	var items []attr.Item
	var decodeErr error
	rng := storage.Range{Start: start, End: storage.PrefixEnd(t.prefix), Limit: indexBatch}
	err := tx.Scan(rng, func(k, v []byte) bool {
		var it attr.Item
		if decodeErr = it.UnmarshalJSON(v); decodeErr != nil {
			return false
		}
		items = append(items, it)
		next = append(slices.Clone(k), 0)
		return true
	})
	if err == nil {
		err = decodeErr
	}
	if err != nil {
		return false, nil, err
	}
	for _, it := range items {
		if err := t.updateEntry(tx, ix, nil, it); err != nil {
			return false, nil, err
		}
	}
	if len(items) < indexBatch {
		return true, next, finishIndex(tx, t, ix.name)
	}
	return false, next, nil
}

// removeBatch deletes a batch of a DELETING index's entries; once none are
// left it removes the index from the table.
func removeBatch(tx storage.Tx, t *table, ix *index) (bool, error) {
	var keys [][]byte
	err := tx.Scan(storage.Range{Start: ix.prefix, End: storage.PrefixEnd(ix.prefix), Limit: indexBatch}, func(k, _ []byte) bool {
		keys = append(keys, slices.Clone(k))
		return true
	})
	if err != nil {
		return false, err
	}
	for _, k := range keys {
		if err := tx.Delete(k); err != nil {
			return false, err
		}
	}
	if len(keys) < indexBatch {
		return true, finishIndex(tx, t, ix.name)
	}
	return false, nil
}
