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

// The lifecycle worker takes the actions of every enabled lifecycle rule:
// it expires current objects (deletes them, or in a versioned bucket puts
// a delete marker on them), removes delete markers left without versions,
// deletes noncurrent versions, and aborts old multipart uploads. Each
// action is one transaction that checks its condition again, so a sweep
// racing a request, or another node's sweep, never acts on a changed
// object; each records its LifecycleExpiration event like a request does.
//
// Rules count in days of a configurable length (24 hours by default, less
// in tests). An object expires Days days after its creation, and a
// version NoncurrentDays days after it stopped being current; unlike S3,
// which rounds each expiry up to the next midnight UTC, the worker uses
// the exact time.

// DefaultLifecycleDay is the length of a lifecycle rule's day.
const DefaultLifecycleDay = 24 * time.Hour

// DefaultLifecycleInterval is how often the worker sweeps by default.
const DefaultLifecycleInterval = time.Hour

// LifecycleResult counts what one sweep did.
type LifecycleResult struct {
	// Expired counts current objects deleted or hidden by a delete marker.
	Expired int
	// MarkersRemoved counts delete markers removed as expired.
	MarkersRemoved int
	// NoncurrentDeleted counts noncurrent versions deleted.
	NoncurrentDeleted int
	// UploadsAborted counts multipart uploads aborted.
	UploadsAborted int
}

func (r LifecycleResult) total() int {
	return r.Expired + r.MarkersRemoved + r.NoncurrentDeleted + r.UploadsAborted
}

// RunLifecycle sweeps every interval, with days of length day, until ctx
// ends, logging what it does and any failure; it returns ctx's error.
func (s *Service) RunLifecycle(ctx context.Context, interval, day time.Duration) error {
	return every(ctx, interval, func() {
		res, err := s.SweepLifecycle(ctx, day)
		switch {
		case err != nil && ctx.Err() == nil:
			s.logger.WarnContext(ctx, "lifecycle sweep", slog.Any(logging.KeyErr, err))
		case res.total() > 0:
			s.logger.InfoContext(ctx, "lifecycle sweep", slog.Int("expired", res.Expired), slog.Int("markersRemoved", res.MarkersRemoved),
				slog.Int("noncurrentDeleted", res.NoncurrentDeleted), slog.Int("uploadsAborted", res.UploadsAborted))
		}
	})
}

// SweepLifecycle takes, once, the due actions of every bucket's lifecycle
// rules, counting days of length day.
func (s *Service) SweepLifecycle(ctx context.Context, day time.Duration) (LifecycleResult, error) {
	ctx = lifecycleContext(ctx)
	configs := map[string]*LifecycleConfiguration{}
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		clear(configs)
		prefix := configsOf(configLifecycle)
		return scanJSON(tx, prefix, storage.PrefixEnd(prefix), func(k []byte, cfg *LifecycleConfiguration) bool {
			configs[string(k[len(prefix):])] = cfg
			return true
		})
	})
	var res LifecycleResult
	if err != nil {
		return res, err
	}
	for bucket, cfg := range configs {
		sw := sweep{s: s, ctx: ctx, bucket: bucket, day: day, now: s.now(), res: &res}
		for i := range cfg.Rules {
			if cfg.Rules[i].Status == "Enabled" {
				if err := sw.apply(&cfg.Rules[i]); err != nil {
					return res, err
				}
			}
		}
	}
	return res, nil
}

// sweep takes the actions of one bucket's rules.
type sweep struct {
	s      *Service
	ctx    context.Context
	bucket string
	day    time.Duration
	now    time.Time
	res    *LifecycleResult
}

// apply takes the due actions of one rule.
func (sw *sweep) apply(r *LifecycleRule) error {
	if e := r.Expiration; e != nil && (e.Days != nil || e.Date != nil) {
		if err := sw.expireCurrent(r); err != nil {
			return err
		}
	}
	versioned := r.Expiration != nil && r.Expiration.ExpiredObjectDeleteMarker != nil && *r.Expiration.ExpiredObjectDeleteMarker ||
		r.NoncurrentVersionExpiration != nil
	if versioned {
		if err := sw.expireVersions(r); err != nil {
			return err
		}
	}
	if r.AbortIncompleteMultipart != nil {
		return sw.abortUploads(r)
	}
	return nil
}

// due reports whether days days counted from t have passed.
func (sw *sweep) due(t time.Time, days int) bool {
	return !sw.now.Before(t.Add(time.Duration(days) * sw.day))
}

