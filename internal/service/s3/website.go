package s3

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/awsproto/restxml"
	"github.com/fogbank/fogbank/internal/storage"
)

// Bucket website configuration: Put/Get/DeleteBucketWebsite store the
// document in the bucket's record, and the accessors at the end of this
// file give the website endpoint (package website, wired by the app) what
// it serves. The endpoint itself is not part of the S3 API.

// Errors of the website configuration operations.
var (
	errNoSuchWebsite = apierr.Def{Code: "NoSuchWebsiteConfiguration", Status: http.StatusNotFound}
)

// Messages of the website configuration operations (as S3 words them).
const (
	msgNoSuchWebsite   = "The specified bucket does not have a website configuration"
	msgRedirectAllWith = "RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules."
	msgNoIndexDocument = "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty"
	msgBadIndexSuffix  = "The IndexDocument Suffix is not well formed"
	msgBadProtocol     = "Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically."
	msgBothReplaceKeys = "You can only define ReplaceKeyPrefix or ReplaceKey but not both."
	msgEmptyCondition  = "Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present."
	maxRoutingRules    = 50
)

// WebsiteConfiguration is a bucket's website document.
type WebsiteConfiguration struct {
	XMLName               xml.Name               `xml:"WebsiteConfiguration" json:"-"`
	Xmlns                 string                 `xml:"xmlns,attr,omitempty" json:"-"`
	RedirectAllRequestsTo *RedirectAllRequestsTo `xml:"RedirectAllRequestsTo,omitempty" json:"redirectAll,omitempty"`
	IndexDocument         *IndexDocument         `xml:"IndexDocument,omitempty" json:"index,omitempty"`
	ErrorDocument         *ErrorDocument         `xml:"ErrorDocument,omitempty" json:"error,omitempty"`
	RoutingRules          *RoutingRules          `xml:"RoutingRules,omitempty" json:"rules,omitempty"`
}

// RedirectAllRequestsTo sends every request of a website to another host.
type RedirectAllRequestsTo struct {
	HostName string `xml:"HostName" json:"host"`
	Protocol string `xml:"Protocol,omitempty" json:"protocol,omitempty"`
}

// IndexDocument names the document served for a "folder" (a key ending in /).
type IndexDocument struct {
	Suffix string `xml:"Suffix" json:"suffix"`
}

// ErrorDocument names the object served on a 4XX error.
type ErrorDocument struct {
	Key string `xml:"Key" json:"key"`
}

// RoutingRules are a website's conditional redirects, tried in order.
type RoutingRules struct {
	Rules []RoutingRule `xml:"RoutingRule" json:"rules"`
}

// RoutingRule redirects the requests its Condition matches (all of them
// when there is no Condition).
type RoutingRule struct {
	Condition *RoutingCondition `xml:"Condition,omitempty" json:"condition,omitempty"`
	Redirect  *Redirect         `xml:"Redirect" json:"redirect"`
}

// RoutingCondition matches a key prefix, an error status, or both.
type RoutingCondition struct {
	HTTPErrorCodeReturnedEquals string  `xml:"HttpErrorCodeReturnedEquals,omitempty" json:"errorCode,omitempty"`
	KeyPrefixEquals             *string `xml:"KeyPrefixEquals" json:"prefix,omitempty"`
}

// Redirect says where a routing rule sends a request.
type Redirect struct {
	HostName             string  `xml:"HostName,omitempty" json:"host,omitempty"`
	HTTPRedirectCode     string  `xml:"HttpRedirectCode,omitempty" json:"code,omitempty"`
	Protocol             string  `xml:"Protocol,omitempty" json:"protocol,omitempty"`
	ReplaceKeyPrefixWith *string `xml:"ReplaceKeyPrefixWith" json:"replacePrefix,omitempty"`
	ReplaceKeyWith       *string `xml:"ReplaceKeyWith" json:"replaceKey,omitempty"`
}

