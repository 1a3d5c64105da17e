package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/fogbank/fogbank/internal/awsproto/awsjson"
	"github.com/fogbank/fogbank/internal/identity"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/server"
	"github.com/fogbank/fogbank/internal/sigv4"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	testKeyID  = "AKIATESTSERVER000000"
	testSecret = "test/secret/key/for/the/server/tests/000"
	testRegion = "us-east-1"
	signingSvc = "testsvc"
	prefix     = "Test_20200101"
)

type whoamiOutput struct {
	Principal string `json:"Principal"`
	RequestID string `json:"RequestId"`
}

// testAPI is an awsJson service whose operations expose what the front door
// put in the context, panic, or block until released.
func testAPI(started chan<- struct{}, release <-chan struct{}) awsjson.Service {
	return awsjson.Service{
		TargetPrefix:   prefix,
		ContentType:    "application/x-amz-json-1.0",
		ErrorNamespace: "com.example.test",
		CRC32:          true,
		Ops: map[string]awsjson.Op{
			"WhoAmI": awsjson.Operation(func(ctx context.Context, _ *struct{}) (*whoamiOutput, error) {
				p, _ := identity.PrincipalFromContext(ctx)
				return &whoamiOutput{Principal: p.AccessKeyID, RequestID: logging.RequestID(ctx)}, nil
			}),
			"Panic": awsjson.Operation(func(context.Context, *struct{}) (*struct{}, error) {
				panic("operation blew up")
			}),
			"Block": awsjson.Operation(func(context.Context, *struct{}) (*struct{}, error) {
				started <- struct{}{}
				<-release
				return nil, nil
			}),
		},
	}
}

