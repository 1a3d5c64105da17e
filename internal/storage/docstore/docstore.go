// Package docstore keeps revisioned JSON documents in a storage engine: one
// document per id, a revision counter that every save bumps (so a reader
// polls one small key to learn of a change, as the API Gateway data plane
// does), and immutable snapshots filed under the document (an API's
// deployments). The keys of a store with prefix p:
//
//	p a/<id>           the document (JSON)
//	p v/<id>           its revision (decimal)
//	p d/<id>/<snapId>  a snapshot (JSON)
package docstore

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/fogbank/fogbank/internal/storage"
)

// ErrNotFound is Load's answer for a missing document.
var ErrNotFound = errors.New("docstore: no such document")

// Store keeps documents of type D with snapshots of type S under a key
// prefix. The zero value is not usable; call New.
type Store[D, S any] struct {
	prefix string
}

// New returns the store whose keys begin with prefix (e.g. "apigatewayv2/").
func New[D, S any](prefix string) Store[D, S] {
	return Store[D, S]{prefix: prefix}
}

func (s Store[D, S]) docKey(id string) []byte      { return []byte(s.prefix + "a/" + id) }
func (s Store[D, S]) revisionKey(id string) []byte { return []byte(s.prefix + "v/" + id) }
func (s Store[D, S]) snapshotsPrefix(id string) []byte {
	return []byte(s.prefix + "d/" + id + "/")
}

// Load reads the document id; ErrNotFound when there is none.
func (s Store[D, S]) Load(tx storage.ReadTx, id string) (*D, error) {
	raw, err := tx.Get(s.docKey(id))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("%sload %q: %w", s.prefix, id, err)
	}
	var doc D
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%sdecode %q: %w", s.prefix, id, err)
	}
	return &doc, nil
}

// Save writes the document id and bumps its revision.
func (s Store[D, S]) Save(tx storage.Tx, id string, doc *D) error {
	raw, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("%sencode %q: %w", s.prefix, id, err)
	}
	rev, err := s.Revision(tx, id)
	if err != nil {
		return err
	}
	if err := tx.Set(s.docKey(id), raw); err != nil {
		return fmt.Errorf("%ssave %q: %w", s.prefix, id, err)
	}
	if err := tx.Set(s.revisionKey(id), strconv.AppendInt(nil, rev+1, 10)); err != nil {
		return fmt.Errorf("%ssave revision of %q: %w", s.prefix, id, err)
	}
	return nil
}

// Revision returns the revision of the document id, 0 when it has none.
func (s Store[D, S]) Revision(tx storage.ReadTx, id string) (int64, error) {
	raw, err := tx.Get(s.revisionKey(id))
	if errors.Is(err, storage.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("%sload revision of %q: %w", s.prefix, id, err)
	}
	rev, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%sdecode revision of %q: %w", s.prefix, id, err)
	}
	return rev, nil
}

// Delete removes the document id, its revision and its snapshots.
func (s Store[D, S]) Delete(tx storage.Tx, id string) error {
	prefix := s.snapshotsPrefix(id)
	var keys [][]byte
	err := tx.Scan(storage.Range{Start: prefix, End: storage.PrefixEnd(prefix)}, func(k, _ []byte) bool {
		keys = append(keys, append([]byte(nil), k...))
		return true
	})
	if err != nil {
		return fmt.Errorf("%slist snapshots of %q: %w", s.prefix, id, err)
	}
	for _, k := range append(keys, s.docKey(id), s.revisionKey(id)) {
		if err := tx.Delete(k); err != nil {
			return fmt.Errorf("%sdelete %q: %w", s.prefix, id, err)
		}
	}
	return nil
}

// SaveSnapshot files snap under the document id as snapID.
func (s Store[D, S]) SaveSnapshot(tx storage.Tx, id, snapID string, snap S) error {
	raw, err := json.Marshal(snap)
	if err != nil {
		return fmt.Errorf("%sencode snapshot %q: %w", s.prefix, snapID, err)
	}
	if err := tx.Set(append(s.snapshotsPrefix(id), snapID...), raw); err != nil {
		return fmt.Errorf("%ssave snapshot %q: %w", s.prefix, snapID, err)
	}
	return nil
}