// bucketWebsiteOp dispatches the ?website operations on a bucket.
func (s *Service) bucketWebsiteOp(rq *request) error {
	switch rq.r.Method {
	case http.MethodPut:
		return s.putBucketWebsite(rq)
	case http.MethodGet:
		return s.getBucketWebsite(rq)
	case http.MethodDelete:
		return s.deleteBucketWebsite(rq)
	}
	return errMethodNotAllowed.New(msgMethodNotAllow)
}

func (s *Service) putBucketWebsite(rq *request) error {
	var cfg WebsiteConfiguration
	if err := decodeXML(rq, &cfg); err != nil {
		return err
	}
	if err := validateWebsite(&cfg); err != nil {
		return err
	}
	err := s.updateBucket(rq.r.Context(), rq.bucket, func(b *bucketRecord) error {
		b.Website = &cfg
		return nil
	})
	if err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) getBucketWebsite(rq *request) error {
	b, err := s.viewBucket(rq.r.Context(), rq.bucket)
	if err != nil {
		return err
	}
	if b.Website == nil {
		return errNoSuchWebsite.New(msgNoSuchWebsite).With("BucketName", rq.bucket)
	}
	out := *b.Website
	out.Xmlns = restxml.Namespace
	return s.writeXML(rq, http.StatusOK, &out)
}

