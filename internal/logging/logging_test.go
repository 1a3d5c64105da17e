package logging_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/logging"
)

func TestContextAttrs(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := logging.New(&buf, logging.FormatJSON, slog.LevelInfo)

	base := logging.WithRequestID(context.Background(), "req-1")
	withOp := logging.WithAttrs(base, slog.String(logging.KeyOp, "GetItem"))
	// A sibling derived from base must not see withOp's attribute.
	_ = logging.WithAttrs(base, slog.String("other", "x"))
	logger.InfoContext(withOp, "hello", slog.Int("n", 1))
	logger.DebugContext(withOp, "dropped below level")

	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("decode %q: %v", buf.String(), err)
	}
	delete(got, "time")
	want := map[string]any{"level": "INFO", "msg": "hello", "n": 1.0, "request_id": "req-1", "op": "GetItem"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("record mismatch (-want +got):\n%s", diff)
	}
	if id := logging.RequestID(withOp); id != "req-1" {
		t.Errorf("RequestID = %q, want req-1", id)
	}
	if id := logging.RequestID(context.Background()); id != "" {
		t.Errorf("RequestID(empty) = %q, want \"\"", id)
	}
}

func TestParseLevel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		want    slog.Level
		wantErr bool
	}{
		{in: "debug", want: slog.LevelDebug},
		{in: "INFO", want: slog.LevelInfo},
		{in: "warn", want: slog.LevelWarn},
		{in: "error", want: slog.LevelError},
		{in: "loud", wantErr: true},
	} {
		got, err := logging.ParseLevel(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v, err=%v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}
