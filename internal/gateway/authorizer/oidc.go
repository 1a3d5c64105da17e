package authorizer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Defaults of OIDCKeys.
const (
	// DefaultMinRefresh is how often an issuer's keys may be fetched again
	// for an unknown key id.
	DefaultMinRefresh = 10 * time.Second
	// DefaultKeysTTL is how long a fetched key set is used.
	DefaultKeysTTL = time.Hour
	// maxDocument bounds a discovery document or key set.
	maxDocument = 1 << 20
)

// OIDCKeys is a KeySource over HTTP: OpenID discovery, then the jwks_uri.
// It is safe for concurrent use.
type OIDCKeys struct {
	// Client fetches the documents; http.DefaultClient when nil.
	Client *http.Client
	// MinRefresh is DefaultMinRefresh when zero.
	MinRefresh time.Duration
	// TTL is DefaultKeysTTL when zero.
	TTL time.Duration

	mu      sync.Mutex
	issuers map[string]*issuerKeys
}

// issuerKeys is one issuer's cached key set, read without a lock; mu
// serializes its fetches.
type issuerKeys struct {
	mu      sync.Mutex
	current atomic.Pointer[fetchedKeys]
}

// fetchedKeys is a key set and when it was fetched.
type fetchedKeys struct {
	keys []Key
	at   time.Time
}

// usable reports whether a fetched set may be served without fetching.
func (o *OIDCKeys) usable(f *fetchedKeys, refresh bool) bool {
	if f == nil {
		return false
	}
	age := time.Since(f.at)
	return age < orDuration(o.TTL, DefaultKeysTTL) && (!refresh || age < orDuration(o.MinRefresh, DefaultMinRefresh))
}

// Keys implements KeySource.
func (o *OIDCKeys) Keys(ctx context.Context, issuer string, refresh bool) ([]Key, error) {
	ik := o.entry(issuer)
	if f := ik.current.Load(); o.usable(f, refresh) {
		return f.keys, nil
	}
	ik.mu.Lock()
	defer ik.mu.Unlock()
	last := ik.current.Load()
	if o.usable(last, refresh) {
		return last.keys, nil
	}
	keys, err := o.fetch(ctx, issuer)
	if err != nil {
		if last != nil {
			return last.keys, nil // keep serving the last good set
		}
		return nil, err
	}
	ik.current.Store(&fetchedKeys{keys: keys, at: time.Now()})
	return keys, nil
}

func (o *OIDCKeys) entry(issuer string) *issuerKeys {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.issuers == nil {
		o.issuers = make(map[string]*issuerKeys)
	}
	ik := o.issuers[issuer]
	if ik == nil {
		ik = &issuerKeys{}
		o.issuers[issuer] = ik
	}
	return ik
}

// fetch reads the discovery document and the key set it names, keeping
// its public signing keys.
func (o *OIDCKeys) fetch(ctx context.Context, issuer string) ([]Key, error) {
	var disc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := o.getJSON(ctx, strings.TrimSuffix(issuer, "/")+"/.well-known/openid-configuration", &disc); err != nil {
		return nil, err
	}
	if disc.JWKSURI == "" {
		return nil, errors.New("authorizer: discovery document has no jwks_uri")
	}
	var set jose.JSONWebKeySet
	if err := o.getJSON(ctx, disc.JWKSURI, &set); err != nil {
		return nil, err
	}
	keys := make([]Key, 0, len(set.Keys))
	for _, k := range set.Keys {
		if k.Use == "" || k.Use == "sig" {
			keys = append(keys, Key{ID: k.KeyID, Public: k.Public().Key})
		}
	}
	return keys, nil
}

func (o *OIDCKeys) getJSON(ctx context.Context, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("authorizer: %w", err)
	}
	client := o.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("authorizer: GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("authorizer: GET %s: status %d", url, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocument))
	if err != nil {
		return fmt.Errorf("authorizer: GET %s: %w", url, err)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("authorizer: decode %s: %w", url, err)
	}
	return nil
}

func orDuration(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
