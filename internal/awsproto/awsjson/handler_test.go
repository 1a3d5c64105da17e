package awsjson_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/awsproto/awsjson"
	"github.com/fogbank/fogbank/internal/logging"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected responses in testdata/wire")

type greetInput struct {
	Name string `json:"Name"`
}

type greetOutput struct {
	Greeting string `json:"Greeting"`
}

type emptyOutput struct{}

var (
	errNotFound = apierr.Def{Code: "ResourceNotFoundException", Status: http.StatusBadRequest}
	errCanceled = apierr.Def{Code: "TransactionCanceledException", Status: http.StatusBadRequest}
)

// testService is a small awsJson service exercising every encoding path.
func testService() awsjson.Service {
	return awsjson.Service{
		TargetPrefix:   "Test_20200101",
		ContentType:    "application/x-amz-json-1.0",
		ErrorNamespace: "com.example.test.v20200101",
		CRC32:          true,
		Ops: map[string]awsjson.Op{
			"Greet": awsjson.Operation(func(_ context.Context, in *greetInput) (*greetOutput, error) {
				return &greetOutput{Greeting: "hello " + in.Name}, nil
			}),
			"Nothing": awsjson.Operation(func(context.Context, *greetInput) (*emptyOutput, error) {
				return nil, nil
			}),
			"Missing": awsjson.Operation(func(context.Context, *greetInput) (*emptyOutput, error) {
				return nil, errNotFound.New("Requested resource not found")
			}),
			"Cancel": awsjson.Operation(func(context.Context, *greetInput) (*emptyOutput, error) {
				e := errCanceled.New("Transaction cancelled, please refer cancellation reasons for specific reasons [None]")
				e.MessageField = "Message"
				return nil, e.With("CancellationReasons", []map[string]string{{"Code": "None"}})
			}),
			"Invalid": awsjson.Operation(func(context.Context, *greetInput) (*emptyOutput, error) {
				return nil, awsjson.ErrValidation.New("1 validation error detected")
			}),
			"Fail": awsjson.Operation(func(context.Context, *greetInput) (*emptyOutput, error) {
				return nil, errors.New("disk on fire at /var/secret/path")
			}),
		},
	}
}

// TestWire replays testdata/wire/*.txt: each file is a raw HTTP request, a
// line "----", and the expected raw response (headers sorted).
func TestWire(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/wire/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no wire transcripts: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			reqText, want, ok := strings.Cut(string(data), "\n----\n")
			if !ok {
				t.Fatalf("%s: no ---- separator", file)
			}
			var logs bytes.Buffer
			h := awsjson.NewHandler(testService(), logging.New(&logs, logging.FormatText, slog.LevelDebug))
			got := replay(t, h, reqText)
			if *rewrite {
				if err := os.WriteFile(file, []byte(reqText+"\n----\n"+got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("response mismatch (-want +got):\n%s", diff)
			}
			if strings.Contains(got, "secret") {
				t.Errorf("response leaks internal error text:\n%s", got)
			}
		})
	}
}

// replay sends the raw request text through h and dumps the response.
func replay(t *testing.T, h *awsjson.Handler, reqText string) string {
	t.Helper()
	head, body, _ := strings.Cut(reqText, "\n\n")
	body = strings.TrimSuffix(body, "\n")
	raw := strings.ReplaceAll(head, "\n", "\r\n") + "\r\n\r\n"
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		t.Fatalf("parse request: %v", err)
	}
	req = req.WithContext(logging.WithRequestID(t.Context(), "00000000-0000-4000-8000-000000000000"))
	rec := httptest.NewRecorder()
	h.Serve(rec, req, []byte(body))
	return dump(rec.Result().StatusCode, rec.Header(), rec.Body.Bytes())
}

func dump(status int, hdr http.Header, body []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\n", status, http.StatusText(status))
	for _, k := range slices.Sorted(maps.Keys(hdr)) {
		for _, v := range hdr[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	b.Write(body)
	b.WriteString("\n")
	return b.String()
}

func TestCRC32MatchesBody(t *testing.T) {
	t.Parallel()
	h := awsjson.NewHandler(testService(), nil)
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	req.Header.Set(awsjson.HeaderTarget, "Test_20200101.Greet")
	rec := httptest.NewRecorder()
	h.Serve(rec, req, []byte(`{"Name":"crc"}`))
	want := strconv.FormatUint(uint64(crc32.ChecksumIEEE(rec.Body.Bytes())), 10)
	if got := rec.Header().Get(awsjson.HeaderCRC32); got != want {
		t.Errorf("X-Amz-Crc32 = %q, want %q", got, want)
	}
}

func TestServerFaultLogged(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	h := awsjson.NewHandler(testService(), logging.New(&logs, logging.FormatText, slog.LevelInfo))
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	req.Header.Set(awsjson.HeaderTarget, "Test_20200101.Fail")
	req = req.WithContext(logging.WithRequestID(t.Context(), "rid-42"))
	h.Serve(httptest.NewRecorder(), req, nil)
	for _, want := range []string{"level=ERROR", "request_id=rid-42", "disk on fire"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log %q lacks %q", logs.String(), want)
		}
	}
}

func TestSplitTarget(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, prefix, op string
		ok             bool
	}{
		{in: "DynamoDB_20120810.GetItem", prefix: "DynamoDB_20120810", op: "GetItem", ok: true},
		{in: "a.b.C", prefix: "a.b", op: "C", ok: true},
		{in: "NoDot"},
		{in: ".Op"},
		{in: "Prefix."},
		{in: ""},
	} {
		prefix, op, ok := awsjson.SplitTarget(tc.in)
		if prefix != tc.prefix || op != tc.op || ok != tc.ok {
			t.Errorf("SplitTarget(%q) = %q, %q, %v; want %q, %q, %v", tc.in, prefix, op, ok, tc.prefix, tc.op, tc.ok)
		}
	}
}
