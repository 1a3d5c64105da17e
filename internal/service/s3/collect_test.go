package s3

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/blob"
	"github.com/fogbank/fogbank/internal/storage/pebble"
)

// newTestService returns a Service over a fresh engine and blob store whose
// clock runs ahead of the blob store's by skew.
func newTestService(t *testing.T, skew time.Duration) (*Service, *blob.FS) {
	t.Helper()
	engine, err := pebble.Open(t.TempDir(), pebble.Options{})
	if err != nil {
		t.Fatalf("pebble.Open: %v", err)
	}
	t.Cleanup(func() { engine.Close() })
	blobs, err := blob.NewFS(t.TempDir())
	if err != nil {
		t.Fatalf("NewFS: %v", err)
	}
	s, err := New(Options{Engine: engine, Blobs: blobs, Region: "us-east-1", Now: func() time.Time { return time.Now().Add(skew) }, MasterKey: make([]byte, MasterKeySize)})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, blobs
}

// serve sends one request to s and returns the response body, failing on
// a status other than 200.
func serve(t *testing.T, s *Service, method, target, body string) string {
	t.Helper()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequestWithContext(t.Context(), method, target, strings.NewReader(body)))
	if w.Code != http.StatusOK {
		t.Fatalf("%s %s = %d %s", method, target, w.Code, w.Body)
	}
	return w.Body.String()
}

func TestCollectOrphans(t *testing.T) {
	s, blobs := newTestService(t, 2*time.Hour)
	serve(t, s, http.MethodPut, "/bucket", "")
	serve(t, s, http.MethodPut, "/bucket/kept", "object bytes")
	created := serve(t, s, http.MethodPost, "/bucket/upload?uploads", "")
	uploadID := created[strings.Index(created, "<UploadId>")+len("<UploadId>") : strings.Index(created, "</UploadId>")]
	serve(t, s, http.MethodPut, "/bucket/upload?partNumber=1&uploadId="+uploadID, "part bytes")
	orphan, _, err := blobs.Put(t.Context(), bytes.NewReader([]byte("crashed before commit")))
	if err != nil {
		t.Fatalf("Put: %v", err)
	}

	if n, err := s.CollectOrphans(t.Context(), 3*time.Hour); err != nil || n != 0 {
		t.Errorf("CollectOrphans(younger than the grace period) = %d, %v; want 0", n, err)
	}
	if n, err := s.CollectOrphans(t.Context(), time.Hour); err != nil || n != 1 {
		t.Errorf("CollectOrphans = %d, %v; want 1", n, err)
	}
	if _, err := blobs.Open(t.Context(), orphan); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Open(orphan) after collection = %v, want ErrNotFound", err)
	}
	if got := serve(t, s, http.MethodGet, "/bucket/kept", ""); got != "object bytes" {
		t.Errorf("object after collection = %q", got)
	}
	if got := serve(t, s, http.MethodGet, "/bucket/upload?uploadId="+uploadID, ""); !strings.Contains(got, "<PartNumber>1</PartNumber>") {
		t.Errorf("ListParts after collection = %s", got)
	}
}
