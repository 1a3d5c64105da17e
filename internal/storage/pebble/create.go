package pebble

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// stagingSuffix names the directory, beside the store's, in which a new store
// is built before it is renamed into place.
const stagingSuffix = ".creating"

// stagedFS is the file system through which Pebble creates a new store.
//
// Pebble makes every step of creating a store durable on its own: the
// manifest, its marker, the WAL, the format marker at each of a dozen format
// versions and the options file each wait for a sync, most of them of the
// directory. Nothing in a store needs to survive a crash before Open has
// returned, so stagedFS has Pebble build the store in a staging directory
// (the store's path plus stagingSuffix) with its syncs skipped; commit then
// syncs the store's files and the staging directory all at once, renames it
// to the store's path and syncs the parent directory. A crash before that
// rename is durable leaves no store, and the next Open removes the staging
// directory and starts again; a crash after it leaves a complete one.
//
// The engine commits in the background: Open returns as soon as Pebble has
// opened, and an Update that wrote returns once the commit is done as well as
// its own WAL sync (skipped while staged: commit syncs the WAL file with the
// others). So a new store costs no sync before Open returns, and the first
// commit two rounds of syncs, instead of twenty in a row.
type stagedFS struct {
	vfs.FS
	dir, staging string
	// mu is held for reading by every operation that takes a path, and for
	// writing by commit, so that no path is mapped to the staging directory
	// once it has been renamed.
	mu sync.RWMutex
	// staged is true until commit: paths in dir go to the staging directory,
	// and syncs are skipped.
	staged atomic.Bool
}

// newStagedFS prepares to create a store at dir on fs, removing the
// staging directory a crashed creation left. (Two processes creating the
// same store at once may remove each other's: either may then fail, as one
// of them would on Pebble's lock; nothing is lost, nothing was stored yet.)
func newStagedFS(fs vfs.FS, dir string) (*stagedFS, error) {
	s := &stagedFS{FS: fs, dir: dir, staging: dir + stagingSuffix}
	if err := fs.RemoveAll(s.staging); err != nil {
		return nil, fmt.Errorf("remove %s: %w", s.staging, err)
	}
	s.staged.Store(true)
	return s, nil
}

// isNewStore reports whether dir holds no store yet: it does not exist, and
// its parent does (so the parent need not be created, and synced, first).
func isNewStore(fs vfs.FS, dir string) bool {
	if _, err := fs.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		return false
	}
	info, err := fs.Stat(fs.PathDir(dir))
	return err == nil && info.IsDir()
}

// path maps name into the staging directory while the store is staged.
func (s *stagedFS) path(name string) string {
	if !s.staged.Load() {
		return name
	}
	if name == s.dir {
		return s.staging
	}
	if rest, ok := strings.CutPrefix(name, s.dir); ok && strings.HasPrefix(rest, "/") {
		return s.staging + rest
	}
	return name
}

// file wraps f so that its syncs are skipped while the store is staged.
func (s *stagedFS) file(f vfs.File, err error) (vfs.File, error) {
	if err != nil || !s.staged.Load() {
		return f, err
	}
	return &stagedFile{File: f, fs: s}, nil
}

