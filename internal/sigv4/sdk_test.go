package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"
)

// Test credentials and clock.
var (
	testCred   = Credential{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	tokenCred  = Credential{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "c2VjcmV0LXNlc3Npb24ta2V5", SessionToken: "FQoGZXIvYXdzEBYaDHRva2Vu"}
	signTime   = time.Date(2024, 1, 1, 0, 1, 0, 0, time.UTC)
	ddbOptions = Options{Service: "dynamodb", Region: "us-east-1"}
	s3Options  = Options{Service: "s3", Region: "us-east-1", SingleEncode: true}
)

// expiring returns c valid until expires.
func expiring(c Credential, expires time.Time) Credential {
	c.Expires = expires
	return c
}

// sdkCredentials converts c for the SDK signer.
func sdkCredentials(c Credential) aws.Credentials {
	return aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}
}

// newGetItem returns an unsigned DynamoDB GetItem request as the SDK builds it.
func newGetItem(t testing.TB) (*http.Request, []byte) {
	t.Helper()
	body := []byte(`{"Key":{"pk":{"S":"user#42"}},"TableName":"users"}`)
	r, err := http.NewRequest(http.MethodPost, "http://localhost:4566/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	r.Header.Set("X-Amz-Target", "DynamoDB_20120810.GetItem")
	r.Header.Set("Accept-Encoding", "identity")
	r.Header.Set("Amz-Sdk-Invocation-Id", "0f1b6d3c-5a8e-4b7e-9c1d-2e3f4a5b6c7d")
	r.Header.Set("Amz-Sdk-Request", "attempt=1; max=3")
	return r, body
}

// signSDK signs r with the SDK's signer for service at signTime. For s3
// the path is not escaped again and the payload is UNSIGNED-PAYLOAD.
func signSDK(t testing.TB, r *http.Request, body []byte, cred Credential, service string) {
	t.Helper()
	payloadHash := HashPayload(body)
	signer := v4.NewSigner()
	if service == "s3" {
		payloadHash = "UNSIGNED-PAYLOAD"
		r.Header.Set("X-Amz-Content-Sha256", payloadHash)
		signer = v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	}
	if err := signer.SignHTTP(t.Context(), sdkCredentials(cred), r, payloadHash, service, "us-east-1", signTime); err != nil {
		t.Fatalf("SignHTTP: %v", err)
	}
}

// overTheWire returns r as a server receives it: written in HTTP/1.1 wire
// format and read back with http.ReadRequest.
func overTheWire(t testing.TB, r *http.Request) (*http.Request, []byte) {
	t.Helper()
	var wire bytes.Buffer
	if err := r.Write(&wire); err != nil {
		t.Fatal(err)
	}
	got, err := http.ReadRequest(bufio.NewReader(&wire))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(got.Body)
	if err != nil {
		t.Fatal(err)
	}
	return got, body
}

// result is what a Verify call returned, for comparison.
type result struct {
	AccessKeyID, Service string
	Kind                 error
	Message              string
}

// verifyResult runs Verify and summarises its outcome.
func verifyResult(v *Verifier, r *http.Request, payloadHash string, opts Options) result {
	res, err := v.Verify(r.Context(), r, payloadHash, opts)
	var e *Error
	switch {
	case errors.As(err, &e):
		return result{Kind: e.Kind, Message: e.Message}
	case err != nil:
		return result{Message: err.Error()}
	}
	return result{AccessKeyID: res.AccessKeyID, Service: res.Service}
}

// errorsCmp compares error kinds by identity.
var errorsCmp = cmp.Comparer(func(a, b error) bool { return a == b })

// TestVerifySDKSigned signs requests with the AWS SDK's signer, sends them
// over an in-memory wire, optionally tampers with them, and verifies.
func TestVerifySDKSigned(t *testing.T) {
	t.Parallel()
	ok := result{AccessKeyID: "AKIDEXAMPLE", Service: "dynamodb"}
	mismatch := result{Kind: ErrSignatureMismatch, Message: msgSignatureMismatch}
	for _, tc := range []struct {
		name    string
		url     string // default: GetItem
		service string // default dynamodb
		cred    Credential
		tamper  func(r *http.Request, body []byte) []byte
		now     time.Time
		opts    *Options
		lookup  LookupFunc
		want    result
	}{
		{name: "get item", want: ok},
		{name: "path needing double encoding", url: "http://localhost:4566/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af/invocations", want: ok},
		{name: "path with space and unicode", url: "http://localhost:4566/a%20b/%E1%88%B4/c~d", want: ok},
		{name: "query string", url: "http://localhost:4566/?b=2&a=1&a=0&sp=x%20y&plus=a%2Bb&e=&slash=a%2Fb", want: ok},
		{name: "s3 single encoding unsigned payload", service: "s3", url: "http://localhost:4566/bucket/key%20with%20spaces/a%2Fb.txt?tagging",
			opts: &s3Options, want: result{AccessKeyID: "AKIDEXAMPLE", Service: "s3"}},
		{name: "s3 dot segments kept", service: "s3", url: "http://localhost:4566/bucket/a/../b//c", opts: &s3Options,
			want: result{AccessKeyID: "AKIDEXAMPLE", Service: "s3"}},
		{name: "session token", cred: tokenCred, want: result{AccessKeyID: "ASIAEXAMPLE", Service: "dynamodb"}},
		{name: "clock skew within 15 min", now: signTime.Add(15 * time.Minute), want: ok},
		{name: "wrong secret", lookup: staticLookup(Credential{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wrong"}), want: mismatch},
		{name: "unknown key", lookup: staticLookup(), want: result{Kind: ErrUnknownAccessKey, Message: msgInvalidToken}},
		{name: "lookup failure", lookup: func(context.Context, string) (Credential, error) { return Credential{}, errors.New("disk on fire") },
			want: result{Message: "sigv4: look up access key: disk on fire"}},
		{name: "tampered body", tamper: func(_ *http.Request, body []byte) []byte { return append(body, ' ') }, want: mismatch},
		{name: "tampered header", tamper: func(r *http.Request, body []byte) []byte {
			r.Header.Set("X-Amz-Target", "DynamoDB_20120810.DeleteItem")
			return body
		}, want: mismatch},
		{name: "tampered path", tamper: func(r *http.Request, body []byte) []byte { r.URL.Path = "/other"; return body }, want: mismatch},
		{name: "tampered query", url: "http://localhost:4566/?a=1", tamper: func(r *http.Request, body []byte) []byte {
			r.URL.RawQuery = "a=2"
			return body
		}, want: mismatch},
		{name: "tampered host", tamper: func(r *http.Request, body []byte) []byte { r.Host = "evil:4566"; return body }, want: mismatch},
		{name: "expired", now: signTime.Add(15*time.Minute + time.Second), want: result{Kind: ErrRequestExpired,
			Message: "Signature expired: 20240101T000100Z is now earlier than 20240101T000101Z (20240101T001601Z - 15 min.)"}},
		{name: "not yet current", now: signTime.Add(-16 * time.Minute), want: result{Kind: ErrRequestExpired,
			Message: "Signature not yet current: 20240101T000100Z is still later than 20240101T000000Z (20231231T234500Z + 15 min.)"}},
		{name: "wrong region", opts: &Options{Service: "dynamodb", Region: "eu-west-1"},
			want: result{Kind: ErrWrongScope, Message: "Credential should be scoped to a valid region. "}},
		{name: "wrong service", opts: &Options{Service: "lambda", Region: "us-east-1"},
			want: result{Kind: ErrWrongScope, Message: "Credential should be scoped to correct service: 'lambda'. "}},
		{name: "session token missing", cred: tokenCred, tamper: func(r *http.Request, body []byte) []byte {
			r.Header.Del("X-Amz-Security-Token")
			return body
		}, want: mismatch},
		{name: "session token mismatched", cred: tokenCred, lookup: staticLookup(Credential{AccessKeyID: tokenCred.AccessKeyID,
			SecretAccessKey: tokenCred.SecretAccessKey, SessionToken: "other"}), want: result{Kind: ErrInvalidToken, Message: msgInvalidToken}},
		{name: "session token for long-term key", cred: tokenCred, lookup: staticLookup(Credential{AccessKeyID: tokenCred.AccessKeyID,
			SecretAccessKey: tokenCred.SecretAccessKey}), want: result{Kind: ErrInvalidToken, Message: msgInvalidToken}},
		{name: "session token not yet expired", cred: tokenCred, lookup: staticLookup(expiring(tokenCred, signTime.Add(time.Second))),
			want: result{AccessKeyID: "ASIAEXAMPLE", Service: "dynamodb"}},
		{name: "session token expired", cred: tokenCred, lookup: staticLookup(expiring(tokenCred, signTime)),
			want: result{Kind: ErrExpiredToken, Message: msgExpiredToken}},
		{name: "expired session without its token", cred: tokenCred, lookup: staticLookup(expiring(tokenCred, signTime)),
			tamper: func(r *http.Request, body []byte) []byte {
				r.Header.Set("X-Amz-Security-Token", "other")
				return body
			}, want: mismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, body := newGetItem(t)
			if tc.url != "" {
				var err error
				if r, err = http.NewRequest(http.MethodGet, tc.url, nil); err != nil {
					t.Fatal(err)
				}
				body = nil
			}
			service, cred, opts, now, lookup := "dynamodb", testCred, ddbOptions, signTime, staticLookup(testCred, tokenCred)
			if tc.service != "" {
				service = tc.service
			}
			if tc.cred != (Credential{}) {
				cred = tc.cred
			}
			if tc.opts != nil {
				opts = *tc.opts
			}
			if !tc.now.IsZero() {
				now = tc.now
			}
			if tc.lookup != nil {
				lookup = tc.lookup
			}
			signSDK(t, r, body, cred, service)
			r, body = overTheWire(t, r)
			if tc.tamper != nil {
				body = tc.tamper(r, body)
			}
			payloadHash := HashPayload(body)
			if service == "s3" {
				payloadHash = r.Header.Get("X-Amz-Content-Sha256")
			}
			v := &Verifier{Lookup: lookup, Now: func() time.Time { return now }}
			got := verifyResult(v, r, payloadHash, opts)
			if diff := cmp.Diff(tc.want, got, errorsCmp); diff != "" {
				t.Errorf("Verify mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestVerifyMismatchDetails checks that a signature mismatch reports the
// canonical request and string to sign the server computed.
func TestVerifyMismatchDetails(t *testing.T) {
	t.Parallel()
	r, body := newGetItem(t)
	signSDK(t, r, body, testCred, "dynamodb")
	r, _ = overTheWire(t, r)
	v := &Verifier{Lookup: staticLookup(testCred), Now: func() time.Time { return signTime }}
	_, err := v.Verify(t.Context(), r, HashPayload([]byte("{}")), ddbOptions)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrSignatureMismatch) {
		t.Fatalf("Verify: err = %v, want ErrSignatureMismatch", err)
	}
	wantCanonical := strings.Join([]string{
		"POST", "/", "",
		"accept-encoding:identity",
		"amz-sdk-invocation-id:0f1b6d3c-5a8e-4b7e-9c1d-2e3f4a5b6c7d",
		"amz-sdk-request:attempt=1; max=3",
		"content-length:50",
		"content-type:application/x-amz-json-1.0",
		"host:localhost:4566",
		"x-amz-date:20240101T000100Z",
		"x-amz-target:DynamoDB_20120810.GetItem",
		"",
		"accept-encoding;amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date;x-amz-target",
		HashPayload([]byte("{}")),
	}, "\n")
	if diff := cmp.Diff(wantCanonical, e.CanonicalRequest); diff != "" {
		t.Errorf("CanonicalRequest mismatch (-want +got):\n%s", diff)
	}
	if want := "AWS4-HMAC-SHA256\n20240101T000100Z\n20240101/us-east-1/dynamodb/aws4_request\n"; !strings.HasPrefix(e.StringToSign, want) {
		t.Errorf("StringToSign = %q, want prefix %q", e.StringToSign, want)
	}
}

// TestVerifyPresigned verifies S3 requests presigned by the SDK.
func TestVerifyPresigned(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		cred    Credential
		expires string
		now     time.Time
		tamper  func(r *http.Request)
		want    result
	}{
		{name: "valid", expires: "3600", now: signTime.Add(time.Hour), want: result{AccessKeyID: "AKIDEXAMPLE", Service: "s3"}},
		{name: "valid with session token", cred: tokenCred, expires: "60", now: signTime,
			want: result{AccessKeyID: "ASIAEXAMPLE", Service: "s3"}},
		{name: "expired", expires: "3600", now: signTime.Add(time.Hour + time.Second),
			want: result{Kind: ErrRequestExpired, Message: "Request has expired"}},
		{name: "expires over a week", expires: "604801", now: signTime, want: result{Kind: ErrIncompleteSignature,
			Message: "X-Amz-Expires must be less than a week (in seconds) that is 604800"}},
		{name: "tampered query", expires: "60", now: signTime, tamper: func(r *http.Request) { r.URL.RawQuery += "&versionId=2" },
			want: result{Kind: ErrSignatureMismatch, Message: msgSignatureMismatch}},
		{name: "missing signature", expires: "60", now: signTime, tamper: func(r *http.Request) {
			q := r.URL.Query()
			q.Del(querySignature)
			r.URL.RawQuery = q.Encode()
		}, want: result{Kind: ErrIncompleteSignature, Message: "Query-string authentication version 4 requires the X-Amz-Algorithm, " +
			"X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cred := testCred
			if tc.cred != (Credential{}) {
				cred = tc.cred
			}
			r, err := http.NewRequest(http.MethodGet, "http://localhost:4566/bucket/photos/a%20b.jpg?X-Amz-Expires="+tc.expires, nil)
			if err != nil {
				t.Fatal(err)
			}
			signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
			signed, _, err := signer.PresignHTTP(t.Context(), sdkCredentials(cred), r, "UNSIGNED-PAYLOAD", "s3", "us-east-1", signTime)
			if err != nil {
				t.Fatalf("PresignHTTP: %v", err)
			}
			if r, err = http.NewRequest(http.MethodGet, signed, nil); err != nil {
				t.Fatal(err)
			}
			r, _ = overTheWire(t, r)
			if tc.tamper != nil {
				tc.tamper(r)
			}
			v := &Verifier{Lookup: staticLookup(testCred, tokenCred), Now: func() time.Time { return tc.now }}
			got := verifyResult(v, r, "UNSIGNED-PAYLOAD", s3Options)
			if diff := cmp.Diff(tc.want, got, errorsCmp); diff != "" {
				t.Errorf("Verify mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
