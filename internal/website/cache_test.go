package website

import (
	"bytes"
	"testing"
)

func TestCacheEvictsLeastRecentlyUsedBeyondBudget(t *testing.T) {
	c := newCache(10)
	a, b, d := cacheKey{key: "a"}, cacheKey{key: "b"}, cacheKey{key: "d"}
	c.add(a, []byte("aaaa"))
	c.add(b, []byte("bbbb"))
	if _, ok := c.get(a); !ok { // a is now the most recently used
		t.Fatal("a missing")
	}
	c.add(d, []byte("dddd")) // 12 bytes > 10: evicts b
	if _, ok := c.get(b); ok {
		t.Error("b still cached; want it evicted as least recently used")
	}
	for _, k := range []cacheKey{a, d} {
		if v, ok := c.get(k); !ok || !bytes.Equal(v, bytes.Repeat([]byte(k.key), 4)) {
			t.Errorf("get(%s) = %q, %v", k.key, v, ok)
		}
	}
	c.add(cacheKey{key: "huge"}, make([]byte, 11)) // over the whole budget: not cached
	if c.size != 8 || c.lru.Len() != 2 {
		t.Errorf("size %d, entries %d; want 8, 2", c.size, c.lru.Len())
	}
}

func TestNegotiate(t *testing.T) {
	for accept, want := range map[string]string{
		"":                      "",
		"identity":              "",
		"gzip":                  "gzip",
		"gzip, deflate, br":     "br",
		"br;q=0, gzip":          "gzip",
		"BR;q=0.5":              "br",
		"*":                     "br",
		"*;q=0, gzip;q=0.1":     "gzip",
		"gzip;q=0, br;q=0, *":   "",
		"deflate, identity;q=1": "",
	} {
		if got := negotiate(accept); got != want {
			t.Errorf("negotiate(%q) = %q, want %q", accept, got, want)
		}
	}
}
