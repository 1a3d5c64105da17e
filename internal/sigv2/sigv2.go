package sigv2

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/sigv4"
)

// Error kinds: every request failure Verify returns is an [*Error] whose
// Kind is one of these (errors.Is works on it).
var (
	// ErrMalformed means the authorization is incomplete or malformed: a
	// header that is not "AWS AKID:signature", a presigned URL missing one
	// of its three parameters, an Expires that is not a number, or no date.
	ErrMalformed = errors.New("sigv2: malformed authorization")
	// ErrExpired means a presigned URL is past its Expires.
	ErrExpired = errors.New("sigv2: request expired")
	// ErrTimeSkewed means a header-signed request's date is too far from now.
	ErrTimeSkewed = errors.New("sigv2: request time too skewed")
	// ErrUnknownAccessKey means Lookup does not know the access key id.
	ErrUnknownAccessKey = errors.New("sigv2: unknown access key")
	// ErrInvalidToken means the session token does not match the credential's.
	ErrInvalidToken = errors.New("sigv2: invalid security token")
	// ErrExpiredToken means a temporary credential has expired.
	ErrExpiredToken = errors.New("sigv2: expired security token")
	// ErrSignatureMismatch means the signature does not match the request.
	ErrSignatureMismatch = errors.New("sigv2: signature mismatch")
)

// Error is a verification failure; Message is S3's text for it. For
// ErrSignatureMismatch, StringToSign is what the server signed (the first
// candidate resource's).
type Error struct {
	Kind         error
	Message      string
	StringToSign string
}

// Error returns the kind and the message.
func (e *Error) Error() string { return e.Kind.Error() + ": " + e.Message }

// Is reports whether target is e's Kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

func newError(kind error, msg string) *Error { return &Error{Kind: kind, Message: msg} }

// Query parameter and header names.
const (
	queryAccessKeyID = "AWSAccessKeyId"
	queryExpires     = "Expires"
	querySignature   = "Signature"
	headerAmzDate    = "X-Amz-Date"
	headerToken      = "X-Amz-Security-Token"
	authPrefix       = "AWS "
	msgQueryParams   = "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters"
	msgHeaderInvalid = "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature"
)

// Auth is the SigV2 authentication a request carries.
type Auth struct {
	// AccessKeyID and Signature (base64) are as sent.
	AccessKeyID, Signature string
	// Presigned is true for query-string authentication.
	Presigned bool
	// Expires is a presigned URL's Expires, seconds since the epoch, as sent.
	Expires string
	// Token is the session token sent, if any.
	Token string
}

// Is reports whether r carries SigV2 authentication: an "AWS " Authorization
// header, or an AWSAccessKeyId or Signature query parameter without one.
func Is(r *http.Request) bool {
	if h := r.Header.Get("Authorization"); h != "" {
		return strings.HasPrefix(h, authPrefix)
	}
	q := r.URL.Query()
	return q.Has(queryAccessKeyID) || q.Has(querySignature)
}

// Parse reads r's SigV2 authentication. Errors are of kind ErrMalformed.
func Parse(r *http.Request) (*Auth, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		akid, sig, ok := strings.Cut(strings.TrimPrefix(h, authPrefix), ":")
		if !strings.HasPrefix(h, authPrefix) || !ok || akid == "" || sig == "" {
			return nil, newError(ErrMalformed, msgHeaderInvalid)
		}
		return &Auth{AccessKeyID: akid, Signature: sig, Token: r.Header.Get(headerToken)}, nil
	}
	q := r.URL.Query()
	// A base64 signature has no spaces: a space is a "+" some client left
	// unescaped.
	sig := strings.ReplaceAll(q.Get(querySignature), " ", "+")
	a := &Auth{AccessKeyID: q.Get(queryAccessKeyID), Signature: sig, Expires: q.Get(queryExpires), Presigned: true}
	if a.AccessKeyID == "" || a.Signature == "" || a.Expires == "" {
		return nil, newError(ErrMalformed, msgQueryParams)
	}
	if _, err := strconv.ParseInt(a.Expires, 10, 64); err != nil {
		return nil, newError(ErrMalformed, "Invalid date (should be seconds since epoch): "+a.Expires)
	}
	a.Token = q.Get(strings.ToLower(headerToken))
	if a.Token == "" {
		a.Token = r.Header.Get(headerToken)
	}
	return a, nil
}

