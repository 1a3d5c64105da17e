package website

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/fogbank/fogbank/internal/logging"
)

// Defaults of the Options fields.
const (
	// DefaultCacheBytes bounds the memory of the object cache.
	DefaultCacheBytes = 64 << 20
	// DefaultMaxCachedObject is the largest object kept in the cache (and
	// compressed).
	DefaultMaxCachedObject = 256 << 10
)

// Options configure a Handler.
type Options struct {
	// Source reads configurations and objects. Required.
	Source Source
	// CacheBytes bounds the cache of small objects and their compressed
	// variants; DefaultCacheBytes when 0. Negative disables the cache, and
	// with it compression: every object is then streamed from the Source.
	CacheBytes int64
	// MaxCachedObject is the size above which an object is streamed from
	// the Source, never cached nor compressed; DefaultMaxCachedObject when 0.
	MaxCachedObject int64
	// Logger receives server faults; discarded when nil.
	Logger *slog.Logger
}

// Handler serves bucket websites.
type Handler struct {
	src       Source
	cache     *cache
	maxCached int64
	logger    *slog.Logger
}

// New returns a Handler over opts.
func New(opts Options) (*Handler, error) {
	if opts.Source == nil {
		return nil, errors.New("website: Source is required")
	}
	if opts.CacheBytes == 0 {
		opts.CacheBytes = DefaultCacheBytes
	}
	if opts.MaxCachedObject <= 0 {
		opts.MaxCachedObject = DefaultMaxCachedObject
	}
	return &Handler{
		src:       opts.Source,
		cache:     newCache(opts.CacheBytes),
		maxCached: min(opts.MaxCachedObject, max(opts.CacheBytes, 0)),
		logger:    logging.OrDiscard(opts.Logger),
	}, nil
}

// site is one website request being served.
type site struct {
	w      http.ResponseWriter
	r      *http.Request
	bucket string
	// base is the path the site's keys hang below: "" for a website host,
	// "/_website/<bucket>" (say) for the path-style form.
	base string
	// path is the request's decoded path below base, starting with "/".
	path string
	cfg  *Config
}

// ServeWebsite answers a request to bucket's website: path is the decoded
// path below base, the prefix of the site's URLs on this host ("" when the
// host names the bucket).
func (h *Handler) ServeWebsite(w http.ResponseWriter, r *http.Request, bucket, base, path string) {
	s := &site{w: w, r: r, bucket: bucket, base: base, path: path}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.page(s, pageError{status: http.StatusMethodNotAllowed, code: "MethodNotAllowed",
			message: "The specified method is not allowed against this resource.",
			details: [][2]string{{"Method", r.Method}, {"ResourceType", "OBJECT"}}})
		return
	}
	cfg, err := h.src.Config(r.Context(), bucket)
	switch {
	case errors.Is(err, ErrNoSuchBucket):
		h.page(s, pageError{status: http.StatusNotFound, code: "NoSuchBucket",
			message: "The specified bucket does not exist", details: [][2]string{{"BucketName", bucket}}})
		return
	case err != nil:
		h.fault(s, err)
		return
	case cfg == nil:
		h.page(s, pageError{status: http.StatusNotFound, code: "NoSuchWebsiteConfiguration",
			message: "The specified bucket does not have a website configuration", details: [][2]string{{"BucketName", bucket}}})
		return
	}
	s.cfg = cfg
	h.serve(s)
}

// serve answers a request to a configured website.
func (h *Handler) serve(s *site) {
	if all := s.cfg.RedirectAll; all != nil {
		h.redirectTo(s, redirectURL(s, *all, "", true), http.StatusMovedPermanently)
		return
	}
	key := strings.TrimPrefix(s.path, "/")
	if rule := matchRule(s.cfg.Rules, key, 0); rule != nil {
		h.redirectRule(s, rule, key)
		return
	}
	objKey := key
	if key == "" || strings.HasSuffix(key, "/") {
		objKey = key + s.cfg.IndexSuffix
	}
	ctx := s.r.Context()
	obj, err := h.src.Stat(ctx, s.bucket, objKey)
	if errors.Is(err, ErrNoSuchKey) && objKey == key && h.isFolder(ctx, s, key) {
		h.redirectTo(s, (&url.URL{Path: s.base + s.path + "/"}).EscapedPath(), http.StatusFound)
		return
	}
	switch {
	case errors.Is(err, ErrNoSuchKey) || errors.Is(err, ErrNoSuchBucket):
		h.fail(s, key, pageError{status: http.StatusNotFound, code: "NoSuchKey",
			message: "The specified key does not exist.", details: [][2]string{{"Key", objKey}}})
	case err != nil:
		h.fault(s, err)
	case obj.RedirectLocation != "":
		h.redirectTo(s, obj.RedirectLocation, http.StatusMovedPermanently)
	default:
		h.serveObject(s, objKey, obj, http.StatusOK)
	}
}

// isFolder reports whether key/<index suffix> exists, so that a request
// for key is redirected to key/.
func (h *Handler) isFolder(ctx context.Context, s *site, key string) bool {
	_, err := h.src.Stat(ctx, s.bucket, key+"/"+s.cfg.IndexSuffix)
	return err == nil
}

// fail answers an error: by a routing rule on its status, by the error
// document (4XX), or by S3's error page.
func (h *Handler) fail(s *site, key string, pe pageError) {
	if rule := matchRule(s.cfg.Rules, key, pe.status); rule != nil {
		h.redirectRule(s, rule, key)
		return
	}
	if s.cfg.ErrorKey == "" || pe.status < 400 || pe.status > 499 {
		h.page(s, pe)
		return
	}
	obj, err := h.src.Stat(s.r.Context(), s.bucket, s.cfg.ErrorKey)
	switch {
	case errors.Is(err, ErrNoSuchKey):
		pe.errorDoc = s.cfg.ErrorKey
		h.page(s, pe)
	case err != nil:
		h.fault(s, err)
	default:
		h.serveObject(s, s.cfg.ErrorKey, obj, pe.status)
	}
}

// fault answers a server fault, logging its cause.
func (h *Handler) fault(s *site, err error) {
	h.logger.ErrorContext(s.r.Context(), "website request failed", slog.String("bucket", s.bucket), slog.Any(logging.KeyErr, err))
	h.page(s, pageError{status: http.StatusInternalServerError, code: "InternalError",
		message: "We encountered an internal error. Please try again."})
}
