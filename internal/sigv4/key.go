package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"sync"
)

// maxCachedKeys bounds the signing-key cache. A key is valid for one day,
// region and service, so a handful of active credentials fill only a few
// entries; the bound protects against a flood of distinct scopes.
const maxCachedKeys = 1024

// signingKey is a derived SigV4 signing key.
type signingKey [sha256.Size]byte

// keyID identifies a signing key.
type keyID struct{ secret, date, region, service string }

// keyCache memoises derived signing keys. The zero value is ready to use.
type keyCache struct {
	mu   sync.Mutex
	keys map[keyID]signingKey
}

// get returns the signing key for id, deriving and caching it on a miss.
// When the cache is full an arbitrary entry is evicted.
func (c *keyCache) get(id keyID) signingKey {
	c.mu.Lock()
	key, ok := c.keys[id]
	c.mu.Unlock()
	if ok {
		return key
	}
	key = deriveKey(id)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keys == nil {
		c.keys = make(map[keyID]signingKey)
	}
	if len(c.keys) >= maxCachedKeys {
		for old := range c.keys {
			delete(c.keys, old)
			break
		}
	}
	c.keys[id] = key
	return key
}

// deriveKey computes HMAC("AWS4"+secret, date) -> region -> service ->
// "aws4_request".
func deriveKey(id keyID) signingKey {
	key := hmacSum([]byte("AWS4"+id.secret), id.date)
	key = hmacSum(key[:], id.region)
	key = hmacSum(key[:], id.service)
	return hmacSum(key[:], terminator)
}

// hmacSum returns HMAC-SHA256(key, data).
func hmacSum(key []byte, data string) signingKey {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(data))
	var sum signingKey
	mac.Sum(sum[:0])
	return sum
}
