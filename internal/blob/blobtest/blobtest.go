// Package blobtest is the conformance suite every blob.Store passes.
package blobtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/blob"
)

// Run runs the conformance suite against stores made by open, one fresh
// store per subtest.
func Run(t *testing.T, open func(t *testing.T) blob.Store) {
	t.Run("PutOpen", func(t *testing.T) { testPutOpen(t, open(t)) })
	t.Run("Empty", func(t *testing.T) { testEmpty(t, open(t)) })
	t.Run("ReaderErrorVetoes", func(t *testing.T) { testReaderError(t, open(t)) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, open(t)) })
	t.Run("OpenUnknown", func(t *testing.T) { testOpenUnknown(t, open(t)) })
	t.Run("DistinctIDs", func(t *testing.T) { testDistinctIDs(t, open(t)) })
	t.Run("Walk", func(t *testing.T) { testWalk(t, open(t)) })
}

func testWalk(t *testing.T, s blob.Store) {
	want := map[string]bool{}
	for range 3 {
		id, _, err := s.Put(t.Context(), bytes.NewReader(pattern(10)))
		if err != nil {
			t.Fatalf("Put: %v", err)
		}
		want[id] = true
	}
	deleted, _, err := s.Put(t.Context(), bytes.NewReader(pattern(1)))
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	if err := s.Delete(t.Context(), deleted); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	before := time.Now().Add(-time.Minute)
	got := map[string]bool{}
	err = s.Walk(t.Context(), func(id string, created time.Time) error {
		if created.Before(before) || created.After(time.Now().Add(time.Minute)) {
			t.Errorf("Walk: blob %s created %v, want about now", id, created)
		}
		got[id] = true
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Walk ids (-want +got):\n%s", diff)
	}
	stop := errors.New("stop")
	if err := s.Walk(t.Context(), func(string, time.Time) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("Walk with a failing fn = %v, want its error", err)
	}
}

// pattern returns n bytes of a recognisable pattern.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

// readAll reads a whole blob back.
func readAll(t *testing.T, s blob.Store, id string) []byte {
	t.Helper()
	r, err := s.Open(t.Context(), id)
	if err != nil {
		t.Fatalf("Open(%q): %v", id, err)
	}
	defer r.Close()
	got, err := io.ReadAll(io.NewSectionReader(r, 0, r.Size()))
	if err != nil {
		t.Fatalf("read %q: %v", id, err)
	}
	return got
}

func testPutOpen(t *testing.T, s blob.Store) {
	want := pattern(3<<20 + 17)
	id, size, err := s.Put(t.Context(), bytes.NewReader(want))
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	if size != int64(len(want)) {
		t.Errorf("Put size = %d, want %d", size, len(want))
	}
	if got := readAll(t, s, id); !bytes.Equal(got, want) {
		t.Errorf("read back %d bytes differing from the %d put", len(got), len(want))
	}
	r, err := s.Open(t.Context(), id)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer r.Close()
	part := make([]byte, 10)
	if _, err := r.ReadAt(part, 1000); err != nil {
		t.Fatalf("ReadAt: %v", err)
	}
	if diff := cmp.Diff(want[1000:1010], part); diff != "" {
		t.Errorf("ReadAt(1000) mismatch (-want +got):\n%s", diff)
	}
}

func testEmpty(t *testing.T, s blob.Store) {
	id, size, err := s.Put(t.Context(), bytes.NewReader(nil))
	if err != nil || size != 0 {
		t.Fatalf("Put(empty) = %d, %v; want 0, nil", size, err)
	}
	if got := readAll(t, s, id); len(got) != 0 {
		t.Errorf("empty blob read back %d bytes", len(got))
	}
}

// failingReader returns its data and then err instead of io.EOF.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if errors.Is(err, io.EOF) {
		return n, f.err
	}
	return n, err
}

func testReaderError(t *testing.T, s blob.Store) {
	veto := errors.New("checksum mismatch")
	_, _, err := s.Put(t.Context(), &failingReader{r: bytes.NewReader(pattern(100)), err: veto})
	if !errors.Is(err, veto) {
		t.Errorf("Put with a failing reader: err = %v, want it to wrap %v", err, veto)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := s.Put(ctx, bytes.NewReader(pattern(100))); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context: err = %v, want context.Canceled", err)
	}
}

func testDelete(t *testing.T, s blob.Store) {
	id, _, err := s.Put(t.Context(), bytes.NewReader(pattern(10)))
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	for range 2 { // the second delete is of a missing blob
		if err := s.Delete(t.Context(), id); err != nil {
			t.Fatalf("Delete(%q): %v", id, err)
		}
	}
	if _, err := s.Open(t.Context(), id); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Open after Delete: err = %v, want ErrNotFound", err)
	}
}

func testOpenUnknown(t *testing.T, s blob.Store) {
	for _, id := range []string{"", "x", "../../etc/passwd", "AAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		if _, err := s.Open(t.Context(), id); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Open(%q): err = %v, want ErrNotFound", id, err)
		}
	}
}

func testDistinctIDs(t *testing.T, s blob.Store) {
	seen := map[string]bool{}
	for i := range 20 {
		id, _, err := s.Put(t.Context(), bytes.NewReader(pattern(i)))
		if err != nil {
			t.Fatalf("Put: %v", err)
		}
		if seen[id] {
			t.Fatalf("Put returned id %q twice", id)
		}
		seen[id] = true
	}
}
