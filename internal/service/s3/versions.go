package s3

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"time"

	"github.com/fogbank/fogbank/internal/storage"
)

// Versioning states of a bucket.
const (
	versioningEnabled   = "Enabled"
	versioningSuspended = "Suspended"
	nullVersion         = "null"
)

// A version id is 16 hex digits of the bit-inverted creation time in
// nanoseconds (so that a key's versions sort newest first) and 8 random
// characters (so that nodes creating versions at once never collide).
const versionIDLength = 24

// newVersionID returns a version id newer than every id this Service made.
func (s *Service) newVersionID() string {
	now := s.now().UnixNano()
	for {
		last := s.lastVersion.Load()
		next := max(now, last+1)
		if s.lastVersion.CompareAndSwap(last, next) {
			return versionIDAt(next)
		}
	}
}

// versionIDAt returns a version id for a version created at nanos.
func versionIDAt(nanos int64) string {
	return fmt.Sprintf("%016x", ^uint64(nanos)) + rand.Text()[:versionIDLength-16]
}

// writeObject stores rec in tx as the newest version of key in bucket b,
// as the bucket's versioning state says, and returns the blobs no record
// names any more. In a versioned bucket, a delete marker removes the
// current object; an unversioned bucket never gets one.
func (s *Service) writeObject(tx storage.Tx, b *bucketRecord, key string, rec *objectRecord) (freed []string, err error) {
	if b.Versioning == "" {
		rec.VersionID, rec.Null = "", false
		var old objectRecord
		found, err := getJSON(tx, objectKey(b.Name, key), &old)
		if err != nil {
			return nil, err
		}
		if found {
			freed = old.blobIDs()
		}
		return freed, setJSON(tx, objectKey(b.Name, key), rec)
	}
	rec.VersionID, rec.Null = s.newVersionID(), b.Versioning == versioningSuspended
	if rec.Null {
		old, err := findNullVersion(tx, b.Name, key)
		if err != nil {
			return nil, err
		}
		if old != nil {
			freed = old.blobIDs()
			if err := tx.Delete(versionKey(b.Name, key, old.VersionID)); err != nil {
				return nil, wrapf(err, "delete null version")
			}
		}
	}
	if err := setJSON(tx, versionKey(b.Name, key, rec.VersionID), rec); err != nil {
		return nil, err
	}
	if rec.DeleteMarker {
		return freed, tx.Delete(objectKey(b.Name, key))
	}
	return freed, setJSON(tx, objectKey(b.Name, key), rec)
}

// findNullVersion returns the null version of key, nil when there is none.
func findNullVersion(tx storage.ReadTx, bucket, key string) (*objectRecord, error) {
	var found *objectRecord
	err := scanVersionsOfKey(tx, bucket, key, 0, func(rec *objectRecord) bool {
		if rec.Null {
			found = rec
		}
		return found == nil
	})
	return found, err
}

// scanVersionsOfKey calls fn with key's versions, newest first, until fn
// returns false; limit bounds the scan (0: no bound).
func scanVersionsOfKey(tx storage.ReadTx, bucket, key string, limit int, fn func(*objectRecord) bool) error {
	prefix := versionsOfKey(bucket, key)
	var decodeErr error
	err := tx.Scan(storage.Range{Start: prefix, End: storage.PrefixEnd(prefix), Limit: limit}, func(_, v []byte) bool {
		var rec objectRecord
		if decodeErr = json.Unmarshal(v, &rec); decodeErr != nil {
			return false
		}
		return fn(&rec)
	})
	if err != nil {
		return wrapf(err, "scan versions")
	}
	if decodeErr != nil {
		return wrapf(decodeErr, "decode version")
	}
	return nil
}

