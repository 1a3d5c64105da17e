package website

import (
	"sync"
	"sync/atomic"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// cacheKey names one representation of one object version: the ETag
// changes with every write, so a stale entry is never served; it ages
// out of the LRU instead.
type cacheKey struct {
	bucket, key, etag string
	// encoding is the content coding ("" for the stored bytes).
	encoding string
}

// maxCacheEntries bounds the entry count; the byte budget binds first for
// any realistic site.
const maxCacheEntries = 1 << 20

// cache is an LRU of object bytes bounded by their total size. It is safe
// for concurrent use.
type cache struct {
	mu       sync.Mutex
	lru      *simplelru.LRU[cacheKey, []byte]
	size     int64 // bytes held
	maxBytes int64
	hits     atomic.Int64
	misses   atomic.Int64
}

// newCache returns a cache of at most maxBytes; nil (caching nothing)
// when maxBytes is not positive.
func newCache(maxBytes int64) *cache {
	if maxBytes <= 0 {
		return nil
	}
	c := &cache{maxBytes: maxBytes}
	c.lru, _ = simplelru.NewLRU(maxCacheEntries, func(_ cacheKey, v []byte) { c.size -= int64(len(v)) }) // the size is valid
	return c
}

// get returns the bytes cached under k.
func (c *cache) get(k cacheKey) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	v, ok := c.lru.Get(k)
	c.mu.Unlock()
	if ok {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return v, ok
}

// add caches v under k, evicting the least recently used entries beyond
// the byte budget. The caller must not modify v afterwards.
func (c *cache) add(k cacheKey, v []byte) {
	if c == nil || int64(len(v)) > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lru.Contains(k) {
		return // same version, same bytes
	}
	c.lru.Add(k, v)
	c.size += int64(len(v))
	for c.size > c.maxBytes {
		c.lru.RemoveOldest()
	}
}

// CacheStats describe the object cache.
type CacheStats struct {
	// Hits and Misses count lookups since the Handler was made.
	Hits, Misses int64
	// Bytes and Entries are what the cache holds now.
	Bytes   int64
	Entries int
}

// CacheStats returns the object cache's counters.
func (h *Handler) CacheStats() CacheStats {
	c := h.cache
	if c == nil {
		return CacheStats{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Bytes: c.size, Entries: c.lru.Len()}
}
