package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/fogbank/fogbank/internal/server"
	"github.com/fogbank/fogbank/internal/service/s3"
	"github.com/fogbank/fogbank/internal/website"
)

// Where bucket websites answer: http://<bucket>.s3-website.<WebsiteDomain>:<port>/
// (also s3-website-<region> and s3-website.<region>) and the path-style
// fallback http://<host>:<port><WebsitePathPrefix><bucket>/.
const (
	WebsiteDomain     = "localhost"
	WebsitePathPrefix = "/_website/"
)

// newWebsite builds the bucket website endpoint over the S3 service.
func (a *App) newWebsite(svc *s3.Service) error {
	h, err := website.New(website.Options{Source: websiteSource{svc}, Logger: a.component("website")})
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	a.website = h
	return nil
}

// websiteRoute is the server registration of the website endpoint.
func (a *App) websiteRoute() *server.Website {
	return &server.Website{Domain: WebsiteDomain, PathPrefix: WebsitePathPrefix, Handler: a.website}
}

// websiteSource serves the website endpoint the configurations and objects
// the S3 service stores.
type websiteSource struct{ svc *s3.Service }

// Config implements website.Source.
func (w websiteSource) Config(ctx context.Context, bucket string) (*website.Config, error) {
	cfg, err := w.svc.Website(ctx, bucket)
	if err != nil || cfg == nil {
		return nil, websiteErr(err)
	}
	out := &website.Config{}
	if cfg.IndexDocument != nil {
		out.IndexSuffix = cfg.IndexDocument.Suffix
	}
	if cfg.ErrorDocument != nil {
		out.ErrorKey = cfg.ErrorDocument.Key
	}
	if all := cfg.RedirectAllRequestsTo; all != nil {
		out.RedirectAll = &website.Redirect{HostName: all.HostName, Protocol: all.Protocol}
	}
	if cfg.RoutingRules != nil {
		for _, rule := range cfg.RoutingRules.Rules {
			out.Rules = append(out.Rules, websiteRule(rule))
		}
	}
	return out, nil
}

// websiteRule converts a stored routing rule (validated when put).
func websiteRule(rule s3.RoutingRule) website.Rule {
	var out website.Rule
	if c := rule.Condition; c != nil {
		if c.KeyPrefixEquals != nil {
			out.HasKeyPrefix, out.KeyPrefix = true, *c.KeyPrefixEquals
		}
		out.ErrorCode, _ = strconv.Atoi(c.HTTPErrorCodeReturnedEquals)
	}
	if rd := rule.Redirect; rd != nil {
		out.Redirect = website.Redirect{Protocol: rd.Protocol, HostName: rd.HostName}
		out.Redirect.Code, _ = strconv.Atoi(rd.HTTPRedirectCode)
		if rd.ReplaceKeyPrefixWith != nil {
			out.Redirect.HasReplacePrefix, out.Redirect.ReplaceKeyPrefixWith = true, *rd.ReplaceKeyPrefixWith
		}
		if rd.ReplaceKeyWith != nil {
			out.Redirect.HasReplaceKey, out.Redirect.ReplaceKeyWith = true, *rd.ReplaceKeyWith
		}
	}
	return out
}

// Stat implements website.Source.
func (w websiteSource) Stat(ctx context.Context, bucket, key string) (*website.Object, error) {
	obj, err := w.svc.StatObject(ctx, bucket, key)
	if err != nil {
		return nil, websiteErr(err)
	}
	return websiteObject(obj), nil
}

// Open implements website.Source.
func (w websiteSource) Open(ctx context.Context, bucket, key string, start int64) (*website.Object, io.ReadCloser, error) {
	obj, body, err := w.svc.OpenObject(ctx, bucket, key, start)
	if err != nil {
		return nil, nil, websiteErr(err)
	}
	return websiteObject(obj), body, nil
}

func websiteObject(obj *s3.WebsiteObject) *website.Object {
	return &website.Object{Size: obj.Size, ETag: obj.ETag, LastModified: obj.LastModified,
		Headers: obj.Headers, RedirectLocation: obj.Headers[s3.HeaderWebsiteRedirect]}
}

// websiteErr maps the S3 service's sentinels onto the website's.
func websiteErr(err error) error {
	switch {
	case errors.Is(err, s3.ErrWebsiteNoBucket):
		return website.ErrNoSuchBucket
	case errors.Is(err, s3.ErrWebsiteNoKey):
		return website.ErrNoSuchKey
	}
	return err
}

var _ website.Source = websiteSource{}
