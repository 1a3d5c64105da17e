package sigv4

import (
	"encoding/hex"
	"fmt"
	"testing"
)

// TestDeriveKey checks the signing key against the example in the AWS
// documentation (IAM, 20120215, us-east-1).
func TestDeriveKey(t *testing.T) {
	t.Parallel()
	key := deriveKey(keyID{secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", date: "20120215", region: "us-east-1", service: "iam"})
	if got, want := hex.EncodeToString(key[:]), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"; got != want {
		t.Errorf("deriveKey = %s, want %s", got, want)
	}
}

// TestKeyCacheBounded checks that the cache stays within its bound and
// still returns correct keys after evictions.
func TestKeyCacheBounded(t *testing.T) {
	t.Parallel()
	var c keyCache
	for i := range maxCachedKeys + 10 {
		id := keyID{secret: "s", date: "20240101", region: fmt.Sprint("r", i), service: "dynamodb"}
		if got, want := c.get(id), deriveKey(id); got != want {
			t.Fatalf("get(%v) = %x, want %x", id, got, want)
		}
	}
	if n := len(c.keys); n > maxCachedKeys {
		t.Errorf("cache holds %d keys, want at most %d", n, maxCachedKeys)
	}
}
