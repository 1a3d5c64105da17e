package app

import (
	"context"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/sigv4"
)

// credentialCacheTTL is how long a node trusts an access key it has looked
// up in storage. A key deleted or replaced through another node keeps
// verifying here for up to this long (as AWS IAM changes, too, take a while
// to propagate); a key created anywhere is usable everywhere at once, since
// failed lookups are not cached.
const credentialCacheTTL = 2 * time.Second

// credentialCache remembers successful credential lookups for
// credentialCacheTTL, so that a request does not pay a storage round trip
// for its signature check. It holds only keys that exist, so unknown access
// key ids cannot grow it.
type credentialCache struct {
	lookup sigv4.LookupFunc
	now    func() time.Time

	mu      sync.Mutex
	entries map[string]cachedCredential
}

// cachedCredential is one remembered lookup.
type cachedCredential struct {
	cred    sigv4.Credential
	expires time.Time
}

// newCredentialCache returns a cache in front of lookup.
func newCredentialCache(lookup sigv4.LookupFunc, now func() time.Time) *credentialCache {
	return &credentialCache{lookup: lookup, now: now, entries: map[string]cachedCredential{}}
}

// Lookup returns the credential of accessKeyID from the cache while it is
// fresh, else from the underlying lookup. It is a sigv4.LookupFunc.
func (c *credentialCache) Lookup(ctx context.Context, accessKeyID string) (sigv4.Credential, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[accessKeyID]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.cred, nil
	}
	cred, err := c.lookup(ctx, accessKeyID)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		delete(c.entries, accessKeyID)
		return sigv4.Credential{}, err
	}
	c.entries[accessKeyID] = cachedCredential{cred: cred, expires: now.Add(credentialCacheTTL)}
	return cred, nil
}