// findVersion returns version versionID of key: the current object when
// versionID is "", NoSuchKey / NoSuchVersion when there is none. A delete
// marker is returned as such.
func findVersion(tx storage.ReadTx, b *bucketRecord, key, versionID string) (*objectRecord, error) {
	var rec *objectRecord
	switch {
	case versionID == "" || versionID == nullVersion && b.Versioning == "":
		var o objectRecord
		found, err := getJSON(tx, objectKey(b.Name, key), &o)
		if err != nil {
			return nil, err
		}
		if found {
			rec = &o
		}
	case versionID == nullVersion:
		var err error
		if rec, err = findNullVersion(tx, b.Name, key); err != nil {
			return nil, err
		}
	default:
		var o objectRecord
		found, err := getJSON(tx, versionKey(b.Name, key, versionID), &o)
		if err != nil {
			return nil, err
		}
		if found {
			rec = &o
		}
	}
	if rec != nil {
		return rec, nil
	}
	if versionID == "" {
		return nil, errNoSuchKey.New(msgNoSuchKey).With("Key", key)
	}
	return nil, errNoSuchVersion.New(msgNoSuchVersion).With("Key", key).With("VersionId", versionID)
}

// removeVersion deletes version versionID of key and makes the newest
// remaining version current. It returns the removed version (nil when
// there was none) and the blobs no record names any more.
func removeVersion(tx storage.Tx, b *bucketRecord, key, versionID string) (*objectRecord, error) {
	rec, err := findVersion(tx, b, key, versionID)
	if apiCode(err) == errNoSuchVersion.Code {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if b.Versioning == "" {
		return rec, tx.Delete(objectKey(b.Name, key))
	}
	if err := tx.Delete(versionKey(b.Name, key, rec.VersionID)); err != nil {
		return nil, wrapf(err, "delete version")
	}
	return rec, refreshCurrent(tx, b.Name, key)
}

// refreshCurrent makes key's newest version its current object, or
// removes the current object when that version is a delete marker.
func refreshCurrent(tx storage.Tx, bucket, key string) error {
	var newest *objectRecord
	err := scanVersionsOfKey(tx, bucket, key, 1, func(rec *objectRecord) bool {
		newest = rec
		return false
	})
	if err != nil {
		return err
	}
	if newest == nil || newest.DeleteMarker {
		return tx.Delete(objectKey(bucket, key))
	}
	return setJSON(tx, objectKey(bucket, key), newest)
}

// enableVersioning records every current object of a bucket that was
// never versioned as its null version. It runs in one transaction, so a
// bucket's size is bounded by what one transaction may write.
func enableVersioning(tx storage.Tx, bucket string) error {
	prefix := objectsOf(bucket)
	var keys []string
	var recs []objectRecord
	var decodeErr error
	err := tx.Scan(storage.Range{Start: prefix, End: storage.PrefixEnd(prefix)}, func(k, v []byte) bool {
		var rec objectRecord
		if decodeErr = json.Unmarshal(v, &rec); decodeErr != nil {
			return false
		}
		keys, recs = append(keys, string(k[len(prefix):])), append(recs, rec)
		return true
	})
	if err != nil || decodeErr != nil {
		return wrapf(cmp.Or(err, decodeErr), "scan objects")
	}
	for i := range recs {
		recs[i].VersionID, recs[i].Null = versionIDAt(recs[i].LastModified.UnixNano()), true
		if err := setJSON(tx, objectKey(bucket, keys[i]), &recs[i]); err != nil {
			return err
		}
		if err := setJSON(tx, versionKey(bucket, keys[i], recs[i].VersionID), &recs[i]); err != nil {
			return err
		}
	}
	return nil
}

// updateVersion applies fn to version versionID of key (the current one
// when "") and stores it, in the version history and as the current
// object when it is current. It returns the updated record.
func (s *Service) updateVersion(ctx context.Context, bucket, key, versionID string, fn func(*objectRecord) error) (*objectRecord, error) {
	var rec *objectRecord
	err := s.engine.Update(ctx, func(tx storage.Tx) error {
		b, err := getBucket(tx, bucket)
		if err != nil {
			return err
		}
		if rec, err = findVersion(tx, b, key, versionID); err != nil {
			return err
		}
		if rec.DeleteMarker {
			return errMethodNotAllowed.New(msgMethodNotAllow)
		}
		if err := fn(rec); err != nil {
			return err
		}
		return storeVersion(tx, bucket, key, rec)
	})
	return rec, err
}

// storeVersion writes rec back where it lives.
func storeVersion(tx storage.Tx, bucket, key string, rec *objectRecord) error {
	if rec.VersionID == "" {
		return setJSON(tx, objectKey(bucket, key), rec)
	}
	if err := setJSON(tx, versionKey(bucket, key, rec.VersionID), rec); err != nil {
		return err
	}
	var current objectRecord
	found, err := getJSON(tx, objectKey(bucket, key), &current)
	if err != nil || !found || current.VersionID != rec.VersionID {
		return err
	}
	return setJSON(tx, objectKey(bucket, key), rec)
}

// commitObject stores rec as the newest version of bucket/key once its
// blobs are durable, then deletes the blobs it frees; when the commit
// fails, rec's own blobs are deleted instead.
func (s *Service) commitObject(ctx context.Context, bucket, key string, rec *objectRecord) error {
	var freed []string
	err := s.engine.Update(ctx, func(tx storage.Tx) error {
		b, err := getBucket(tx, bucket)
		if err != nil {
			return err
		}
		if freed, err = s.writeObject(tx, b, key, rec); err != nil {
			return err
		}
		return s.objectWritten(ctx, tx, bucket, key, rec) // notification_event.go
	})
	if err != nil {
		s.deleteBlobs(ctx, rec.blobIDs())
		return err
	}
	s.deleteBlobs(ctx, freed)
	return nil
}

// removeObject deletes bucket/key as DeleteObject does: the given version,
// or else the current object (a delete marker in a versioned bucket). It
// returns the removed version or the marker made, nil when nothing was
// there.
func (s *Service) removeObject(ctx context.Context, bucket, key, versionID string) (*objectRecord, error) {
	var rec *objectRecord
	var freed []string
	err := s.engine.Update(ctx, func(tx storage.Tx) error {
		rec, freed = nil, nil
		b, err := getBucket(tx, bucket)
		if err != nil {
			return err
		}
		if b.Versioning == "" && versionID == "" {
			versionID = nullVersion // the one version there is
		}
		if versionID != "" {
			rec, err = removeVersion(tx, b, key, versionID)
			if rec != nil {
				freed = rec.blobIDs()
			}
			if err != nil {
				return err
			}
			return s.objectRemoved(ctx, tx, bucket, key, rec) // notification_event.go
		}
		rec = &objectRecord{DeleteMarker: true, LastModified: s.now().UTC().Truncate(time.Millisecond)}
		if freed, err = s.writeObject(tx, b, key, rec); err != nil {
			return err
		}
		return s.objectWritten(ctx, tx, bucket, key, rec) // notification_event.go
	})
	if err != nil {
		return nil, err
	}
	s.deleteBlobs(ctx, freed)
	return rec, nil
}

// viewVersion returns version versionID of bucket/key ("" for the current
// one); a delete marker is MethodNotAllowed when named and NoSuchKey
// otherwise.
func (s *Service) viewVersion(ctx context.Context, bucket, key, versionID string) (*objectRecord, error) {
	var rec *objectRecord
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		b, err := getBucket(tx, bucket)
		if err != nil {
			return err
		}
		rec, err = findVersion(tx, b, key, versionID)
		return err
	})
	if err == nil && rec.DeleteMarker {
		return nil, errMethodNotAllowed.New(msgMethodNotAllow).With("Method", "GET").With("ResourceType", "DeleteMarker")
	}
	return rec, err
}

// splitVersionKey splits the key suffix of a version record into object
// key and version id.
func splitVersionKey(rest []byte) (key, versionID string) {
	i := bytes.LastIndexByte(rest, 0)
	if i < 0 {
		return string(rest), ""
	}
	return string(rest[:i]), string(rest[i+1:])
}
