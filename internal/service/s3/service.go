package s3

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fogbank/fogbank/internal/awsproto/restxml"
	"github.com/fogbank/fogbank/internal/blob"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/storage"
)

// DefaultDomains are the host suffixes under which <bucket>.<domain> is a
// virtual-host-style request.
var DefaultDomains = []string{"s3.localhost", "localhost"}

// reservedLabels end host prefixes that belong to other endpoints
// (API Gateway, bucket websites), never to a bucket.
var reservedLabels = []string{".execute-api", ".s3-website"}

// Options configure a Service.
type Options struct {
	// Engine stores bucket and object metadata. Required.
	Engine storage.Engine
	// Blobs stores object bytes. Required.
	Blobs blob.Store
	// Region is the region buckets are created in. Required.
	Region string
	// AccountID names the owner of every bucket.
	AccountID string
	// Domains are the virtual-host suffixes; DefaultDomains when nil.
	Domains []string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger receives server faults; discarded when nil.
	Logger *slog.Logger
	// MasterKey (MasterKeySize bytes, see LoadMasterKey) wraps the data
	// keys that seal object bytes at rest. Required.
	MasterKey []byte
}

// Service is the S3 API. It implements http.Handler for requests that the
// front door has already authenticated.
type Service struct {
	engine  storage.Engine
	blobs   blob.Store
	region  string
	owner   Owner
	domains []string
	now     func() time.Time
	logger  *slog.Logger
	sealer  *sealer
	// lastVersion is the creation time (ns) of the newest version id made.
	lastVersion atomic.Int64
}

// New returns a Service over opts.
func New(opts Options) (*Service, error) {
	if opts.Engine == nil || opts.Blobs == nil || opts.Region == "" {
		return nil, errors.New("s3: Engine, Blobs and Region are required")
	}
	if opts.Domains == nil {
		opts.Domains = DefaultDomains
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	sealer, err := newSealer(opts.MasterKey)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte("fogbank-account:" + opts.AccountID))
	return &Service{
		sealer:  sealer,
		engine:  opts.Engine,
		blobs:   opts.Blobs,
		region:  opts.Region,
		owner:   Owner{ID: hex.EncodeToString(sum[:]), DisplayName: "fogbank"},
		domains: opts.Domains,
		now:     opts.Now,
		logger:  logging.OrDiscard(opts.Logger),
	}, nil
}

// request is one S3 request being served.
type request struct {
	w      http.ResponseWriter
	r      *http.Request
	query  url.Values
	bucket string
	key    string
}

// ServeHTTP serves one S3 request. The front door has authenticated it,
// except for OPTIONS (CORS preflight), which needs no credentials.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r = withEventSource(r) // what object events record of r (notification_event.go)
	rq := &request{w: w, r: r, query: r.URL.Query()}
	rq.bucket, rq.key = s.address(r)
	if origin := r.Header.Get("Origin"); origin != "" && rq.bucket != "" && r.Method != http.MethodOptions {
		s.applyCORS(rq, origin)
	}
	if err := s.dispatch(rq); err != nil {
		restxml.WriteError(w, r, s.logger, err)
	}
}

// address finds the bucket and key of r: from a virtual-host Host
// (<bucket>.<domain>) and the whole path, or else from the path's first
// segment and the rest.
func (s *Service) address(r *http.Request) (bucket, key string) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	if b, ok := s.virtualBucket(r.Host); ok {
		return b, path
	}
	bucket, key, _ = strings.Cut(path, "/")
	return bucket, key
}

// virtualBucket returns the bucket a virtual-host Host names.
func (s *Service) virtualBucket(host string) (string, bool) {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	for _, domain := range s.domains {
		b, ok := strings.CutSuffix(host, "."+domain)
		if !ok || b == "" {
			continue
		}
		for _, label := range reservedLabels {
			if strings.HasSuffix(b, label) {
				return "", false
			}
		}
		return b, true
	}
	return "", false
}

// unsupportedSubresources select operations that are not implemented yet.
var unsupportedSubresources = []string{
	"acl", "replication",
	"logging", "accelerate", "requestPayment", "object-lock", "ownershipControls",
	"intelligent-tiering", "analytics", "metrics", "inventory", "restore", "select",
	"retention", "legal-hold", "attributes", "torrent",
}

// dispatch runs the operation rq names.
func (s *Service) dispatch(rq *request) error {
	for _, sub := range unsupportedSubresources {
		if rq.query.Has(sub) {
			return errNotImplemented.New(msgNotImplemented).With("Subresource", sub)
		}
	}
	switch {
	case rq.r.Method == http.MethodOptions && rq.bucket != "":
		return s.preflight(rq)
	case rq.bucket == "":
		if rq.r.Method != http.MethodGet {
			return errMethodNotAllowed.New(msgMethodNotAllow)
		}
		return s.listBuckets(rq)
	case rq.key == "" && rq.query.Has("website"):
		return s.bucketWebsiteOp(rq)
	case rq.key == "":
		return s.bucketOp(rq)
	default:
		return s.objectOp(rq)
	}
}

