package s3

import (
	"cmp"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/awsproto/restxml"
	"github.com/fogbank/fogbank/internal/storage"
)

// validBucketName applies S3's general-purpose bucket naming rules: 3 to
// 63 characters of lowercase letters, digits, dots and hyphens, starting
// and ending with a letter or digit, no "..", not shaped like an IP
// address, and none of the reserved prefixes and suffixes.
func validBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 || strings.Contains(name, "..") || net.ParseIP(name) != nil {
		return false
	}
	for _, c := range []byte(name) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	if !isAlnum(name[0]) || !isAlnum(name[len(name)-1]) {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, sfx := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, sfx) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

func (s *Service) createBucket(rq *request) error {
	if !validBucketName(rq.bucket) {
		return errInvalidBucketName.New(msgInvalidBucket).With("BucketName", rq.bucket)
	}
	if err := s.checkLocation(rq); err != nil {
		return err
	}
	rec := bucketRecord{Name: rq.bucket, Created: s.now().UTC(), Region: s.region}
	err := s.engine.Update(rq.r.Context(), func(tx storage.Tx) error {
		var existing bucketRecord
		found, err := getJSON(tx, bucketKey(rq.bucket), &existing)
		if err != nil {
			return err
		}
		if found {
			return errBucketOwned.New(msgBucketOwned).With("BucketName", rq.bucket)
		}
		return setJSON(tx, bucketKey(rq.bucket), &rec)
	})
	if err != nil {
		return err
	}
	rq.w.Header().Set("Location", "/"+rq.bucket)
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// checkLocation reads the optional CreateBucketConfiguration: its
// LocationConstraint, when set, must be the server's region.
func (s *Service) checkLocation(rq *request) error {
	if rq.r.ContentLength == 0 {
		return nil
	}
	var cfg createBucketConfiguration
	if err := decodeXML(rq, &cfg); err != nil {
		return err
	}
	if cfg.LocationConstraint != "" && cfg.LocationConstraint != s.region {
		return errIllegalLocation.Newf("The %s location constraint is incompatible for the region specific endpoint this request was sent to.",
			cfg.LocationConstraint)
	}
	return nil
}

func (s *Service) headBucket(rq *request) error {
	b, err := s.viewBucket(rq.r.Context(), rq.bucket)
	if err != nil {
		return err
	}
	rq.w.Header().Set("X-Amz-Bucket-Region", b.Region)
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) deleteBucket(rq *request) error {
	var freed []string
	err := s.engine.Update(rq.r.Context(), func(tx storage.Tx) error {
		if _, err := getBucket(tx, rq.bucket); err != nil {
			return err
		}
		for _, prefix := range [][]byte{objectsOf(rq.bucket), versionsOf(rq.bucket)} {
			empty, err := isEmpty(tx, prefix)
			if err != nil {
				return err
			}
			if !empty {
				return errBucketNotEmpty.New(msgBucketNotEmpty).With("BucketName", rq.bucket)
			}
		}
		var err error
		if freed, err = abortBucketUploads(tx, rq.bucket); err != nil {
			return err
		}
		if err := deleteConfigs(tx, rq.bucket); err != nil {
			return err
		}
		return tx.Delete(bucketKey(rq.bucket))
	})
	if err != nil {
		return err
	}
	s.deleteBlobs(rq.r.Context(), freed)
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// isEmpty reports whether no key has prefix.
func isEmpty(tx storage.ReadTx, prefix []byte) (bool, error) {
	empty := true
	err := tx.Scan(storage.Range{Start: prefix, End: storage.PrefixEnd(prefix), Limit: 1}, func(_, _ []byte) bool {
		empty = false
		return false
	})
	if err != nil {
		return false, wrapf(err, "scan %q", prefix)
	}
	return empty, nil
}

// maxListBuckets is ListBuckets' default and largest page.
const maxListBuckets = 10000

func (s *Service) listBuckets(rq *request) error {
	limit := maxListBuckets
	if v := rq.query.Get("max-buckets"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxListBuckets {
			return errInvalidArgument.New("Argument max-buckets must be an integer between 1 and 10000.")
		}
		limit = n
	}
	prefix, token := rq.query.Get("prefix"), rq.query.Get("continuation-token")
	buckets, more, err := s.scanBuckets(rq.r.Context(), prefix, token, limit)
	if err != nil {
		return err
	}
	res := listAllMyBucketsResult{Owner: s.owner, Prefix: prefix}
	for _, b := range buckets {
		res.Buckets = append(res.Buckets, bucketEntry{Name: b.Name, CreationDate: formatTime(b.Created), BucketRegion: b.Region})
	}
	if more {
		res.ContinuationToken = buckets[len(buckets)-1].Name
	}
	return s.writeXML(rq, http.StatusOK, &res)
}

// scanBuckets returns up to limit buckets named with prefix after token,
// and whether there are more.
func (s *Service) scanBuckets(ctx context.Context, prefix, after string, limit int) ([]bucketRecord, bool, error) {
	var buckets []bucketRecord
	more := false
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		buckets, more = nil, false
		start := bucketKey(prefix)
		if after != "" {
			start = append(bucketKey(after), 0)
		}
		var decodeErr error
		r := storage.Range{Start: start, End: storage.PrefixEnd(bucketKey(prefix)), Limit: limit + 1}
		err := tx.Scan(r, func(_, value []byte) bool {
			if len(buckets) == limit {
				more = true
				return false
			}
			var b bucketRecord
			if decodeErr = json.Unmarshal(value, &b); decodeErr != nil {
				return false
			}
			buckets = append(buckets, b)
			return true
		})
		return cmp.Or(err, decodeErr)
	})
	return buckets, more, err
}