// commit makes the staged store durable and moves it to its path: from then
// on, paths are no longer mapped and every sync is done. The move is durable
// once syncParent has returned.
func (s *stagedFS) commit() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.staged.Store(false) // whatever is written from here on is synced as usual
	names, err := s.FS.List(s.staging)
	if err != nil {
		return fmt.Errorf("list %s: %w", s.staging, err)
	}
	errs := make([]error, len(names)+1)
	var wg sync.WaitGroup
	wg.Go(func() { errs[0] = syncPath(s.FS, s.staging, true) })
	for i, name := range names {
		wg.Go(func() { errs[i+1] = s.syncFile(s.FS.PathJoin(s.staging, name)) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := s.FS.Rename(s.staging, s.dir); err != nil {
		return fmt.Errorf("rename %s: %w", s.staging, err)
	}
	return syncPath(s.FS, s.FS.PathDir(s.dir), true)
}

// syncFile syncs the file at path unless it is empty: an empty file (the
// lock file, the markers Pebble names its versions with) needs only its name,
// which the directory's sync keeps. The lock file must not be opened: closing
// any descriptor of it would release Pebble's lock.
func (s *stagedFS) syncFile(path string) error {
	info, err := s.FS.Stat(path)
	if err != nil {
		return fmt.Errorf("stat %s: %w", path, err)
	}
	if info.IsDir() || info.Size() == 0 {
		return nil
	}
	return syncPath(s.FS, path, false)
}

// syncPath opens the file or directory at path and syncs it.
func syncPath(fs vfs.FS, path string, dir bool) error {
	var f vfs.File
	var err error
	if dir {
		f, err = fs.OpenDir(path)
	} else {
		f, err = fs.Open(path)
	}
	if err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}

// Create implements vfs.FS.
func (s *stagedFS) Create(name string, category vfs.DiskWriteCategory) (vfs.File, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.file(s.FS.Create(s.path(name), category))
}

// Link implements vfs.FS.
func (s *stagedFS) Link(oldname, newname string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.FS.Link(s.path(oldname), s.path(newname))
}

// Open implements vfs.FS.
func (s *stagedFS) Open(name string, opts ...vfs.OpenOption) (vfs.File, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.file(s.FS.Open(s.path(name), opts...))
}

// OpenReadWrite implements vfs.FS.
func (s *stagedFS) OpenReadWrite(name string, category vfs.DiskWriteCategory, opts ...vfs.OpenOption) (vfs.File, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.file(s.FS.OpenReadWrite(s.path(name), category, opts...))
}

// OpenDir implements vfs.FS.
func (s *stagedFS) OpenDir(name string) (vfs.File, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.file(s.FS.OpenDir(s.path(name)))
}

// Remove implements vfs.FS.
func (s *stagedFS) Remove(name string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.FS.Remove(s.path(name))
}

// RemoveAll implements vfs.FS.
func (s *stagedFS) RemoveAll(name string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.FS.RemoveAll(s.path(name))
}

// Rename implements vfs.FS.
func (s *stagedFS) Rename(oldname, newname string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.FS.Rename(s.path(oldname), s.path(newname))
}

// ReuseForWrite implements vfs.FS.
func (s *stagedFS) ReuseForWrite(oldname, newname string, category vfs.DiskWriteCategory) (vfs.File, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.file(s.FS.ReuseForWrite(s.path(oldname), s.path(newname), category))
}

// MkdirAll implements vfs.FS.
func (s *stagedFS) MkdirAll(dir string, perm os.FileMode) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.FS.MkdirAll(s.path(dir), perm)
}

// Lock implements vfs.FS.
func (s *stagedFS) Lock(name string) (io.Closer, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.FS.Lock(s.path(name))
}

// List implements vfs.FS.
func (s *stagedFS) List(dir string) ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.FS.List(s.path(dir))
}

// Stat implements vfs.FS.
func (s *stagedFS) Stat(name string) (vfs.FileInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.FS.Stat(s.path(name))
}

// GetDiskUsage implements vfs.FS.
func (s *stagedFS) GetDiskUsage(path string) (vfs.DiskUsage, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.FS.GetDiskUsage(s.path(path))
}

// Unwrap implements vfs.FS.
func (s *stagedFS) Unwrap() vfs.FS { return s.FS }

// stagedFile is a file opened while the store is staged: its syncs are
// skipped until commit, which syncs it.
type stagedFile struct {
	vfs.File
	fs *stagedFS
}

// Sync implements vfs.File.
func (f *stagedFile) Sync() error {
	if f.fs.staged.Load() {
		return nil
	}
	return f.File.Sync()
}

// SyncData implements vfs.File.
func (f *stagedFile) SyncData() error {
	if f.fs.staged.Load() {
		return nil
	}
	return f.File.SyncData()
}

// SyncTo implements vfs.File.
func (f *stagedFile) SyncTo(length int64) (fullSync bool, err error) {
	if f.fs.staged.Load() {
		return false, nil
	}
	return f.File.SyncTo(length)
}