func (s *Service) deleteBucketWebsite(rq *request) error {
	err := s.updateBucket(rq.r.Context(), rq.bucket, func(b *bucketRecord) error {
		b.Website = nil
		return nil
	})
	if err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// validateWebsite checks a website document the way S3 does, in S3's order.
func validateWebsite(cfg *WebsiteConfiguration) error {
	if all := cfg.RedirectAllRequestsTo; all != nil {
		if cfg.IndexDocument != nil || cfg.ErrorDocument != nil || cfg.RoutingRules != nil {
			return errInvalidArgument.New(msgRedirectAllWith).With("ArgumentName", "RedirectAllRequestsTo").With("ArgumentValue", "not null")
		}
		if all.HostName == "" {
			return errMalformedXML.New(msgMalformedXML)
		}
		return validateProtocol(all.Protocol)
	}
	if cfg.IndexDocument == nil {
		return errInvalidArgument.New(msgNoIndexDocument).With("ArgumentName", "IndexDocument").With("ArgumentValue", "null")
	}
	if suffix := cfg.IndexDocument.Suffix; suffix == "" || strings.Contains(suffix, "/") {
		return errInvalidArgument.New(msgBadIndexSuffix).With("ArgumentName", "IndexDocument").With("ArgumentValue", suffix)
	}
	if cfg.ErrorDocument != nil && cfg.ErrorDocument.Key == "" {
		return errMalformedXML.New(msgMalformedXML)
	}
	if cfg.RoutingRules == nil {
		return nil
	}
	rules := cfg.RoutingRules.Rules
	if len(rules) == 0 {
		return errMalformedXML.New(msgMalformedXML)
	}
	if len(rules) > maxRoutingRules {
		return errInvalidRequest.Newf("%d routing rules provided, the number of routing rules in a website configuration is limited to %d.", len(rules), maxRoutingRules)
	}
	for i := range rules {
		if err := validateRoutingRule(&rules[i]); err != nil {
			return err
		}
	}
	return nil
}

// validateRoutingRule checks one routing rule.
func validateRoutingRule(rule *RoutingRule) error {
	red := rule.Redirect
	if red == nil {
		return errMalformedXML.New(msgMalformedXML)
	}
	if red.ReplaceKeyPrefixWith != nil && red.ReplaceKeyWith != nil {
		return errInvalidRequest.New(msgBothReplaceKeys)
	}
	if c := rule.Condition; c != nil {
		if c.KeyPrefixEquals == nil && c.HTTPErrorCodeReturnedEquals == "" {
			return errInvalidRequest.New(msgEmptyCondition)
		}
		if code := c.HTTPErrorCodeReturnedEquals; code != "" && !statusIn(code, 400, 599) {
			return errInvalidRequest.Newf("The provided HTTP error code (%s) is not valid. Valid codes are 4XX or 5XX.", code)
		}
	}
	if code := red.HTTPRedirectCode; code != "" && !statusIn(code, 301, 399) {
		return errInvalidRequest.Newf("The provided HTTP redirect code (%s) is not valid. Valid codes are 3XX except 300.", code)
	}
	return validateProtocol(red.Protocol)
}

func validateProtocol(p string) error {
	if p != "" && p != "http" && p != "https" {
		return errInvalidRequest.New(msgBadProtocol)
	}
	return nil
}

// statusIn reports whether code is a decimal number in [lo, hi].
func statusIn(code string, lo, hi int) bool {
	n, err := strconv.Atoi(code)
	return err == nil && n >= lo && n <= hi
}

// Errors of the website accessors.
var (
	// ErrWebsiteNoBucket: the bucket does not exist.
	ErrWebsiteNoBucket = errors.New("s3: no such bucket")
	// ErrWebsiteNoKey: the object does not exist (or its current version
	// is a delete marker).
	ErrWebsiteNoKey = errors.New("s3: no such key")
)

// HeaderWebsiteRedirect is the object header that makes the website
// endpoint redirect requests for the object.
const HeaderWebsiteRedirect = "X-Amz-Website-Redirect-Location"

// WebsiteObject is what the website endpoint serves of an object's
// current version.
type WebsiteObject struct {
	Size         int64
	ETag         string // quoted
	LastModified time.Time
	// Headers are the stored representation headers (Content-Type,
	// Cache-Control, Content-Encoding, ...; X-Amz-Website-Redirect-Location
	// when the object has one) by canonical name.
	Headers map[string]string
}

// Website returns the bucket's website configuration, nil when it has
// none; ErrWebsiteNoBucket when there is no such bucket.
func (s *Service) Website(ctx context.Context, bucket string) (*WebsiteConfiguration, error) {
	b, err := s.viewBucket(ctx, bucket)
	if err != nil {
		return nil, websiteError(err)
	}
	return b.Website, nil
}

// StatObject returns the metadata of the current version of bucket/key;
// ErrWebsiteNoBucket or ErrWebsiteNoKey when there is none.
// It reads the object's record alone, and the bucket's only when the
// object is missing.
func (s *Service) StatObject(ctx context.Context, bucket, key string) (*WebsiteObject, error) {
	var rec objectRecord
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		found, err := getJSON(tx, objectKey(bucket, key), &rec)
		if err != nil || found {
			return err
		}
		if _, err := getBucket(tx, bucket); err != nil {
			return err
		}
		return ErrWebsiteNoKey
	})
	if err == nil && rec.DeleteMarker {
		err = ErrWebsiteNoKey
	}
	if err != nil {
		return nil, websiteError(err)
	}
	return websiteObject(&rec), nil
}

// OpenObject returns the current version of bucket/key and a reader of
// its bytes from offset start to the end; the caller closes the reader.
func (s *Service) OpenObject(ctx context.Context, bucket, key string, start int64) (*WebsiteObject, io.ReadCloser, error) {
	rec, body, err := s.openVersion(ctx, bucket, key, "", func(rec *objectRecord) (int64, int64, error) {
		from := min(max(start, 0), rec.Size)
		return from, rec.Size - from, nil
	})
	if err != nil {
		return nil, nil, websiteError(err)
	}
	return websiteObject(rec), body, nil
}

func websiteObject(rec *objectRecord) *WebsiteObject {
	return &WebsiteObject{Size: rec.Size, ETag: rec.ETag, LastModified: rec.LastModified, Headers: rec.Headers}
}

// websiteError turns the S3 errors of a missing bucket or key into the
// accessors' sentinels.
func websiteError(err error) error {
	switch apiCode(err) {
	case errNoSuchBucket.Code:
		return ErrWebsiteNoBucket
	case errNoSuchKey.Code, errMethodNotAllowed.Code:
		return ErrWebsiteNoKey
	case "":
		return err
	}
	return fmt.Errorf("s3: website read: %w", err)
}