func (s *Service) getBucketLocation(rq *request) error {
	b, err := s.viewBucket(rq.r.Context(), rq.bucket)
	if err != nil {
		return err
	}
	loc := locationConstraint{Region: b.Region}
	if loc.Region == "us-east-1" {
		loc.Region = "" // S3 reports the original region as an empty constraint
	}
	return s.writeXML(rq, http.StatusOK, &loc)
}

func (s *Service) getBucketVersioning(rq *request) error {
	b, err := s.viewBucket(rq.r.Context(), rq.bucket)
	if err != nil {
		return err
	}
	return s.writeXML(rq, http.StatusOK, &versioningConfiguration{Xmlns: restxml.Namespace, Status: b.Versioning})
}

func (s *Service) putBucketVersioning(rq *request) error {
	var cfg versioningConfiguration
	if err := decodeXML(rq, &cfg); err != nil {
		return err
	}
	if cfg.Status != "Enabled" && cfg.Status != "Suspended" {
		return errMalformedXML.New(msgMalformedXML)
	}
	err := s.engine.Update(rq.r.Context(), func(tx storage.Tx) error {
		b, err := getBucket(tx, rq.bucket)
		if err != nil {
			return err
		}
		if b.Versioning == "" {
			if err := enableVersioning(tx, rq.bucket); err != nil {
				return err
			}
		}
		b.Versioning = cfg.Status
		return setJSON(tx, bucketKey(rq.bucket), b)
	})
	if err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// Tag limits of bucket tagging.
const (
	maxBucketTags  = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

func (s *Service) putBucketTagging(rq *request) error {
	var doc Tagging
	if err := decodeXML(rq, &doc); err != nil {
		return err
	}
	if err := validateTags(doc.TagSet); err != nil {
		return err
	}
	err := s.updateBucket(rq.r.Context(), rq.bucket, func(b *bucketRecord) error {
		b.Tags = doc.TagSet
		return nil
	})
	if err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// validateTags applies S3's tag-set rules.
func validateTags(tags []Tag) error {
	if len(tags) > maxBucketTags {
		return errInvalidTag.New("Object tags cannot be greater than 50")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		switch {
		case t.Key == "" || len(t.Key) > maxTagKeyLen:
			return errInvalidTag.New("The TagKey you have provided is invalid")
		case len(t.Value) > maxTagValueLen:
			return errInvalidTag.New("The TagValue you have provided is invalid")
		case seen[t.Key]:
			return errInvalidTag.New("Cannot provide multiple Tags with the same key")
		}
		seen[t.Key] = true
	}
	return nil
}

func (s *Service) getBucketTagging(rq *request) error {
	b, err := s.viewBucket(rq.r.Context(), rq.bucket)
	if err != nil {
		return err
	}
	if len(b.Tags) == 0 {
		return errNoSuchTagSet.New("The TagSet does not exist").With("BucketName", rq.bucket)
	}
	return s.writeXML(rq, http.StatusOK, &Tagging{Xmlns: restxml.Namespace, TagSet: b.Tags})
}

func (s *Service) deleteBucketTagging(rq *request) error {
	err := s.updateBucket(rq.r.Context(), rq.bucket, func(b *bucketRecord) error {
		b.Tags = nil
		return nil
	})
	if err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// corsMethods are the methods a CORS rule may allow.
var corsMethods = []string{"GET", "PUT", "HEAD", "POST", "DELETE"}

func (s *Service) putBucketCORS(rq *request) error {
	var cfg CORSConfiguration
	if err := decodeXML(rq, &cfg); err != nil {
		return err
	}
	if len(cfg.Rules) == 0 || len(cfg.Rules) > 100 {
		return errMalformedXML.New(msgMalformedXML)
	}
	for _, rule := range cfg.Rules {
		if len(rule.AllowedMethods) == 0 || len(rule.AllowedOrigins) == 0 {
			return errMalformedXML.New(msgMalformedXML)
		}
		for _, m := range rule.AllowedMethods {
			if !slices.Contains(corsMethods, m) {
				return errInvalidRequest.Newf("Found unsupported HTTP method in CORS config. Unsupported method is %s", m)
			}
		}
	}
	err := s.updateBucket(rq.r.Context(), rq.bucket, func(b *bucketRecord) error {
		b.CORS = &cfg
		return nil
	})
	if err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) getBucketCORS(rq *request) error {
	b, err := s.viewBucket(rq.r.Context(), rq.bucket)
	if err != nil {
		return err
	}
	if b.CORS == nil {
		return errNoSuchCORS.New("The CORS configuration does not exist").With("BucketName", rq.bucket)
	}
	return s.writeXML(rq, http.StatusOK, &CORSConfiguration{Xmlns: restxml.Namespace, Rules: b.CORS.Rules})
}

func (s *Service) deleteBucketCORS(rq *request) error {
	err := s.updateBucket(rq.r.Context(), rq.bucket, func(b *bucketRecord) error {
		b.CORS = nil
		return nil
	})
	if err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// Bucket configurations live beside the bucket record, one key each, so
// that adding one never rewrites the record others update:
//
//	s3/cfg/<kind>/<bucket> → the configuration (JSON)
//
// Keyed by kind first, so that the lifecycle worker finds every bucket
// with a lifecycle configuration in one range.
const configsPrefix = "s3/cfg/"

// Kinds of bucket configuration.
const (
	configLifecycle         = "lifecycle"
	configNotification      = "notification"
	configPolicy            = "policy"
	configPublicAccessBlock = "publicAccessBlock"
)

// configKinds are every kind, which DeleteBucket removes.
var configKinds = []string{configLifecycle, configNotification, configPolicy, configPublicAccessBlock}

func configsOf(kind string) []byte { return []byte(configsPrefix + kind + "/") }

func configKey(kind, bucket string) []byte { return append(configsOf(kind), bucket...) }

// getConfig reads bucket's configuration of kind into v in tx; found is
// false when there is none. A missing bucket is NoSuchBucket.
func getConfig(tx storage.ReadTx, bucket, kind string, v any) (found bool, err error) {
	if _, err := getBucket(tx, bucket); err != nil {
		return false, err
	}
	return getJSON(tx, configKey(kind, bucket), v)
}

// viewConfig reads bucket's configuration of kind into v.
func (s *Service) viewConfig(ctx context.Context, bucket, kind string, v any) (found bool, err error) {
	err = s.engine.View(ctx, func(tx storage.ReadTx) error {
		found, err = getConfig(tx, bucket, kind, v)
		return err
	})
	return found, err
}

// storeConfig sets (v != nil) or deletes (v == nil) bucket's
// configuration of kind; then, in the same transaction, also runs (when
// not nil).
func (s *Service) storeConfig(ctx context.Context, bucket, kind string, v any, also func(storage.Tx) error) error {
	return s.engine.Update(ctx, func(tx storage.Tx) error {
		if _, err := getBucket(tx, bucket); err != nil {
			return err
		}
		var err error
		if v == nil {
			err = tx.Delete(configKey(kind, bucket))
		} else {
			err = setJSON(tx, configKey(kind, bucket), v)
		}
		if err != nil || also == nil {
			return err
		}
		return also(tx)
	})
}

// deleteConfigs removes every configuration and the event log of a bucket
// being deleted.
func deleteConfigs(tx storage.Tx, bucket string) error {
	for _, kind := range configKinds {
		if err := tx.Delete(configKey(kind, bucket)); err != nil {
			return wrapf(err, "delete %s configuration", kind)
		}
	}
	return deleteEventLog(tx, bucket)
}

// configOp is an operation on a bucket configuration.
type configOp = func(*Service, *request) error

// configOps are the operations on the configurations above, by
// subresource and method.
var configOps = map[string]map[string]configOp{
	"lifecycle": {http.MethodPut: (*Service).putBucketLifecycle, http.MethodGet: (*Service).getBucketLifecycle,
		http.MethodDelete: (*Service).deleteBucketLifecycle},
	"notification": {http.MethodPut: (*Service).putBucketNotification, http.MethodGet: (*Service).getBucketNotification},
	"policy": {http.MethodPut: (*Service).putBucketPolicy, http.MethodGet: (*Service).getBucketPolicy,
		http.MethodDelete: (*Service).deleteBucketPolicy},
	"policyStatus": {http.MethodGet: (*Service).getBucketPolicyStatus},
	"publicAccessBlock": {http.MethodPut: (*Service).putPublicAccessBlock, http.MethodGet: (*Service).getPublicAccessBlock,
		http.MethodDelete: (*Service).deletePublicAccessBlock},
}

// bucketConfigOp serves the configOps; handled is false for any other
// request.
func (s *Service) bucketConfigOp(rq *request) (handled bool, err error) {
	for sub, ops := range configOps {
		if !rq.query.Has(sub) {
			continue
		}
		op, ok := ops[rq.r.Method]
		if !ok {
			return true, errMethodNotAllowed.New(msgMethodNotAllow)
		}
		return true, op(s, rq)
	}
	return false, nil
}