// Verifier verifies SigV2 signatures. It is safe for concurrent use.
type Verifier struct {
	// Lookup finds credentials by access key id (shared with SigV4). Required.
	Lookup sigv4.LookupFunc
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// MaxSkew bounds the difference between a header-signed request's date
	// and Now; sigv4.DefaultMaxSkew when zero.
	MaxSkew time.Duration
}

// Verify checks a's signature over r for any of the candidate canonical
// resource paths (as sent, percent-encoding kept; the bucket first) and
// returns the credential that signed it.
func (v *Verifier) Verify(ctx context.Context, r *http.Request, a *Auth, resources []string) (sigv4.Credential, error) {
	if err := v.checkTime(r, a); err != nil {
		return sigv4.Credential{}, err
	}
	cred, err := v.lookup(ctx, a.AccessKeyID)
	if err != nil {
		return sigv4.Credential{}, err
	}
	var first string
	for i, res := range resources {
		sts := StringToSign(r, a.Presigned, res)
		if i == 0 {
			first = sts
		}
		if equal(Sign(cred.SecretAccessKey, sts), a.Signature) {
			return cred, v.checkToken(a.Token, cred)
		}
	}
	return sigv4.Credential{}, &Error{Kind: ErrSignatureMismatch, Message: msgSignatureMismatch, StringToSign: first}
}

// VerifyPost checks a SigV2 POST policy signature, base64(HMAC-SHA1(secret,
// policy)), with the policy as sent.
func (v *Verifier) VerifyPost(ctx context.Context, accessKeyID, policy, signature, token string) (sigv4.Credential, error) {
	cred, err := v.lookup(ctx, accessKeyID)
	if err != nil {
		return sigv4.Credential{}, err
	}
	if !equal(Sign(cred.SecretAccessKey, policy), signature) {
		return sigv4.Credential{}, &Error{Kind: ErrSignatureMismatch, Message: msgSignatureMismatch, StringToSign: policy}
	}
	return cred, v.checkToken(token, cred)
}

// msgSignatureMismatch is S3's message for a signature that does not match.
const msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. " +
	"Check your key and signing method."

// checkTime checks a presigned URL's expiry or a signed header date's skew.
func (v *Verifier) checkTime(r *http.Request, a *Auth) error {
	now := v.now
	if a.Presigned {
		exp, _ := strconv.ParseInt(a.Expires, 10, 64)
		if now().Unix() > exp {
			return newError(ErrExpired, "Request has expired")
		}
		return nil
	}
	date := r.Header.Get(headerAmzDate)
	if date == "" {
		date = r.Header.Get("Date")
	}
	t, err := http.ParseTime(date)
	if err != nil {
		t, err = time.Parse(time.RFC1123Z, date)
	}
	if err != nil {
		return newError(ErrMalformed, "AWS authentication requires a valid Date or x-amz-date header")
	}
	skew := v.MaxSkew
	if skew == 0 {
		skew = sigv4.DefaultMaxSkew
	}
	if d := now().Sub(t); d > skew || d < -skew {
		return newError(ErrTimeSkewed, "The difference between the request time and the current time is too large.")
	}
	return nil
}

// lookup finds the credential for accessKeyID.
func (v *Verifier) lookup(ctx context.Context, accessKeyID string) (sigv4.Credential, error) {
	if v.Lookup == nil {
		return sigv4.Credential{}, errors.New("sigv2: Verifier.Lookup is nil")
	}
	cred, err := v.Lookup(ctx, accessKeyID)
	switch {
	case errors.Is(err, sigv4.ErrUnknownAccessKey):
		return sigv4.Credential{}, newError(ErrUnknownAccessKey, "The AWS Access Key Id you provided does not exist in our records.")
	case err != nil:
		return sigv4.Credential{}, fmt.Errorf("sigv2: look up access key: %w", err)
	}
	return cred, nil
}

