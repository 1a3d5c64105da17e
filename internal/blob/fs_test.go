package blob_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/fogbank/fogbank/internal/blob"
	"github.com/fogbank/fogbank/internal/blob/blobtest"
)

func TestFSConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store {
		s, err := blob.NewFS(t.TempDir())
		if err != nil {
			t.Fatalf("NewFS: %v", err)
		}
		return s
	})
}

func TestFSClearsTemporaryFiles(t *testing.T) {
	root := t.TempDir()
	s, err := blob.NewFS(root)
	if err != nil {
		t.Fatalf("NewFS: %v", err)
	}
	id, _, err := s.Put(t.Context(), bytes.NewReader([]byte("kept")))
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	leftover := filepath.Join(root, "tmp", "put-crashed")
	if err := os.WriteFile(leftover, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = blob.NewFS(root)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("temporary file survived reopening: stat err = %v", err)
	}
	r, err := s.Open(t.Context(), id)
	if err != nil {
		t.Fatalf("Open after reopen: %v", err)
	}
	r.Close()
}
