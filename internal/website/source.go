package website

import (
	"context"
	"errors"
	"io"
	"time"
)

// Errors a Source returns.
var (
	// ErrNoSuchBucket: the bucket does not exist.
	ErrNoSuchBucket = errors.New("website: no such bucket")
	// ErrNoSuchKey: the object does not exist.
	ErrNoSuchKey = errors.New("website: no such key")
)

// Source gives the website endpoint the buckets' website configurations
// and objects (the S3 service implements it, wired by the app).
// Implementations must be safe for concurrent use.
type Source interface {
	// Config returns the bucket's website configuration; nil and no error
	// when it has none, ErrNoSuchBucket when there is no such bucket.
	Config(ctx context.Context, bucket string) (*Config, error)
	// Stat returns the metadata of the current version of bucket/key;
	// ErrNoSuchBucket or ErrNoSuchKey when there is none. It is called on
	// every request and must be cheap.
	Stat(ctx context.Context, bucket, key string) (*Object, error)
	// Open returns the current version of bucket/key and a reader of its
	// bytes from offset start to the end, which the caller closes.
	Open(ctx context.Context, bucket, key string, start int64) (*Object, io.ReadCloser, error)
}

// Config is a bucket's website configuration.
type Config struct {
	// IndexSuffix is appended to requests for a "folder" (a path ending
	// in /), e.g. "index.html"; "" only when RedirectAll is set.
	IndexSuffix string
	// ErrorKey is the object served, with the original status, on a 4XX
	// error; "" for S3's own error page.
	ErrorKey string
	// RedirectAll, when set, redirects every request (the rest is unset).
	RedirectAll *Redirect
	// Rules are the routing rules, tried in order.
	Rules []Rule
}

// Rule is one routing rule: it redirects requests whose key starts with
// KeyPrefix (when HasKeyPrefix) and whose answer would have had status
// ErrorCode (when not 0); a rule with neither condition matches every
// request.
type Rule struct {
	HasKeyPrefix bool
	KeyPrefix    string
	ErrorCode    int
	Redirect     Redirect
}

// Redirect says where a request is sent.
type Redirect struct {
	// Protocol is "http" or "https"; "" keeps the request's.
	Protocol string
	// HostName replaces the request's host when not "".
	HostName string
	// ReplaceKeyPrefixWith replaces the rule's KeyPrefix in the key when
	// HasReplacePrefix; ReplaceKeyWith replaces the whole key when
	// HasReplaceKey.
	HasReplacePrefix     bool
	ReplaceKeyPrefixWith string
	HasReplaceKey        bool
	ReplaceKeyWith       string
	// Code is the redirect status; 301 when 0.
	Code int
}

// Object is the metadata of an object version.
type Object struct {
	// Size is the length of the object's bytes.
	Size int64
	// ETag is the object's quoted entity tag.
	ETag string
	// LastModified is when the object was written.
	LastModified time.Time
	// Headers are the stored representation headers (Content-Type,
	// Cache-Control, Content-Encoding, Content-Disposition, ...) by
	// canonical name.
	Headers map[string]string
	// RedirectLocation is the object's x-amz-website-redirect-location:
	// requests for it are redirected there (301).
	RedirectLocation string
}
