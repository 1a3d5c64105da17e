package authorizer

import (
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// DefaultLeeway is the clock skew allowed on exp and nbf.
const DefaultLeeway = 5 * time.Second

// signatureAlgorithms are the algorithms a token may be signed with: the
// asymmetric ones (an issuer's public keys verify them); "none" and the
// HMAC algorithms are refused.
var signatureAlgorithms = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.EdDSA,
}

// KeySource gives the signing keys of an issuer. Implementations must be
// safe for concurrent use; the keys they return are not modified.
type KeySource interface {
	// Keys returns the issuer's public keys; refresh asks for a fresh copy
	// because a token named a key id the cached set lacks.
	Keys(ctx context.Context, issuer string, refresh bool) ([]Key, error)
}

// Key is one public signing key of an issuer.
type Key struct {
	// ID is the key id (kid) tokens name.
	ID string
	// Public is an *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey.
	Public crypto.PublicKey
}

// Error is an authorization failure: a 401 (Unauthorized) or, for a token
// lacking the route's scopes, a 403 (Forbidden).
type Error struct {
	// Forbidden is true for 403, false for 401.
	Forbidden bool
	// Description is the www-authenticate error_description.
	Description string
	// Scopes are the route's scopes, reported in www-authenticate.
	Scopes []string
}

func (e *Error) Error() string { return "authorizer: " + e.Description }

// WWWAuthenticate is the header AWS's JWT authorizers send with the error.
func (e *Error) WWWAuthenticate() string {
	code := "invalid_token"
	if e.Forbidden {
		code = "insufficient_scope"
	}
	return fmt.Sprintf(`Bearer scope=%q error=%q error_description=%q`, strings.Join(e.Scopes, " "), code, e.Description)
}

func unauthorized(desc string) *Error { return &Error{Description: desc} }

// JWTConfig is what a JWT authorizer checks.
type JWTConfig struct {
	// Issuer must equal the token's iss.
	Issuer string
	// Audience must contain the token's aud (or client_id), unless
	// AnyAudience: Cognito user pool authorizers accept the tokens of
	// every app client of the pool.
	Audience    []string
	AnyAudience bool
	// Scopes, when any, must meet the token's scope or scp claim.
	Scopes []string
}

// Token is a verified token.
type Token struct {
	// Claims are the token's claims as decoded JSON.
	Claims map[string]any
	// Scopes are the token's scopes (scope or scp claim).
	Scopes []string
}

// Verifier verifies JWTs against an issuer's keys. It is safe for
// concurrent use.
type Verifier struct {
	// Keys gives the issuers' keys. Required.
	Keys KeySource
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Leeway is the skew allowed on exp and nbf; DefaultLeeway when zero.
	Leeway time.Duration
}

// Verify checks a raw token (without "Bearer ") against cfg. An *Error is
// an authorization failure; any other error is the key source failing.
func (v *Verifier) Verify(ctx context.Context, raw string, cfg JWTConfig) (*Token, error) {
	tok, err := jwt.ParseSigned(raw, signatureAlgorithms)
	if err != nil {
		return nil, parseError(raw, err)
	}
	key, err := v.key(ctx, cfg.Issuer, tok.Headers[0].KeyID)
	if err != nil {
		return nil, err
	}
	var std jwt.Claims
	var all map[string]any
	if err := tok.Claims(key, &std, &all); err != nil {
		return nil, unauthorized("signature is invalid")
	}
	if err := v.validate(std, all, cfg); err != nil {
		return nil, err
	}
	out := &Token{Claims: all, Scopes: scopesOf(all)}
	if len(cfg.Scopes) > 0 && !slices.ContainsFunc(cfg.Scopes, func(s string) bool { return slices.Contains(out.Scopes, s) }) {
		return nil, &Error{Forbidden: true, Description: "the token does not have the required scopes", Scopes: cfg.Scopes}
	}
	return out, nil
}

// parseError explains a token that did not parse.
func parseError(raw string, err error) *Error {
	if hdr, _, ok := strings.Cut(raw, "."); ok {
		var h struct {
			Alg string `json:"alg"`
		}
		if b, e := base64.RawURLEncoding.DecodeString(hdr); e == nil && json.Unmarshal(b, &h) == nil && h.Alg != "" &&
			!slices.Contains(signatureAlgorithms, jose.SignatureAlgorithm(h.Alg)) {
			return unauthorized("signing method " + h.Alg + " is invalid")
		}
	}
	_ = err // the library's text names Go types; AWS gives a plain description
	return unauthorized("invalid token")
}

// key finds the verification key of kid, refreshing the issuer's set once
// when kid is unknown.
func (v *Verifier) key(ctx context.Context, issuer, kid string) (any, error) {
	for _, refresh := range []bool{false, true} {
		keys, err := v.Keys.Keys(ctx, issuer, refresh)
		if err != nil {
			return nil, fmt.Errorf("authorizer: keys of %s: %w", issuer, err)
		}
		for _, k := range keys {
			if k.ID == kid {
				return k.Public, nil
			}
		}
		if kid == "" && len(keys) == 1 {
			return keys[0].Public, nil
		}
	}
	return nil, unauthorized("signing key " + strconv.Quote(kid) + " not found in the issuer's key set")
}

// validate checks the registered claims.
func (v *Verifier) validate(std jwt.Claims, all map[string]any, cfg JWTConfig) error {
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	leeway := v.Leeway
	if leeway <= 0 {
		leeway = DefaultLeeway
	}
	err := std.ValidateWithLeeway(jwt.Expected{Issuer: cfg.Issuer, Time: now}, leeway)
	switch {
	case errors.Is(err, jwt.ErrInvalidIssuer):
		return unauthorized("the token does not have a valid issuer")
	case errors.Is(err, jwt.ErrExpired):
		return unauthorized("the token has expired")
	case errors.Is(err, jwt.ErrNotValidYet):
		return unauthorized("the token is not valid yet")
	case errors.Is(err, jwt.ErrIssuedInTheFuture):
		return unauthorized("the token was issued in the future")
	case err != nil:
		return unauthorized("invalid token")
	}
	if std.Expiry == nil {
		return unauthorized("the token has no expiry")
	}
	if !cfg.AnyAudience && !validAudience(std.Audience, all["client_id"], cfg.Audience) {
		return unauthorized("the token does not have a valid audience")
	}
	return nil
}

// validAudience checks aud, or client_id when the token has no aud.
func validAudience(aud jwt.Audience, clientID any, allowed []string) bool {
	if len(aud) > 0 {
		return slices.ContainsFunc(allowed, aud.Contains)
	}
	id, ok := clientID.(string)
	return ok && slices.Contains(allowed, id)
}

// scopesOf returns the scope (space-separated) or scp (list or string)
// claim.
func scopesOf(claims map[string]any) []string {
	if v, ok := claims["scope"].(string); ok {
		return strings.Fields(v)
	}
	switch v := claims["scp"].(type) {
	case string:
		return strings.Fields(v)
	case []any:
		var out []string
		for _, s := range v {
			if str, ok := s.(string); ok {
				out = append(out, str)
			}
		}
		return out
	}
	return nil
}

// StringClaims renders claims as HTTP APIs put them in events: every value
// a string, numbers in decimal, lists as "[a b]", objects as JSON.
func StringClaims(claims map[string]any) map[string]string {
	out := make(map[string]string, len(claims))
	for k, v := range claims {
		out[k] = claimString(v)
	}
	return out
}

func claimString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = claimString(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case nil:
		return ""
	}
	b, _ := json.Marshal(v) // decoded JSON always encodes
	return string(b)
}
