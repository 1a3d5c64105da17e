package server_test

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/awsproto/awsjson"
	"github.com/fogbank/fogbank/internal/identity"
	"github.com/fogbank/fogbank/internal/server"
	"github.com/fogbank/fogbank/internal/sigv4"
	"github.com/fogbank/fogbank/internal/storage/pebble"
)

type callerOutput struct {
	AccessKeyID, ARN string
}

// callerAPI answers Caller with the principal the front door put in the
// context.
func callerAPI() awsjson.Service {
	return awsjson.Service{
		TargetPrefix: prefix, ContentType: "application/x-amz-json-1.0", ErrorNamespace: "com.example.test",
		Ops: map[string]awsjson.Op{
			"Caller": awsjson.Operation(func(ctx context.Context, _ *struct{}) (*callerOutput, error) {
				p, _ := identity.PrincipalFromContext(ctx)
				return &callerOutput{AccessKeyID: p.AccessKeyID, ARN: p.ARN}, nil
			}),
		},
	}
}

// sessionServer starts a server verifying against a credential store, with
// callerAPI and s3 (when not nil), and returns the store; the server's
// clock runs *skew ahead of time.Now.
func sessionServer(t *testing.T, skew *atomic.Int64, s3 http.Handler) (*fixture, *identity.Store) {
	t.Helper()
	engine, err := pebble.Open(filepath.Join(t.TempDir(), "db"), pebble.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { engine.Close() })
	store, err := identity.New(t.Context(), identity.Options{Engine: engine, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	f := start(t, func(o *server.Options) {
		o.Lookup, o.Now = store.Lookup, func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
		o.JSONServices = []server.JSONService{{SigningName: signingSvc, API: callerAPI()}}
		o.S3 = s3
	})
	return f, store
}

// signedCaller returns a Caller request signed with creds at signTime.
func signedCaller(t *testing.T, f *fixture, creds aws.Credentials, signTime time.Time) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, f.url+"/", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set(awsjson.HeaderTarget, prefix+".Caller")
	if err := v4.NewSigner().SignHTTP(t.Context(), creds, req, sigv4.HashPayload([]byte("{}")), signingSvc, testRegion, signTime); err != nil {
		t.Fatal(err)
	}
	return req
}

// Requests signed with temporary credentials run as the assumed role, need
// the session token, and fail with ExpiredTokenException once it expired.
func TestSessionCredentials(t *testing.T) {
	t.Parallel()
	var skew atomic.Int64
	f, store := sessionServer(t, &skew, nil)
	sess, err := store.AssumeRole(t.Context(), identity.SessionRequest{
		RoleARN: "arn:aws:iam::000000000000:role/lambda-role", SessionName: "fn", Duration: identity.MinSessionDuration})
	if err != nil {
		t.Fatal(err)
	}
	creds := aws.Credentials{AccessKeyID: sess.AccessKeyID, SecretAccessKey: sess.SecretAccessKey, SessionToken: sess.SessionToken}
	withoutToken, otherToken := creds, creds
	withoutToken.SessionToken, otherToken.SessionToken = "", "not-"+sess.SessionToken
	const invalid = "The security token included in the request is invalid."
	for _, tc := range []struct {
		name  string
		creds aws.Credentials
		skew  time.Duration // of the server's clock and the signing time
		want  map[string]any
	}{
		{name: "with its token", creds: creds,
			want: map[string]any{"AccessKeyID": sess.AccessKeyID, "ARN": "arn:aws:sts::000000000000:assumed-role/lambda-role/fn"}},
		{name: "without its token", creds: withoutToken,
			want: map[string]any{"__type": "com.amazon.coral.service#UnrecognizedClientException", "message": invalid}},
		{name: "with another token", creds: otherToken,
			want: map[string]any{"__type": "com.amazon.coral.service#UnrecognizedClientException", "message": invalid}},
		{name: "expired", creds: creds, skew: identity.MinSessionDuration + time.Second,
			want: map[string]any{"__type": "com.amazon.coral.service#ExpiredTokenException",
				"message": "The security token included in the request is expired"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			skew.Store(int64(tc.skew))
			got := do(t, signedCaller(t, f, tc.creds, time.Now().Add(tc.skew)))
			if diff := cmp.Diff(tc.want, got.body); diff != "" {
				t.Errorf("answer (status %d) (-want +got):\n%s", got.status, diff)
			}
		})
	}
}

// S3 takes temporary credentials in presigned URLs too (the token in
// X-Amz-Security-Token), and answers an expired one with ExpiredToken.
func TestSessionCredentialsS3(t *testing.T) {
	t.Parallel()
	var skew atomic.Int64
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := identity.PrincipalFromContext(r.Context())
		_, _ = io.WriteString(w, p.ARN)
	})
	f, store := sessionServer(t, &skew, echo)
	sess, err := store.AssumeRole(t.Context(), identity.SessionRequest{
		RoleARN: "arn:aws:iam::000000000000:role/r", SessionName: "fn", Duration: identity.MinSessionDuration})
	if err != nil {
		t.Fatal(err)
	}
	creds := aws.Credentials{AccessKeyID: sess.AccessKeyID, SecretAccessKey: sess.SecretAccessKey, SessionToken: sess.SessionToken}
	presign := func(at time.Time) string {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, f.url+"/bucket/key?X-Amz-Expires=3600", nil)
		url, _, err := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).
			PresignHTTP(t.Context(), creds, req, "UNSIGNED-PAYLOAD", "s3", testRegion, at)
		if err != nil {
			t.Fatal(err)
		}
		return url
	}
	get := func(url string) (int, string) {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if status, body := get(presign(time.Now())); status != 200 || body != "arn:aws:sts::000000000000:assumed-role/r/fn" {
		t.Errorf("presigned GET = %d %q, want 200 and the assumed role", status, body)
	}
	later := identity.MinSessionDuration + time.Minute
	skew.Store(int64(later))
	if status, body := get(presign(time.Now().Add(later))); status != 400 ||
		!strings.Contains(body, "<Code>ExpiredToken</Code><Message>The provided token has expired.</Message>") {
		t.Errorf("presigned GET after expiry = %d %q, want 400 ExpiredToken", status, body)
	}
}
