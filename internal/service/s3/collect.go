package s3

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/storage"
)

// Orphaned blobs: a crash between a blob's Put and its metadata commit,
// or between a metadata delete and the blob's Delete, leaves a blob that no
// record names. CollectOrphans finds them by walking the blob store first
// and reading every reference (objects, versions, parts) in one snapshot
// afterwards, so a blob committed before the snapshot is always seen as
// referenced; only blobs older than a grace period are candidates, which
// covers uploads still between Put and commit.

// DefaultOrphanAge is the grace period of the background collector.
const DefaultOrphanAge = time.Hour

// CollectOrphans deletes the blobs created more than minAge ago that no
// object, version or multipart part names, and returns how many it
// deleted.
func (s *Service) CollectOrphans(ctx context.Context, minAge time.Duration) (int, error) {
	cutoff := s.now().Add(-minAge)
	candidates := map[string]bool{}
	err := s.blobs.Walk(ctx, func(id string, created time.Time) error {
		if created.Before(cutoff) {
			candidates[id] = true
		}
		return nil
	})
	if err != nil {
		return 0, wrapf(err, "collect orphans")
	}
	if len(candidates) == 0 {
		return 0, nil
	}
	if err := s.engine.View(ctx, func(tx storage.ReadTx) error { return dropReferenced(tx, candidates) }); err != nil {
		return 0, err
	}
	deleted := 0
	for id := range candidates {
		if err := s.blobs.Delete(ctx, id); err != nil {
			return deleted, wrapf(err, "collect orphans")
		}
		deleted++
	}
	return deleted, nil
}

// dropReferenced removes from candidates every blob a record names.
func dropReferenced(tx storage.ReadTx, candidates map[string]bool) error {
	var decodeErr error
	for _, prefix := range []string{objectsPrefix, versionsPrefix} {
		r := storage.Range{Start: []byte(prefix), End: storage.PrefixEnd([]byte(prefix))}
		err := tx.Scan(r, func(_, v []byte) bool {
			var rec objectRecord
			if decodeErr = json.Unmarshal(v, &rec); decodeErr != nil {
				return false
			}
			for _, id := range rec.blobIDs() {
				delete(candidates, id)
			}
			return true
		})
		if err != nil || decodeErr != nil {
			return wrapf(errors.Join(err, decodeErr), "scan references")
		}
	}
	r := storage.Range{Start: []byte(partsPrefix), End: storage.PrefixEnd([]byte(partsPrefix))}
	err := tx.Scan(r, func(_, v []byte) bool {
		var p partRecord
		if decodeErr = json.Unmarshal(v, &p); decodeErr != nil {
			return false
		}
		delete(candidates, p.BlobID)
		return true
	})
	if err != nil || decodeErr != nil {
		return wrapf(errors.Join(err, decodeErr), "scan part references")
	}
	return nil
}

// RunCollector collects orphaned blobs older than minAge every interval
// until ctx ends, logging what it deletes and any failure; it returns
// ctx's error.
func (s *Service) RunCollector(ctx context.Context, interval, minAge time.Duration) error {
	return every(ctx, interval, func() {
		n, err := s.CollectOrphans(ctx, minAge)
		switch {
		case err != nil && ctx.Err() == nil:
			s.logger.WarnContext(ctx, "collect orphaned blobs", slog.Any(logging.KeyErr, err))
		case n > 0:
			s.logger.InfoContext(ctx, "collected orphaned blobs", slog.Int("count", n))
		}
	})
}

// every calls work every interval until ctx ends; it returns ctx's error.
func every(ctx context.Context, interval time.Duration, work func()) error {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
		}
		work()
	}
}