// currentDue reports whether rule r expires the current object rec.
func (sw *sweep) currentDue(r *LifecycleRule, key string, rec *objectRecord) bool {
	if rec.DeleteMarker || !r.matches(key, rec.Size, rec.Tags) {
		return false
	}
	if e := r.Expiration; e.Days != nil {
		return sw.due(rec.LastModified, *e.Days)
	}
	date, err := time.Parse(time.RFC3339Nano, *r.Expiration.Date)
	return err == nil && !sw.now.Before(date)
}

// expireCurrent expires the current objects the rule selects.
func (sw *sweep) expireCurrent(r *LifecycleRule) error {
	var keys []string
	start := objectKey(sw.bucket, r.prefix())
	err := sw.s.engine.View(sw.ctx, func(tx storage.ReadTx) error {
		keys = nil
		return scanJSON(tx, start, storage.PrefixEnd(start), func(k []byte, rec *objectRecord) bool {
			key := string(k[len(objectsOf(sw.bucket)):])
			if sw.currentDue(r, key, rec) {
				keys = append(keys, key)
			}
			return true
		})
	})
	if err != nil {
		return err
	}
	for _, key := range keys {
		done, err := sw.change(func(tx storage.Tx, b *bucketRecord) ([]string, bool, error) {
			return sw.expireObject(tx, b, r, key)
		})
		if err != nil {
			return err
		}
		if done {
			sw.res.Expired++
		}
	}
	return nil
}

// expireObject expires key, when still due, in tx: deletes it, or in a
// versioned bucket puts a delete marker on it.
func (sw *sweep) expireObject(tx storage.Tx, b *bucketRecord, r *LifecycleRule, key string) ([]string, bool, error) {
	rec, err := findVersion(tx, b, key, "")
	if apiCode(err) == errNoSuchKey.Code {
		return nil, false, nil
	}
	if err != nil || !sw.currentDue(r, key, rec) {
		return nil, false, err
	}
	if b.Versioning == "" {
		removed, err := removeVersion(tx, b, key, nullVersion)
		if err != nil || removed == nil {
			return nil, false, err
		}
		return removed.blobIDs(), true, sw.s.objectRemoved(sw.ctx, tx, b.Name, key, removed)
	}
	marker := &objectRecord{DeleteMarker: true, LastModified: sw.now.UTC().Truncate(time.Millisecond)}
	freed, err := sw.s.writeObject(tx, b, key, marker)
	if err != nil {
		return nil, false, err
	}
	return freed, true, sw.s.objectWritten(sw.ctx, tx, b.Name, key, marker)
}

// versionAction is a version the rule removes: an expired delete marker
// or a noncurrent version.
type versionAction struct {
	key, versionID string
	marker         bool
}

// expireVersions removes the expired delete markers and noncurrent
// versions the rule selects.
func (sw *sweep) expireVersions(r *LifecycleRule) error {
	var actions []versionAction
	start := append(versionsOf(sw.bucket), r.prefix()...)
	err := sw.s.engine.View(sw.ctx, func(tx storage.ReadTx) error {
		actions = nil
		var key string
		var versions []*objectRecord
		flush := func() {
			actions = append(actions, sw.versionActions(r, key, versions)...)
		}
		err := scanJSON(tx, start, storage.PrefixEnd(start), func(k []byte, rec *objectRecord) bool {
			name, _ := splitVersionKey(k[len(versionsOf(sw.bucket)):])
			if name != key && versions != nil {
				flush()
				versions = nil
			}
			key, versions = name, append(versions, rec)
			return true
		})
		if versions != nil {
			flush()
		}
		return err
	})
	if err != nil {
		return err
	}
	for _, a := range actions {
		if err := sw.removeVersion(r, a); err != nil {
			return err
		}
	}
	return nil
}

// versionActions returns what the rule removes of one key's versions,
// newest first.
func (sw *sweep) versionActions(r *LifecycleRule, key string, versions []*objectRecord) []versionAction {
	if e := r.Expiration; e != nil && e.ExpiredObjectDeleteMarker != nil && *e.ExpiredObjectDeleteMarker &&
		len(versions) == 1 && versions[0].DeleteMarker && r.matches(key, 0, nil) {
		return []versionAction{{key: key, versionID: versions[0].VersionID, marker: true}}
	}
	var actions []versionAction
	for i := 1; i < len(versions); i++ {
		if sw.noncurrentDue(r, key, versions[i-1], versions[i], i-1) {
			actions = append(actions, versionAction{key: key, versionID: versions[i].VersionID})
		}
	}
	return actions
}