// bucketOp dispatches the operations on a bucket.
func (s *Service) bucketOp(rq *request) error {
	if handled, err := s.bucketConfigOp(rq); handled { // bucket.go
		return err
	}
	switch rq.r.Method {
	case http.MethodPut:
		return s.putBucketOp(rq)
	case http.MethodGet:
		return s.getBucketOp(rq)
	case http.MethodHead:
		return s.headBucket(rq)
	case http.MethodDelete:
		switch {
		case rq.query.Has("tagging"):
			return s.deleteBucketTagging(rq)
		case rq.query.Has("cors"):
			return s.deleteBucketCORS(rq)
		case rq.query.Has("encryption"):
			return s.deleteBucketEncryption(rq)
		}
		return s.deleteBucket(rq)
	case http.MethodPost:
		if rq.query.Has("delete") {
			return s.deleteObjects(rq)
		}
		return s.postObject(rq)
	}
	return errMethodNotAllowed.New(msgMethodNotAllow)
}

// putBucketOp dispatches the PUT operations on a bucket.
func (s *Service) putBucketOp(rq *request) error {
	switch q := rq.query; {
	case q.Has("versioning"):
		return s.putBucketVersioning(rq)
	case q.Has("tagging"):
		return s.putBucketTagging(rq)
	case q.Has("cors"):
		return s.putBucketCORS(rq)
	case q.Has("encryption"):
		return s.putBucketEncryption(rq)
	}
	return s.createBucket(rq)
}

// getBucketOp dispatches the GET operations on a bucket.
func (s *Service) getBucketOp(rq *request) error {
	switch q := rq.query; {
	case q.Has("location"):
		return s.getBucketLocation(rq)
	case q.Has("versioning"):
		return s.getBucketVersioning(rq)
	case q.Has("tagging"):
		return s.getBucketTagging(rq)
	case q.Has("cors"):
		return s.getBucketCORS(rq)
	case q.Has("encryption"):
		return s.getBucketEncryption(rq)
	case q.Has("uploads"):
		return s.listMultipartUploads(rq)
	case q.Has("versions"):
		return s.listObjectVersions(rq)
	case q.Get("list-type") == "2":
		return s.listObjectsV2(rq)
	}
	return s.listObjectsV1(rq)
}

// objectOp dispatches the operations on an object.
func (s *Service) objectOp(rq *request) error {
	if len(rq.key) > maxKeyLength {
		return errKeyTooLong.New("Your key is too long")
	}
	if strings.IndexByte(rq.key, 0) >= 0 {
		return errInvalidArgument.New("Object keys may not contain a NUL character").With("ArgumentName", "key")
	}
	q := rq.query
	switch rq.r.Method {
	case http.MethodPut:
		return s.putObjectOp(rq)
	case http.MethodGet:
		switch {
		case q.Has("tagging"):
			return s.getObjectTagging(rq)
		case q.Has("uploadId"):
			return s.listParts(rq)
		}
		return s.getObject(rq, true)
	case http.MethodHead:
		return s.getObject(rq, false)
	case http.MethodDelete:
		switch {
		case q.Has("tagging"):
			return s.deleteObjectTagging(rq)
		case q.Has("uploadId"):
			return s.abortMultipartUpload(rq)
		}
		return s.deleteObject(rq)
	case http.MethodPost:
		switch {
		case q.Has("uploads"):
			return s.createMultipartUpload(rq)
		case q.Has("uploadId"):
			return s.completeMultipartUpload(rq)
		}
	}
	return errMethodNotAllowed.New(msgMethodNotAllow)
}

// putObjectOp dispatches the PUT operations on an object.
func (s *Service) putObjectOp(rq *request) error {
	copying := rq.r.Header.Get(headerCopySource) != ""
	switch q := rq.query; {
	case q.Has("tagging"):
		return s.putObjectTagging(rq)
	case q.Has("uploadId") && copying:
		return s.uploadPartCopy(rq)
	case q.Has("uploadId"):
		return s.uploadPart(rq)
	case copying:
		return s.copyObject(rq)
	}
	return s.putObject(rq)
}

// writeXML writes a success document, logging a failed write.
func (s *Service) writeXML(rq *request, status int, v any) error {
	if err := restxml.WriteXML(rq.w, status, v); err != nil {
		s.logger.DebugContext(rq.r.Context(), "write response", slog.Any(logging.KeyErr, err))
	}
	return nil
}

// decodeXML reads a small XML request body into v; MalformedXML when it
// is not v's document.
func decodeXML(rq *request, v any) error { return decodeXMLLimit(rq, maxConfigBody, v) }

// decodeXMLLimit reads an XML request body of at most limit bytes into v.
func decodeXMLLimit(rq *request, limit int64, v any) error {
	pc, err := parsePayloadCheck(rq.r)
	if err != nil {
		return err
	}
	err = restxml.Decode(newCheckingReader(rq.r, rq.r.Body, pc), limit, v)
	if errors.Is(err, restxml.ErrMalformed) {
		return errMalformedXML.Wrap(err, msgMalformedXML)
	}
	if err != nil {
		return readError(err)
	}
	return nil
}

// readError passes on an S3 error raised while reading a request body (a
// payload check of the front door) and turns anything else into
// IncompleteBody.
func readError(err error) error {
	var ae interface{ ErrorCode() string }
	if errors.As(err, &ae) {
		return err
	}
	return errIncompleteBody.Wrap(err, msgIncompleteBody)
}

// Limits.
const (
	maxKeyLength    = 1024
	maxConfigBody   = 1 << 20
	maxObjectSize   = 5 << 30
	maxMetadataSize = 2 << 10
)

// formatTime formats t as S3's XML timestamps.
func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// wrapf wraps err with the package prefix.
func wrapf(err error, format string, args ...any) error {
	return fmt.Errorf("s3: "+format+": %w", append(args, err)...)
}
