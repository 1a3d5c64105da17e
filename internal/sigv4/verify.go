package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Credential is what verification needs to know about an access key.
type Credential struct {
	// AccessKeyID is the key id, as in the credential scope.
	AccessKeyID string
	// SecretAccessKey signs requests.
	SecretAccessKey string
	// SessionToken, when non-empty, must equal the request's
	// X-Amz-Security-Token; when empty, the request must not carry one.
	SessionToken string
	// Expires, when set, is when a temporary credential stops being
	// valid: from then on requests fail with [ErrExpiredToken].
	Expires time.Time
	// ARN names the principal the key belongs to. Verification ignores
	// it; it comes back in [Result].Credential.
	ARN string
}

// LookupFunc finds the credential for an access key id. It returns an
// error matching [ErrUnknownAccessKey] (errors.Is) when there is none; any
// other error is treated as a server fault and returned wrapped by Verify.
type LookupFunc func(ctx context.Context, accessKeyID string) (Credential, error)

// DefaultMaxSkew is the clock skew AWS allows between a request's time and
// the server's.
const DefaultMaxSkew = 15 * time.Minute

// amzDateLayout is the X-Amz-Date format, ISO 8601 basic.
const amzDateLayout = "20060102T150405Z"

// Verifier verifies SigV4-signed requests. Its fields must be set before
// first use, and a Verifier must not be copied after first use because it
// caches derived signing keys. It is safe for concurrent use.
type Verifier struct {
	// Lookup finds credentials by access key id. Required.
	Lookup LookupFunc
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// MaxSkew is the allowed difference between the request time and Now;
	// DefaultMaxSkew (15 minutes) when zero. Error messages state it in
	// whole minutes, as AWS does ("15 min.").
	MaxSkew time.Duration

	keys keyCache
}

// Options describe what the verifying service expects of a request.
type Options struct {
	// Service is the expected signing name, e.g. "dynamodb"; the credential
	// scope must match it when set.
	Service string
	// Region is the expected region; the credential scope must match it
	// when set.
	Region string
	// SingleEncode selects S3's canonical URI: the escaped path as sent,
	// without dot-segment normalisation. Other services (false) remove
	// empty and dot segments and URI-encode the escaped path again.
	SingleEncode bool
}

// Result describes a verified request.
type Result struct {
	// AccessKeyID is the access key that signed the request.
	AccessKeyID string
	// Region and Service are the credential scope's.
	Region, Service string
	// Time is the request's signing time.
	Time time.Time
	// Credential is what Lookup returned for AccessKeyID.
	Credential Credential
	// SignedHeaders lists the signed header names as sent.
	SignedHeaders []string
}

// HashPayload returns the lowercase hex SHA-256 of body, the payload hash of
// a non-S3 request.
func HashPayload(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// Verify checks the SigV4 signature of r: the Authorization header, or,
// when there is none, presigned query parameters (X-Amz-Signature and
// friends). payloadHash is the lowercase hex SHA-256 of the body (see
// [HashPayload]); for S3 it is the X-Amz-Content-Sha256 header value, or
// "UNSIGNED-PAYLOAD" for a presigned request without one. The canonical URI
// is built from r.URL.EscapedPath(), the path as sent.
//
// Checks run in the order DynamoDB applies them (so the first failure is
// the one AWS would report): form of the authorization and date, request
// time, host among the signed headers, credential scope, access key,
// signature, session token, expiry of a temporary credential. A failure is an [*Error]; an error from Lookup other than
// [ErrUnknownAccessKey] is returned wrapped.
func (v *Verifier) Verify(ctx context.Context, r *http.Request, payloadHash string, opts Options) (*Result, error) {
	req, err := parseSignedRequest(r)
	if err != nil {
		return nil, err
	}
	if err := req.checkTime(v.now(), v.maxSkew()); err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(req.auth.SignedHeaders, isHost) {
		return nil, newError(ErrSignatureMismatch, msgHostNotSigned)
	}
	if err := req.checkScope(opts); err != nil {
		return nil, err
	}
	cred, err := v.lookup(ctx, req.auth.AccessKeyID)
	if err != nil {
		return nil, err
	}
	if err := v.checkSignature(r, req, cred.SecretAccessKey, payloadHash, opts.SingleEncode); err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(req.token), []byte(cred.SessionToken)) != 1 {
		return nil, newError(ErrInvalidToken, msgInvalidToken)
	}
	if !cred.Expires.IsZero() && !v.now().Before(cred.Expires) {
		return nil, newError(ErrExpiredToken, msgExpiredToken)
	}
	return &Result{
		AccessKeyID:   req.auth.AccessKeyID,
		Region:        req.auth.Region,
		Service:       req.auth.Service,
		Time:          req.time,
		Credential:    cred,
		SignedHeaders: req.auth.SignedHeaders,
	}, nil
}

// signedRequest is the signing information a request carries.
type signedRequest struct {
	auth *Authorization
	// amzDate is the request time as it enters the string to sign.
	amzDate string
	time    time.Time
	// expires is X-Amz-Expires of a presigned request.
	expires   time.Duration
	presigned bool
	// token is the session token the request carries, if any.
	token string
}