// noncurrentDue reports whether the rule deletes version v, which became
// noncurrent when successor was made and has newer noncurrent versions
// above it.
func (sw *sweep) noncurrentDue(r *LifecycleRule, key string, successor, v *objectRecord, newer int) bool {
	n := r.NoncurrentVersionExpiration
	if n == nil || !r.matches(key, v.Size, v.Tags) {
		return false
	}
	if n.NewerNoncurrentVersions != nil && newer < *n.NewerNoncurrentVersions {
		return false
	}
	return sw.due(successor.LastModified, *n.NoncurrentDays)
}

// removeVersion takes one version action, when it is still due.
func (sw *sweep) removeVersion(r *LifecycleRule, a versionAction) error {
	done, err := sw.change(func(tx storage.Tx, b *bucketRecord) ([]string, bool, error) {
		var versions []*objectRecord
		if err := scanVersionsOfKey(tx, b.Name, a.key, 0, func(rec *objectRecord) bool {
			versions = append(versions, rec)
			return true
		}); err != nil {
			return nil, false, err
		}
		var victim *objectRecord
		for _, still := range sw.versionActions(r, a.key, versions) {
			if still == a {
				victim = findRecord(versions, a.versionID)
			}
		}
		if victim == nil {
			return nil, false, nil
		}
		if err := tx.Delete(versionKey(b.Name, a.key, a.versionID)); err != nil {
			return nil, false, wrapf(err, "delete version")
		}
		return victim.blobIDs(), true, sw.s.objectRemoved(sw.ctx, tx, b.Name, a.key, victim)
	})
	switch {
	case err != nil || !done:
	case a.marker:
		sw.res.MarkersRemoved++
	default:
		sw.res.NoncurrentDeleted++
	}
	return err
}

func findRecord(versions []*objectRecord, versionID string) *objectRecord {
	for _, v := range versions {
		if v.VersionID == versionID {
			return v
		}
	}
	return nil
}

// abortUploads aborts the rule's uploads begun DaysAfterInitiation days
// ago.
func (sw *sweep) abortUploads(r *LifecycleRule) error {
	type upload struct{ key, id string }
	var due []upload
	days := *r.AbortIncompleteMultipart.DaysAfterInitiation
	start := append(uploadsOf(sw.bucket), r.prefix()...)
	err := sw.s.engine.View(sw.ctx, func(tx storage.ReadTx) error {
		due = nil
		return scanJSON(tx, start, storage.PrefixEnd(start), func(k []byte, up *uploadRecord) bool {
			if sw.due(up.Initiated, days) {
				key, id := splitVersionKey(k[len(uploadsOf(sw.bucket)):])
				due = append(due, upload{key, id})
			}
			return true
		})
	})
	if err != nil {
		return err
	}
	for _, u := range due {
		done, err := sw.change(func(tx storage.Tx, b *bucketRecord) ([]string, bool, error) {
			_, err := getUpload(tx, b.Name, u.key, u.id)
			if apiCode(err) == errNoSuchUpload.Code { // completed or aborted meanwhile
				return nil, false, nil
			}
			if err != nil {
				return nil, false, err
			}
			freed, err := dropUpload(tx, b.Name, u.key, u.id, nil)
			return freed, err == nil, err
		})
		if err != nil {
			return err
		}
		if done {
			sw.res.UploadsAborted++
		}
	}
	return nil
}

// change runs fn on the bucket in one transaction and deletes the blobs
// it frees once committed; done is what fn reports (false when the bucket
// is gone).
func (sw *sweep) change(fn func(storage.Tx, *bucketRecord) (freed []string, done bool, err error)) (bool, error) {
	var freed []string
	var done bool
	err := sw.s.engine.Update(sw.ctx, func(tx storage.Tx) error {
		freed, done = nil, false
		b, err := getBucket(tx, sw.bucket)
		if apiCode(err) == errNoSuchBucket.Code {
			return nil
		}
		if err != nil {
			return err
		}
		freed, done, err = fn(tx, b)
		return err
	})
	if err != nil {
		return false, err
	}
	sw.s.deleteBlobs(sw.ctx, freed)
	return done, nil
}

// scanJSON calls fn with each record in [start, end) decoded as a T,
// until fn returns false.
func scanJSON[T any](tx storage.ReadTx, start, end []byte, fn func(k []byte, v *T) bool) error {
	var decodeErr error
	err := tx.Scan(storage.Range{Start: start, End: end}, func(k, v []byte) bool {
		rec := new(T)
		if decodeErr = json.Unmarshal(v, rec); decodeErr != nil {
			return false
		}
		return fn(k, rec)
	})
	if err := errors.Join(err, decodeErr); err != nil {
		return wrapf(err, "scan %q", start)
	}
	return nil
}
