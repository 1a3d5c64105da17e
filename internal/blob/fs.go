package blob

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// tmpDirName is the subdirectory of an FS root holding blobs being written.
const tmpDirName = "tmp"

// FS is a Store of local files under one root directory: a blob with id
// "0123abcd..." is the file root/01/23abcd.... Put writes to root/tmp,
// fsyncs the file, renames it into place and fsyncs the directory, so a
// blob either exists whole after a crash or not at all.
type FS struct {
	root string
}

// NewFS returns a Store of files under root, creating it if needed and
// removing the temporary files a crash may have left behind.
func NewFS(root string) (*FS, error) {
	tmp := filepath.Join(root, tmpDirName)
	if err := os.RemoveAll(tmp); err != nil {
		return nil, fmt.Errorf("blob: clear temporary files: %w", err)
	}
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return nil, fmt.Errorf("blob: create store: %w", err)
	}
	return &FS{root: root}, nil
}

// Put implements Store.
func (s *FS) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	id := rand.Text()
	f, err := os.CreateTemp(filepath.Join(s.root, tmpDirName), "put-*")
	if err != nil {
		return "", 0, fmt.Errorf("blob: create: %w", err)
	}
	size, err := s.write(ctx, f, r)
	if err == nil {
		err = s.commit(f.Name(), id)
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return "", 0, err
	}
	return id, size, nil
}

// write copies r to f, syncs and closes f.
func (s *FS) write(ctx context.Context, f *os.File, r io.Reader) (int64, error) {
	size, err := io.Copy(f, contextReader{ctx: ctx, r: r})
	if err != nil {
		_ = f.Close()
		return 0, fmt.Errorf("blob: write: %w", err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return 0, fmt.Errorf("blob: sync: %w", err)
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("blob: close: %w", err)
	}
	return size, nil
}

// commit renames the temporary file to the blob's path and syncs the
// directory that now holds it.
func (s *FS) commit(tmpName, id string) error {
	path := s.path(id)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("blob: create directory: %w", err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("blob: rename: %w", err)
	}
	return syncDir(dir)
}

// syncDir fsyncs a directory so that a rename into it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("blob: open directory: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("blob: sync directory: %w", err)
	}
	return nil
}

// Open implements Store.
func (s *FS) Open(_ context.Context, id string) (Reader, error) {
	if !validID(id) {
		return nil, fmt.Errorf("blob: open %q: %w", id, ErrNotFound)
	}
	f, err := os.Open(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("blob: open %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("blob: open: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("blob: stat: %w", err)
	}
	return &fileReader{File: f, size: info.Size()}, nil
}

// Delete implements Store.
func (s *FS) Delete(_ context.Context, id string) error {
	if !validID(id) {
		return nil
	}
	if err := os.Remove(s.path(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: delete: %w", err)
	}
	return nil
}

// Walk implements Store.
func (s *FS) Walk(ctx context.Context, fn func(id string, created time.Time) error) error {
	dirs, err := os.ReadDir(s.root)
	if err != nil {
		return fmt.Errorf("blob: walk: %w", err)
	}
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == tmpDirName {
			continue
		}
		if err := s.walkDir(ctx, d.Name(), fn); err != nil {
			return err
		}
	}
	return nil
}

// walkDir calls fn with the blobs of one fan-out directory.
func (s *FS) walkDir(ctx context.Context, dir string, fn func(id string, created time.Time) error) error {
	files, err := os.ReadDir(filepath.Join(s.root, dir))
	if err != nil {
		return fmt.Errorf("blob: walk: %w", err)
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		info, err := f.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted meanwhile
		}
		if err != nil {
			return fmt.Errorf("blob: walk: %w", err)
		}
		if id := dir + f.Name(); validID(id) {
			if err := fn(id, info.ModTime()); err != nil {
				return err
			}
		}
	}
	return nil
}

// path returns the file of blob id, fanned out by its first two characters.
func (s *FS) path(id string) string { return filepath.Join(s.root, id[:2], id[2:]) }

// validID reports whether id has the form Put gives ids (rand.Text:
// base32 letters and digits), so that no id can name a path outside the
// store.
func validID(id string) bool {
	return len(id) > 2 && strings.Trim(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == ""
}

// fileReader is an open blob file.
type fileReader struct {
	*os.File
	size int64
}

// Size implements Reader.
func (f *fileReader) Size() int64 { return f.size }

// contextReader stops a copy when its context ends.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Section returns a reader of n bytes of r from offset off. For a blob of
// an FS it reads the file itself (an *os.File under an io.LimitedReader),
// so that io.Copy to a network connection sends it with sendfile; the
// reader then moves r's file offset, which ReadAt does not use.
func Section(r Reader, off, n int64) io.Reader {
	if f, ok := r.(*fileReader); ok {
		if _, err := f.Seek(off, io.SeekStart); err == nil {
			return &io.LimitedReader{R: f.File, N: n}
		}
	}
	return io.NewSectionReader(r, off, n)
}
