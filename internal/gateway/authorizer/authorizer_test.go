package authorizer_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/gateway/authorizer"
	"github.com/fogbank/fogbank/internal/gateway/authorizer/authtest"
)

func TestVerify(t *testing.T) {
	t.Parallel()
	iss := authtest.StartIssuer(t)
	v := &authorizer.Verifier{Keys: &authorizer.OIDCKeys{}}
	cfg := authorizer.JWTConfig{Issuer: iss.URL, Audience: []string{"app"}}
	now := time.Now()
	valid := jwt.Claims{Issuer: iss.URL, Audience: jwt.Audience{"app"}, Subject: "u1", Expiry: jwt.NewNumericDate(now.Add(time.Hour))}
	with := func(f func(c *jwt.Claims)) jwt.Claims { c := valid; f(&c); return c }
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	tests := []struct {
		name  string
		token string
		cfg   authorizer.JWTConfig
		want  string // the error description, "" for success
	}{
		{"accepted", iss.Sign(t, valid, nil), cfg, ""},
		{"client_id", iss.Sign(t, with(func(c *jwt.Claims) { c.Audience = nil }), map[string]any{"client_id": "app"}), cfg, ""},
		{"expired", iss.Sign(t, with(func(c *jwt.Claims) { c.Expiry = jwt.NewNumericDate(now.Add(-time.Minute)) }), nil), cfg, "the token has expired"},
		{"not yet", iss.Sign(t, with(func(c *jwt.Claims) { c.NotBefore = jwt.NewNumericDate(now.Add(time.Minute)) }), nil), cfg, "the token is not valid yet"},
		{"wrong audience", iss.Sign(t, with(func(c *jwt.Claims) { c.Audience = jwt.Audience{"other"} }), nil), cfg, "the token does not have a valid audience"},
		{"wrong issuer", iss.Sign(t, with(func(c *jwt.Claims) { c.Issuer = "https://evil.example" }), nil), cfg, "the token does not have a valid issuer"},
		{"alg none", unsigned(t, valid), cfg, "signing method none is invalid"},
		{"bad signature", authtest.SignWith(t, other, iss.KeyID, valid), cfg, "signature is invalid"},
		{"garbage", "not-a-token", cfg, "invalid token"},
		{"scopes", iss.Sign(t, valid, map[string]any{"scope": "read write"}), withScopes(cfg, "write"), ""},
		{"missing scope", iss.Sign(t, valid, map[string]any{"scope": "read"}), withScopes(cfg, "admin"), "the token does not have the required scopes"},
	}
	for _, tc := range tests {
		_, err := v.Verify(t.Context(), tc.token, tc.cfg)
		got := ""
		if err != nil {
			var ae *authorizer.Error
			if !errors.As(err, &ae) {
				t.Fatalf("%s: error %v is not an *authorizer.Error", tc.name, err)
			}
			got = ae.Description
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	if n := iss.Fetches.Load(); n != 1 {
		t.Errorf("key set fetched %d times, want 1 (cached)", n)
	}
}

func withScopes(c authorizer.JWTConfig, s ...string) authorizer.JWTConfig { c.Scopes = s; return c }

func TestVerifyRefreshesOnUnknownKid(t *testing.T) {
	t.Parallel()
	iss := authtest.StartIssuer(t)
	v := &authorizer.Verifier{Keys: &authorizer.OIDCKeys{MinRefresh: time.Nanosecond}}
	cfg := authorizer.JWTConfig{Issuer: iss.URL, Audience: []string{"app"}}
	claims := jwt.Claims{Issuer: iss.URL, Audience: jwt.Audience{"app"}, Expiry: jwt.NewNumericDate(time.Now().Add(time.Hour))}
	if _, err := v.Verify(t.Context(), iss.Sign(t, claims, nil), cfg); err != nil {
		t.Fatal(err)
	}
	iss.Rotate(t)
	tok, err := v.Verify(t.Context(), iss.Sign(t, claims, map[string]any{"groups": []string{"a", "b"}, "n": 3}), cfg)
	if err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	got := authorizer.StringClaims(tok.Claims)
	if diff := cmp.Diff(map[string]string{"groups": "[a b]", "n": "3"}, map[string]string{"groups": got["groups"], "n": got["n"]}); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
}

func TestPolicyAndSimpleResponses(t *testing.T) {
	t.Parallel()
	const arn = "arn:aws:execute-api:us-east-1:000000000000:abc/prod/GET/items/1"
	tests := []struct {
		name, payload string
		simple, want  bool
	}{
		{"simple allow", `{"isAuthorized":true}`, true, true},
		{"simple deny", `{"isAuthorized":false}`, true, false},
		{"allow exact", policy("Allow", `"`+arn+`"`), false, true},
		{"allow wildcard", policy("Allow", `["arn:aws:execute-api:us-east-1:000000000000:abc/*/GET/*"]`), false, true},
		{"allow other", policy("Allow", `"arn:aws:execute-api:us-east-1:000000000000:abc/prod/POST/*"`), false, false},
		{"deny wins", `{"principalId":"u","policyDocument":{"Version":"2012-10-17","Statement":[` +
			`{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"*"},` +
			`{"Action":"execute-api:*","Effect":"Deny","Resource":"arn:aws:execute-api:*:*:abc/prod/GET/items/?"}]}}`, false, false},
	}
	for _, tc := range tests {
		res, err := authorizer.ParseResponse([]byte(tc.payload), tc.simple)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := res.Allows(arn); got != tc.want {
			t.Errorf("%s: Allows = %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, bad := range []string{`[]`, `{"context":{}}`, `{"policyDocument":{"Statement":[{"Resource":3}]}}`} {
		if _, err := authorizer.ParseResponse([]byte(bad), false); err == nil {
			t.Errorf("ParseResponse(%s) succeeded", bad)
		}
	}
}

func policy(effect, resource string) string {
	return `{"principalId":"u","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"` +
		effect + `","Resource":` + resource + `}]},"context":{"k":"v"}}`
}

// unsigned builds an alg "none" token.
func unsigned(t *testing.T, claims jwt.Claims) string {
	t.Helper()
	body, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return strings.Join([]string{enc([]byte(`{"alg":"none","typ":"JWT"}`)), enc(body), ""}, ".")
}

func BenchmarkVerify(b *testing.B) {
	iss := authtest.StartIssuer(b)
	v := &authorizer.Verifier{Keys: &authorizer.OIDCKeys{}}
	cfg := authorizer.JWTConfig{Issuer: iss.URL, Audience: []string{"app"}}
	tok := iss.Sign(b, jwt.Claims{Issuer: iss.URL, Audience: jwt.Audience{"app"}, Expiry: jwt.NewNumericDate(time.Now().Add(time.Hour))}, nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(b.Context(), tok, cfg); err != nil {
			b.Fatal(err)
		}
	}
}