// LoadSnapshot reads the snapshot snapID of the document id.
func (s Store[D, S]) LoadSnapshot(tx storage.ReadTx, id, snapID string) (*S, error) {
	raw, err := tx.Get(append(s.snapshotsPrefix(id), snapID...))
	if err != nil {
		return nil, fmt.Errorf("%sload snapshot %q: %w", s.prefix, snapID, err)
	}
	var snap S
	if err := json.Unmarshal(raw, &snap); err != nil {
		return nil, fmt.Errorf("%sdecode snapshot %q: %w", s.prefix, snapID, err)
	}
	return &snap, nil
}

// All returns every document, in id order.
func (s Store[D, S]) All(tx storage.ReadTx) ([]*D, error) {
	prefix := []byte(s.prefix + "a/")
	var ids []string
	err := tx.Scan(storage.Range{Start: prefix, End: storage.PrefixEnd(prefix)}, func(k, _ []byte) bool {
		ids = append(ids, string(k[len(prefix):]))
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("%slist: %w", s.prefix, err)
	}
	docs := make([]*D, 0, len(ids))
	for _, id := range ids {
		doc, err := s.Load(tx, id)
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

// DeleteSnapshot removes the snapshot snapID of the document id.
func (s Store[D, S]) DeleteSnapshot(tx storage.Tx, id, snapID string) error {
	if err := tx.Delete(append(s.snapshotsPrefix(id), snapID...)); err != nil {
		return fmt.Errorf("%sdelete snapshot %q: %w", s.prefix, snapID, err)
	}
	return nil
}

// ReadRevision returns the revision of the document id (0 when it has
// none), read in its own transaction: one small read, cheap enough for a
// data plane to check per request.
func (s Store[D, S]) ReadRevision(ctx context.Context, engine storage.Engine, id string) (int64, error) {
	var rev int64
	err := engine.View(ctx, func(tx storage.ReadTx) error {
		var err error
		rev, err = s.Revision(tx, id)
		return err
	})
	return rev, err
}

// View loads the document id in its own read transaction; ErrNotFound
// when there is none.
func (s Store[D, S]) View(ctx context.Context, engine storage.Engine, id string) (*D, error) {
	var doc *D
	err := engine.View(ctx, func(tx storage.ReadTx) error {
		var err error
		doc, err = s.Load(tx, id)
		return err
	})
	return doc, err
}

// Modify loads the document id, runs fn on it and saves it, in one
// transaction (fn may run more than once); ErrNotFound when there is no
// such document, fn's error when it fails (nothing is saved then).
func (s Store[D, S]) Modify(ctx context.Context, engine storage.Engine, id string, fn func(tx storage.Tx, doc *D) error) error {
	return engine.Update(ctx, func(tx storage.Tx) error {
		doc, err := s.Load(tx, id)
		if err != nil {
			return err
		}
		if err := fn(tx, doc); err != nil {
			return err
		}
		return s.Save(tx, id, doc)
	})
}

// Read loads the document id and its revision in one read transaction and
// hands both to fn, with the transaction to read the document's snapshots
// in the same view; ErrNotFound when there is no such document.
func (s Store[D, S]) Read(ctx context.Context, engine storage.Engine, id string, fn func(tx storage.ReadTx, doc *D, rev int64) error) error {
	return engine.View(ctx, func(tx storage.ReadTx) error {
		doc, err := s.Load(tx, id)
		if err != nil {
			return err
		}
		rev, err := s.Revision(tx, id)
		if err != nil {
			return err
		}
		return fn(tx, doc, rev)
	})
}

// idAlphabet is the alphabet of NewID.
const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// NewID returns a random identifier of n lower-case letters and digits,
// the shape of AWS's API Gateway ids (10 for APIs and resources, 7 for
// routes and integrations, 6 for deployments and authorizers).
func NewID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}