// parseSignedRequest reads the Authorization header of r or, without one,
// its presigned query parameters.
func parseSignedRequest(r *http.Request) (*signedRequest, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		if q := r.URL.Query(); isPresigned(q) {
			return parsePresigned(q)
		}
		return nil, newError(ErrMissingAuth, msgMissingAuth)
	}
	if !strings.HasPrefix(strings.TrimSpace(h), "AWS4-") {
		return nil, newError(ErrMissingAuth, msgMissingAuth)
	}
	date, fromAmzDate := r.Header.Get("X-Amz-Date"), true
	if date == "" {
		date, fromAmzDate = r.Header.Get("Date"), false
	}
	auth, err := parseAuthorization(h, date != "")
	if err != nil {
		return nil, err
	}
	t, amzDate, ok := parseHeaderDate(date, fromAmzDate)
	if !ok {
		return nil, newError(ErrIncompleteSignature,
			"Date must be in ISO-8601 'basic format'. Got '"+date+"'. See http://en.wikipedia.org/wiki/ISO_8601")
	}
	return &signedRequest{auth: auth, amzDate: amzDate, time: t, token: r.Header.Get("X-Amz-Security-Token")}, nil
}

// parseHeaderDate parses an X-Amz-Date (fromAmzDate) or an HTTP Date header
// value and returns it with its X-Amz-Date form.
func parseHeaderDate(date string, fromAmzDate bool) (time.Time, string, bool) {
	if fromAmzDate {
		t, ok := parseAmzDate(date)
		return t, date, ok
	}
	t, err := http.ParseTime(date)
	if err != nil {
		return time.Time{}, "", false
	}
	return t, t.UTC().Format(amzDateLayout), true
}

// parseAmzDate parses an X-Amz-Date value.
func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != len(amzDateLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(amzDateLayout, s)
	return t, err == nil
}

// checkTime reports an error when the request time is more than skew away
// from now, or a presigned request has expired.
func (req *signedRequest) checkTime(now time.Time, skew time.Duration) error {
	minutes := fmt.Sprintf("%d min.", int(skew/time.Minute))
	if req.time.After(now.Add(skew)) {
		return newError(ErrRequestExpired, fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s)",
			req.amzDate, formatAmzDate(now.Add(skew)), formatAmzDate(now), minutes))
	}
	if req.presigned {
		if now.After(req.time.Add(req.expires)) {
			return newError(ErrRequestExpired, "Request has expired")
		}
		return nil
	}
	if req.time.Before(now.Add(-skew)) {
		return newError(ErrRequestExpired, fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s)",
			req.amzDate, formatAmzDate(now.Add(-skew)), formatAmzDate(now), minutes))
	}
	return nil
}

// formatAmzDate formats t as an X-Amz-Date.
func formatAmzDate(t time.Time) string { return t.UTC().Format(amzDateLayout) }

// isHost reports whether signed header name is the host header.
func isHost(name string) bool { return strings.EqualFold(name, "host") }

// checkScope reports every way the credential scope differs from what the
// service expects, in one message as AWS does.
func (req *signedRequest) checkScope(opts Options) error {
	a := req.auth
	var msg string
	if opts.Region != "" && a.Region != opts.Region {
		msg += "Credential should be scoped to a valid region. "
	}
	if opts.Service != "" && a.Service != opts.Service {
		msg += "Credential should be scoped to correct service: '" + opts.Service + "'. "
	}
	if a.Terminator != terminator {
		msg += "Credential should be scoped with a valid terminator: '" + terminator + "', not '" + a.Terminator + "'. "
	}
	if day := req.amzDate[:8]; a.Date != day {
		msg += "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
			a.Date + "' != '" + day + "', from '" + req.amzDate + "'."
	}
	if msg != "" {
		return newError(ErrWrongScope, msg)
	}
	return nil
}

// lookup finds the credential for accessKeyID.
func (v *Verifier) lookup(ctx context.Context, accessKeyID string) (Credential, error) {
	if v.Lookup == nil {
		return Credential{}, errors.New("sigv4: Verifier.Lookup is nil")
	}
	cred, err := v.Lookup(ctx, accessKeyID)
	switch {
	case errors.Is(err, ErrUnknownAccessKey):
		return Credential{}, newError(ErrUnknownAccessKey, msgInvalidToken)
	case err != nil:
		return Credential{}, fmt.Errorf("sigv4: look up access key: %w", err)
	}
	return cred, nil
}

// checkSignature recomputes the signature of r with secret and compares it
// with the one the request carries, in constant time.
func (v *Verifier) checkSignature(r *http.Request, req *signedRequest, secret, payloadHash string, singleEncode bool) error {
	a := req.auth
	canonical := appendCanonicalRequest(make([]byte, 0, 1024), r, r.URL.EscapedPath(), a.SignedHeaders,
		payloadHash, singleEncode, req.presigned)
	stringToSign := appendStringToSign(make([]byte, 0, 256), req.amzDate, a, canonical)
	key := v.keys.get(keyID{secret: secret, date: a.Date, region: a.Region, service: a.Service})
	mac := hmac.New(sha256.New, key[:])
	mac.Write(stringToSign)
	var sum [sha256.Size]byte
	var want [2 * sha256.Size]byte
	hex.Encode(want[:], mac.Sum(sum[:0]))
	if subtle.ConstantTimeCompare(want[:], []byte(a.Signature)) == 1 {
		return nil
	}
	return &Error{
		Kind:             ErrSignatureMismatch,
		Message:          msgSignatureMismatch,
		CanonicalRequest: string(canonical),
		StringToSign:     string(stringToSign),
	}
}

// now returns the current time.
func (v *Verifier) now() time.Time {
	if v.Now == nil {
		return time.Now()
	}
	return v.Now()
}

// maxSkew returns the allowed clock skew.
func (v *Verifier) maxSkew() time.Duration {
	if v.MaxSkew == 0 {
		return DefaultMaxSkew
	}
	return v.MaxSkew
}