// checkToken compares the session token sent with the credential's and
// checks that a temporary credential has not expired.
func (v *Verifier) checkToken(token string, cred sigv4.Credential) error {
	if subtle.ConstantTimeCompare([]byte(token), []byte(cred.SessionToken)) != 1 {
		return newError(ErrInvalidToken, "The provided token is malformed or otherwise invalid.")
	}
	if !cred.Expires.IsZero() && !v.now().Before(cred.Expires) {
		return newError(ErrExpiredToken, "The provided token has expired.")
	}
	return nil
}

// now returns the current time.
func (v *Verifier) now() time.Time {
	if v.Now == nil {
		return time.Now()
	}
	return v.Now()
}

// equal compares two signatures in constant time.
func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// Sign returns base64(HMAC-SHA1(secret, stringToSign)).
func Sign(secret, stringToSign string) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// StringToSign returns S3's SigV2 string to sign for r with the given
// canonical resource path (presigned selects query-string authentication).
func StringToSign(r *http.Request, presigned bool, resource string) string {
	q := r.URL.Query()
	date := r.Header.Get("Date")
	switch {
	case presigned:
		date = q.Get(queryExpires)
	case r.Header.Get(headerAmzDate) != "":
		date = ""
	}
	var b strings.Builder
	b.WriteString(r.Method + "\n")
	b.WriteString(headerOrQuery(r, q, "Content-MD5", presigned) + "\n")
	b.WriteString(headerOrQuery(r, q, "Content-Type", presigned) + "\n")
	b.WriteString(date + "\n")
	b.WriteString(canonicalAmzHeaders(r, q, presigned))
	b.WriteString(resource)
	b.WriteString(canonicalSubresources(q))
	return b.String()
}

// headerOrQuery returns header name, or for a presigned URL without it the
// lowercase query parameter of that name.
func headerOrQuery(r *http.Request, q url.Values, name string, presigned bool) string {
	v := strings.TrimSpace(r.Header.Get(name))
	if v == "" && presigned {
		v = strings.TrimSpace(q.Get(strings.ToLower(name)))
	}
	return v
}

// canonicalAmzHeaders returns the "name:value\n" lines of the x-amz-*
// headers (and, presigned, query parameters), sorted, values joined by ",".
func canonicalAmzHeaders(r *http.Request, q url.Values, presigned bool) string {
	amz := map[string][]string{}
	for name, values := range r.Header {
		if lk := strings.ToLower(name); strings.HasPrefix(lk, "x-amz-") {
			amz[lk] = append(amz[lk], values...)
		}
	}
	if presigned {
		for name, values := range q {
			if lk := strings.ToLower(name); strings.HasPrefix(lk, "x-amz-") {
				amz[lk] = append(amz[lk], values...)
			}
		}
	}
	names := make([]string, 0, len(amz))
	for name := range amz {
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, name := range names {
		values := make([]string, len(amz[name]))
		for i, v := range amz[name] {
			values[i] = strings.Join(strings.Fields(v), " ")
		}
		b.WriteString(name + ":" + strings.Join(values, ",") + "\n")
	}
	return b.String()
}

// subresources are the query parameters S3 signs, as botocore lists them.
var subresources = []string{
	"accelerate", "acl", "analytics", "cors", "defaultObjectAcl", "delete", "inventory", "lifecycle", "location",
	"logging", "metrics", "notification", "object-lock", "partNumber", "policy", "replication", "requestPayment",
	"response-cache-control", "response-content-disposition", "response-content-encoding", "response-content-language",
	"response-content-type", "response-expires", "restore", "select", "select-type", "storageClass", "tagging",
	"torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website",
}

// canonicalSubresources returns "?a&b=v" for the signed subresources of q,
// sorted by name, values decoded; "" when there are none.
func canonicalSubresources(q url.Values) string {
	var parts []string
	for _, name := range subresources { // already sorted
		for _, v := range q[name] {
			if v == "" {
				parts = append(parts, name)
			} else {
				parts = append(parts, name+"="+v)
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "?" + strings.Join(parts, "&")
}
