package dynamodb

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/storage/pebble"
)

// testNow is the fixed clock of the unit tests.
var testNow = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// newTestService returns a Service over a fresh Pebble engine in a temp dir.
func newTestService(t testing.TB) *Service {
	t.Helper()
	eng, err := pebble.Open(t.TempDir(), pebble.Options{})
	if err != nil {
		t.Fatalf("pebble.Open: %v", err)
	}
	t.Cleanup(func() { _ = eng.Close() })
	s, err := New(Options{Engine: eng, Region: "us-east-1", AccountID: "000000000000", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// call runs op with a JSON body through the operation table, as the awsJson
// binding would, and returns the JSON response or the AWS error as
// "Code: message".
func call(t testing.TB, s *Service, op, body string) string {
	t.Helper()
	o, ok := s.API().Ops[op]
	if !ok {
		t.Fatalf("no operation %s", op)
	}
	out, err := o.Call(context.Background(), []byte(body))
	if err != nil {
		e, ok := apierr.As(err)
		if !ok {
			t.Fatalf("%s(%s): non-API error %v", op, body, err)
		}
		msg := e.Code + ": " + e.Message
		if e.Fields != nil {
			f, _ := json.Marshal(e.Fields)
			msg += " " + string(f)
		}
		return msg
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatalf("%s: marshal output: %v", op, err)
	}
	return string(b)
}
