package blob_test

import (
	"bytes"
	"io"
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

// TestSection reads a file blob's section as the file itself, which
// io.Copy to a network connection sends with sendfile.
func TestSection(t *testing.T) {
	s, err := blob.NewFS(t.TempDir())
	if err != nil {
		t.Fatalf("NewFS: %v", err)
	}
	id, _, err := s.Put(t.Context(), bytes.NewReader([]byte("0123456789")))
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	r, err := s.Open(t.Context(), id)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer r.Close()
	sec := blob.Section(r, 3, 4)
	if lr, ok := sec.(*io.LimitedReader); !ok {
		t.Errorf("Section = %T, want an *io.LimitedReader of the file", sec)
	} else if _, ok := lr.R.(*os.File); !ok {
		t.Errorf("Section reads a %T, want *os.File", lr.R)
	}
	if got, err := io.ReadAll(sec); err != nil || string(got) != "3456" {
		t.Errorf("Section(3, 4) = %q, %v", got, err)
	}
}
