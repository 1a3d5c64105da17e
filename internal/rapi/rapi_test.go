package rapi_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/fogbank/fogbank/internal/rapi"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeRuntime drives a Server's Runtime API the way a runtime does.
type fakeRuntime struct {
	t    *testing.T
	base string
	c    *http.Client
}

func start(t *testing.T) (*rapi.Server, *fakeRuntime) {
	t.Helper()
	s := rapi.New(rapi.Options{})
	if err := s.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
		tr.CloseIdleConnections()
	})
	return s, &fakeRuntime{t: t, base: "http://" + s.Addr() + "/2018-06-01/runtime", c: &http.Client{Transport: tr}}
}

// next fetches the next event and returns its headers and body.
func (f *fakeRuntime) next() (http.Header, string) {
	f.t.Helper()
	resp, err := f.c.Get(f.base + "/invocation/next")
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("next: %d %s", resp.StatusCode, body)
	}
	return resp.Header, string(body)
}

// post sends body to path and returns the status and answer.
func (f *fakeRuntime) post(path string, req *http.Request) (int, string) {
	f.t.Helper()
	if req == nil {
		req, _ = http.NewRequest("POST", f.base+path, nil)
	}
	resp, err := f.c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (f *fakeRuntime) request(path string, body io.Reader, hdr map[string]string) *http.Request {
	req, err := http.NewRequest("POST", f.base+path, body)
	if err != nil {
		f.t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return req
}

type delivered struct {
	Res rapi.Result
	Err error
}

func deliver(ctx context.Context, s *rapi.Server, inv rapi.Invocation) chan delivered {
	ch := make(chan delivered, 1)
	go func() {
		res, err := s.Deliver(ctx, inv)
		ch <- delivered{Res: res, Err: err}
	}()
	return ch
}

var deadline = time.UnixMilli(1700000000123)

func invocation(id string) rapi.Invocation {
	return rapi.Invocation{RequestID: id, Payload: []byte(`{"k":1}`), Deadline: deadline,
		FunctionARN: "arn:aws:lambda:us-east-1:000000000000:function:f", TraceID: "Root=1-1-1",
		ClientContext: `{"custom":{}}`}
}

func TestResponse(t *testing.T) {
	t.Parallel()
	s, rt := start(t)
	ch := deliver(t.Context(), s, invocation("id-1"))
	hdr, body := rt.next()
	gotHdr := map[string]string{}
	for _, k := range []string{"Lambda-Runtime-Aws-Request-Id", "Lambda-Runtime-Deadline-Ms", "Lambda-Runtime-Invoked-Function-Arn",
		"Lambda-Runtime-Trace-Id", "Lambda-Runtime-Client-Context", "Lambda-Runtime-Cognito-Identity"} {
		gotHdr[k] = hdr.Get(k)
	}
	wantHdr := map[string]string{
		"Lambda-Runtime-Aws-Request-Id": "id-1", "Lambda-Runtime-Deadline-Ms": "1700000000123",
		"Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:000000000000:function:f",
		"Lambda-Runtime-Trace-Id":             "Root=1-1-1", "Lambda-Runtime-Client-Context": `{"custom":{}}`,
		"Lambda-Runtime-Cognito-Identity": "",
	}
	if diff := cmp.Diff(wantHdr, gotHdr); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	if body != `{"k":1}` {
		t.Errorf("body = %q", body)
	}
	// A chunked body (unknown length), as aws-lambda-go sends it.
	status, _ := rt.post("", rt.request("/invocation/id-1/response", io.MultiReader(strings.NewReader(`"ok`), strings.NewReader(`"`)), nil))
	got := <-ch
	if diff := cmp.Diff(delivered{Res: rapi.Result{Payload: []byte(`"ok"`)}}, got, cmp.Comparer(errEq)); diff != "" || status != 202 {
		t.Errorf("status %d, result (-want +got):\n%s", status, diff)
	}
	// The same id again: the invocation is over.
	status, answer := rt.post("/invocation/id-1/response", nil)
	if status != 403 || !strings.Contains(answer, "InvalidStateTransition") {
		t.Errorf("second response: %d %s", status, answer)
	}
	select {
	case <-s.Ready():
	default:
		t.Error("Ready not closed after /next")
	}
}

func errEq(a, b error) bool {
	return errors.Is(a, b) || (a != nil && b != nil && a.Error() == b.Error())
}

func TestErrorsAndTrailers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		path   string
		body   string
		header map[string]string
		// trailer, when set, is sent as aws-lambda-go's error trailers.
		trailer string
		want    rapi.Result
	}{
		{name: "error with header", path: "error", body: `{"errorMessage":"boom","errorType":"ValueError"}`,
			header: map[string]string{"Lambda-Runtime-Function-Error-Type": "Runtime.Custom"},
			want:   rapi.Result{Payload: []byte(`{"errorMessage":"boom","errorType":"ValueError"}`), ErrorType: "Runtime.Custom"}},
		{name: "error type from body", path: "error", body: `{"errorMessage":"boom","errorType":"ValueError"}`,
			want: rapi.Result{Payload: []byte(`{"errorMessage":"boom","errorType":"ValueError"}`), ErrorType: "ValueError"}},
		{name: "opaque error body", path: "error", body: `not json`,
			want: rapi.Result{Payload: []byte(`not json`), ErrorType: "Unhandled"}},
		{name: "response with error trailer", path: "response", body: `partial`, trailer: `{"errorMessage":"stream failed"}`,
			want: rapi.Result{Payload: []byte(`{"errorMessage":"stream failed"}`), ErrorType: "Runtime.StreamError"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, rt := start(t)
			ch := deliver(t.Context(), s, invocation("id-2"))
			rt.next()
			req := rt.request("/invocation/id-2/"+tt.path, io.MultiReader(strings.NewReader(tt.body)), tt.header)
			if tt.trailer != "" {
				req.Trailer = http.Header{"Lambda-Runtime-Function-Error-Type": nil, "Lambda-Runtime-Function-Error-Body": nil}
				req.Body = trailerBody{Reader: strings.NewReader(tt.body), req: req, typ: "Runtime.StreamError", body: tt.trailer}
			}
			if status, answer := rt.post("", req); status != 202 {
				t.Fatalf("status %d: %s", status, answer)
			}
			got := <-ch
			if diff := cmp.Diff(delivered{Res: tt.want}, got, cmp.Comparer(errEq)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// trailerBody sets the error trailers once the body is read, as
// aws-lambda-go does.
type trailerBody struct {
	io.Reader
	req       *http.Request
	typ, body string
}

func (b trailerBody) Read(p []byte) (int, error) {
	n, err := b.Reader.Read(p)
	if errors.Is(err, io.EOF) {
		b.req.Trailer.Set("Lambda-Runtime-Function-Error-Type", b.typ)
		b.req.Trailer.Set("Lambda-Runtime-Function-Error-Body", base64.StdEncoding.EncodeToString([]byte(b.body)))
	}
	return n, err
}

func (trailerBody) Close() error { return nil }

func TestTimeoutThenLateResponse(t *testing.T) {
	t.Parallel()
	s, rt := start(t)
	errTimeout := errors.New("timed out")
	ctx, cancel := context.WithCancelCause(t.Context())
	ch := deliver(ctx, s, invocation("id-3"))
	rt.next()
	cancel(errTimeout)
	if got := <-ch; !errors.Is(got.Err, errTimeout) {
		t.Fatalf("Deliver error = %v, want the cause", got.Err)
	}
	status, answer := rt.post("/invocation/id-3/response", nil)
	if status != 403 || !strings.Contains(answer, "Runtime.InvokeTimeout") {
		t.Errorf("late response: %d %s", status, answer)
	}
	status, answer = rt.post("/invocation/nope/response", nil)
	if status != 403 || !strings.Contains(answer, "InvalidStateTransition") {
		t.Errorf("unknown id while idle: %d %s", status, answer)
	}
}

func TestUnknownRequestID(t *testing.T) {
	t.Parallel()
	s, rt := start(t)
	ch := deliver(t.Context(), s, invocation("id-4"))
	rt.next()
	status, answer := rt.post("/invocation/other/response", nil)
	if status != 400 || !strings.Contains(answer, "InvalidRequestID") {
		t.Errorf("wrong id: %d %s", status, answer)
	}
	rt.post("/invocation/id-4/response", nil)
	<-ch
}

func TestResponseTooLarge(t *testing.T) {
	t.Parallel()
	s, rt := start(t)
	ch := deliver(t.Context(), s, invocation("id-5"))
	rt.next()
	status, _ := rt.post("", rt.request("/invocation/id-5/response", bytes.NewReader(make([]byte, rapi.MaxResponseSize+1)), nil))
	got := <-ch
	if status != 413 || got.Res.ErrorType != rapi.ErrorTypeResponseTooLarge {
		t.Errorf("status %d, result %+v", status, got)
	}
}

func TestInitError(t *testing.T) {
	t.Parallel()
	s, rt := start(t)
	ch := deliver(t.Context(), s, invocation("id-6"))
	body := `{"errorMessage":"Unable to import module 'x'","errorType":"Runtime.ImportModuleError"}`
	status, _ := rt.post("", rt.request("/init/error", strings.NewReader(body), nil))
	got := <-ch
	var ie *rapi.InitError
	if status != 202 || !errors.As(got.Err, &ie) {
		t.Fatalf("status %d, err %v", status, got.Err)
	}
	if diff := cmp.Diff(&rapi.InitError{Type: "Runtime.ImportModuleError", Body: []byte(body)}, ie); diff != "" {
		t.Error(diff)
	}
}

func TestFailWhileWaiting(t *testing.T) {
	t.Parallel()
	s, rt := start(t)
	ch := deliver(t.Context(), s, invocation("id-7"))
	rt.next()
	errExit := errors.New("exit status 2")
	s.Fail(errExit)
	if got := <-ch; !errors.Is(got.Err, errExit) {
		t.Errorf("Deliver error = %v", got.Err)
	}
	if _, err := s.Deliver(t.Context(), invocation("id-8")); !errors.Is(err, errExit) {
		t.Errorf("Deliver after Fail = %v", err)
	}
}
