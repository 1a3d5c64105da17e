// Package authtest gives tests a local OpenID issuer: an httptest server
// with a discovery document and a key set, and tokens signed by its key.
package authtest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Issuer is a local OpenID issuer with one RSA key.
type Issuer struct {
	// URL is the issuer (iss) and the server's address.
	URL string
	// KeyID is the current key's id.
	KeyID string
	key   *rsa.PrivateKey
	keys  atomic.Pointer[jose.JSONWebKeySet]
	// Fetches counts the key set downloads.
	Fetches atomic.Int64
}

// StartIssuer starts an issuer on a local httptest server.
func StartIssuer(t testing.TB) *Issuer {
	t.Helper()
	iss := &Issuer{}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	iss.URL = srv.URL
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": iss.URL, "jwks_uri": iss.URL + "/jwks"})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, _ *http.Request) {
		iss.Fetches.Add(1)
		_ = json.NewEncoder(w).Encode(iss.keys.Load())
	})
	iss.Rotate(t)
	return iss
}

// Rotate replaces the key with a new one under a new key id.
func (iss *Issuer) Rotate(t testing.TB) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	iss.key, iss.KeyID = key, "k"+time.Now().Format("150405.000000000")
	iss.keys.Store(&jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key.Public(), KeyID: iss.KeyID, Algorithm: "RS256", Use: "sig"}}})
}

// Sign signs claims and extra claims with the issuer's key.
func (iss *Issuer) Sign(t testing.TB, claims jwt.Claims, extra map[string]any) string {
	t.Helper()
	return SignWith(t, iss.key, iss.KeyID, claims, extra)
}

// SignWith signs claims (and extra claims) with key under key id kid, RS256.
func SignWith(t testing.TB, key *rsa.PrivateKey, kid string, claims jwt.Claims, extra ...map[string]any) string {
	t.Helper()
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	b := jwt.Signed(sig).Claims(claims)
	for _, e := range extra {
		if e != nil {
			b = b.Claims(e)
		}
	}
	tok, err := b.Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