func lookup(_ context.Context, id string) (sigv4.Credential, error) {
	if id != testKeyID {
		return sigv4.Credential{}, sigv4.ErrUnknownAccessKey
	}
	return sigv4.Credential{AccessKeyID: testKeyID, SecretAccessKey: testSecret}, nil
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type fixture struct {
	url     string
	logs    *syncBuffer
	started chan struct{}
	release chan struct{}
	srv     *server.Server
}

// start runs a server with the test API; adjust changes its options.
func start(t *testing.T, adjust func(*server.Options)) *fixture {
	t.Helper()
	f := &fixture{logs: new(syncBuffer), started: make(chan struct{}, 1), release: make(chan struct{})}
	opts := server.Options{
		Listen:       "127.0.0.1:0",
		Region:       testRegion,
		Lookup:       lookup,
		JSONServices: []server.JSONService{{SigningName: signingSvc, API: testAPI(f.started, f.release)}},
		Logger:       logging.New(f.logs, logging.FormatText, slog.LevelDebug),
	}
	if adjust != nil {
		adjust(&opts)
	}
	srv, err := server.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.srv, f.url = srv, "http://"+srv.Addr()
	t.Cleanup(func() {
		if err := srv.Close(context.Background()); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return f
}

// request builds a POST for op, signed with secret at signTime unless
// secret is "".
func (f *fixture) request(t *testing.T, op, keyID, secret string, signTime time.Time, body string) *http.Request {
	t.Helper()
	return f.requestIn(t, testRegion, op, keyID, secret, signTime, body)
}

// requestIn is request with the given region in the credential scope.
func (f *fixture) requestIn(t *testing.T, region, op, keyID, secret string, signTime time.Time, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, f.url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	if op != "" {
		req.Header.Set(awsjson.HeaderTarget, prefix+"."+op)
	}
	if secret != "" {
		creds := aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret}
		if err := v4.NewSigner().SignHTTP(t.Context(), creds, req, sigv4.HashPayload([]byte(body)), signingSvc, region, signTime); err != nil {
			t.Fatal(err)
		}
	}
	return req
}

type response struct {
	status int
	header http.Header
	body   map[string]any
}

func do(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("response body %q is not JSON: %v", raw, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	f := start(t, nil)
	now := time.Now()
	for _, tc := range []struct {
		name       string
		region     string // testRegion when empty
		keyID      string
		secret     string
		signTime   time.Time
		wantStatus int
		wantType   string
		wantMsg    *regexp.Regexp
	}{
		{name: "valid", keyID: testKeyID, secret: testSecret, signTime: now, wantStatus: 200},
		{
			name: "no auth", wantStatus: 400,
			wantType: "com.amazon.coral.service#MissingAuthenticationTokenException",
			wantMsg:  regexp.MustCompile(`^Request is missing Authentication Token$`),
		},
		{
			name: "wrong secret", keyID: testKeyID, secret: "wrong", signTime: now, wantStatus: 400,
			wantType: "com.amazon.coral.service#InvalidSignatureException",
			wantMsg:  regexp.MustCompile(`^The request signature we calculated does not match the signature you provided\..*\n\nThe Canonical String for this request should have been\n'POST\n/\n`),
		},
		{
			name: "unknown key", keyID: "AKIANOSUCHKEY0000000", secret: testSecret, signTime: now, wantStatus: 400,
			wantType: "com.amazon.coral.service#UnrecognizedClientException",
			wantMsg:  regexp.MustCompile(`^The security token included in the request is invalid\.$`),
		},
		{
			name: "expired", keyID: testKeyID, secret: testSecret, signTime: now.Add(-20 * time.Minute), wantStatus: 400,
			wantType: "com.amazon.coral.service#InvalidSignatureException",
			wantMsg:  regexp.MustCompile(`^Signature expired: `),
		},
		{
			name: "wrong region", region: "eu-west-1", keyID: testKeyID, secret: testSecret, signTime: now, wantStatus: 400,
			wantType: "com.amazon.coral.service#InvalidSignatureException",
			wantMsg:  regexp.MustCompile(`^Credential should be scoped to a valid region\. $`),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			region := tc.region
			if region == "" {
				region = testRegion
			}
			got := do(t, f.requestIn(t, region, "WhoAmI", tc.keyID, tc.secret, tc.signTime, "{}"))
			if got.status != tc.wantStatus {
				t.Fatalf("status = %d, want %d; body %v", got.status, tc.wantStatus, got.body)
			}
			if tc.wantType == "" {
				if got.body["Principal"] != testKeyID {
					t.Errorf("principal in ctx = %v, want %s", got.body["Principal"], testKeyID)
				}
				return
			}
			if got.body["__type"] != tc.wantType {
				t.Errorf("__type = %v, want %s", got.body["__type"], tc.wantType)
			}
			if msg, _ := got.body["message"].(string); !tc.wantMsg.MatchString(msg) {
				t.Errorf("message = %q, want match for %s", msg, tc.wantMsg)
			}
			wantCode := tc.wantType[strings.IndexByte(tc.wantType, '#')+1:]
			if code := got.header.Get(awsjson.HeaderErrorType); code != wantCode {
				t.Errorf("X-Amzn-ErrorType = %q, want %q", code, wantCode)
			}
		})
	}
}

func TestDevMode(t *testing.T) {
	t.Parallel()
	f := start(t, func(o *server.Options) { o.Dev, o.Lookup, o.Region = true, nil, "" })
	for _, tc := range []struct {
		name, keyID, secret, wantPrincipal string
	}{
		{name: "unsigned"},
		{name: "unknown key, wrong secret", keyID: "AKIAANYTHINGGOES0000", secret: "whatever", wantPrincipal: "AKIAANYTHINGGOES0000"},
	} {
		got := do(t, f.request(t, "WhoAmI", tc.keyID, tc.secret, time.Now().Add(-time.Hour), "{}"))
		if got.status != 200 || got.body["Principal"] != tc.wantPrincipal {
			t.Errorf("%s: status %d, body %v; want 200 with principal %q", tc.name, got.status, got.body, tc.wantPrincipal)
		}
	}
}

func TestResponseHeaders(t *testing.T) {
	t.Parallel()
	f := start(t, nil)
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for _, tc := range []struct {
		name string
		req  *http.Request
	}{
		{name: "success", req: f.request(t, "WhoAmI", testKeyID, testSecret, time.Now(), "{}")},
		{name: "auth error", req: f.request(t, "WhoAmI", "", "", time.Time{}, "{}")},
		{name: "unroutable", req: mustRequest(t, http.MethodGet, f.url+"/nowhere")},
		{name: "health", req: mustRequest(t, http.MethodGet, f.url+server.HealthPath)},
	} {
		got := do(t, tc.req)
		date, err := http.ParseTime(got.header.Get("Date"))
		if err != nil || time.Since(date).Abs() > time.Minute {
			t.Errorf("%s: Date header %q is missing or inaccurate (%v)", tc.name, got.header.Get("Date"), err)
		}
		id := got.header.Get(awsjson.HeaderRequestID)
		if !uuid.MatchString(id) {
			t.Errorf("%s: x-amzn-RequestId = %q, want a UUID", tc.name, id)
		}
		if rid, ok := got.body["RequestId"]; ok && rid != id {
			t.Errorf("%s: request id in ctx %v differs from header %s", tc.name, rid, id)
		}
	}
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestRouting(t *testing.T) {
	t.Parallel()
	f := start(t, nil)
	for _, tc := range []struct {
		name       string
		req        *http.Request
		wantStatus int
		wantBody   map[string]any
	}{
		{
			name: "health", req: mustRequest(t, http.MethodGet, f.url+server.HealthPath),
			wantStatus: 200, wantBody: map[string]any{"status": "ok"},
		},
		{
			name: "no target, scope names the service", req: f.request(t, "", testKeyID, testSecret, time.Now(), "{}"),
			wantStatus: 400, wantBody: map[string]any{"__type": "com.amazon.coral.service#UnknownOperationException"},
		},
		{
			name: "unknown operation", req: f.request(t, "Frobnicate", testKeyID, testSecret, time.Now(), "{}"),
			wantStatus: 400, wantBody: map[string]any{"__type": "com.amazon.coral.service#UnknownOperationException"},
		},
	} {
		got := do(t, tc.req)
		if got.status != tc.wantStatus {
			t.Errorf("%s: status = %d, want %d", tc.name, got.status, tc.wantStatus)
		}
		if diff := cmp.Diff(tc.wantBody, got.body); diff != "" {
			t.Errorf("%s: body mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
	for _, req := range []*http.Request{
		mustRequest(t, http.MethodGet, f.url+"/"),
		mustRequest(t, http.MethodPost, f.url+"/"),
		mustRequest(t, http.MethodGet, f.url+"/_fogbank/nope"),
	} {
		got := do(t, req)
		if got.status != 404 || got.body["__type"] != "com.amazon.coral.service#UnknownOperationException" {
			t.Errorf("%s %s: got %d %v, want 404 UnknownOperationException", req.Method, req.URL.Path, got.status, got.body)
		}
	}
}

func TestPanicRecovery(t *testing.T) {
	t.Parallel()
	f := start(t, nil)
	got := do(t, f.request(t, "Panic", testKeyID, testSecret, time.Now(), "{}"))
	want := map[string]any{
		"__type":  "com.amazon.coral.service#InternalFailure",
		"message": "Internal failure. Please try your request again.",
	}
	if got.status != 500 {
		t.Errorf("status = %d, want 500", got.status)
	}
	if diff := cmp.Diff(want, got.body); diff != "" {
		t.Errorf("body mismatch (-want +got):\n%s", diff)
	}
	logs := f.logs.String()
	for _, w := range []string{"level=ERROR msg=\"panic serving request\"", "operation blew up", "server_test.go", "request_id="} {
		if !strings.Contains(logs, w) {
			t.Errorf("log lacks %q:\n%s", w, logs)
		}
	}
	// The server keeps serving.
	if got := do(t, f.request(t, "WhoAmI", testKeyID, testSecret, time.Now(), "{}")); got.status != 200 {
		t.Errorf("after a panic: status %d, want 200", got.status)
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	f := start(t, func(o *server.Options) { o.MaxRequestBody = 1024 })
	big := `{"pad":"` + strings.Repeat("x", 2048) + `"}`
	for _, tc := range []struct {
		name    string
		req     *http.Request
		chunked bool
	}{
		{name: "content-length", req: f.request(t, "WhoAmI", testKeyID, testSecret, time.Now(), big)},
		{name: "chunked", req: f.request(t, "WhoAmI", testKeyID, testSecret, time.Now(), big), chunked: true},
	} {
		if tc.chunked {
			tc.req.ContentLength = -1 // unknown length: the limit is hit while reading
			tc.req.Body = io.NopCloser(strings.NewReader(big))
		}
		got := do(t, tc.req)
		want := map[string]any{
			"__type":  "com.amazon.coral.service#RequestEntityTooLargeException",
			"message": "Request must be smaller than 1025 bytes for the WhoAmI operation.",
		}
		if got.status != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: status = %d, want 413", tc.name, got.status)
		}
		if diff := cmp.Diff(want, got.body); diff != "" {
			t.Errorf("%s: body mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
	if got := do(t, f.request(t, "WhoAmI", testKeyID, testSecret, time.Now(), `{"pad":"small"}`)); got.status != 200 {
		t.Errorf("small body: status %d, want 200", got.status)
	}
}

func TestAccessLog(t *testing.T) {
	t.Parallel()
	f := start(t, nil)
	do(t, f.request(t, "WhoAmI", "AKIANOSUCHKEY0000000", testSecret, time.Now(), "{}"))
	line := regexp.MustCompile(`level=DEBUG msg=request component=server method=POST path=/ service=testsvc op=WhoAmI ` +
		`principal="" status=400 error_code=UnrecognizedClientException bytes=\d+ duration=\S+ request_id=\S+`)
	if !line.MatchString(f.logs.String()) {
		t.Errorf("no access-log line matching %s in:\n%s", line, f.logs.String())
	}
}

func TestGracefulClose(t *testing.T) {
	t.Parallel()
	f := start(t, nil)
	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	req := f.request(t, "Block", testKeyID, testSecret, time.Now(), "{}")
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		resp.Body.Close()
		done <- result{status: resp.StatusCode}
	}()
	<-f.started // the request is in flight; close while it blocks
	closed := make(chan error, 1)
	go func() { closed <- f.srv.Close(context.Background()) }()
	close(f.release)
	if got := <-done; got.err != nil || got.status != 200 {
		t.Errorf("in-flight request: status %d, err %v; want 200", got.status, got.err)
	}
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := http.Get(f.url + server.HealthPath); err == nil {
		t.Error("server still answers after Close")
	}
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	api := testAPI(nil, nil)
	for _, tc := range []struct {
		name string
		opts server.Options
	}{
		{name: "no lookup", opts: server.Options{Listen: ":0", Region: testRegion}},
		{name: "nameless service", opts: server.Options{Dev: true, JSONServices: []server.JSONService{{API: api}}}},
		{name: "duplicate prefix", opts: server.Options{Dev: true, JSONServices: []server.JSONService{
			{SigningName: "a", API: api}, {SigningName: "b", API: api},
		}}},
	} {
		if _, err := server.New(tc.opts); err == nil {
			t.Errorf("%s: New succeeded, want an error", tc.name)
		}
	}
	srv, err := server.New(server.Options{Dev: true, Listen: "256.0.0.1:bad"})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(t.Context()); err == nil || !strings.HasPrefix(err.Error(), "server: listen") {
		t.Errorf("Start on a bad address: %v, want a listen error", err)
	}
	if err := srv.Close(t.Context()); err != nil {
		t.Errorf("Close of an unstarted server: %v", err)
	}
}
