package pebble

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/fogbank/fogbank/internal/storage"
)

// gatedFS holds every sync of a write-ahead log while its gate is shut.
type gatedFS struct {
	vfs.FS
	gate *atomic.Pointer[chan struct{}] // nil: open
}

func (fs gatedFS) Create(name string, cat vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := fs.FS.Create(name, cat)
	return fs.wrap(name, f), err
}

func (fs gatedFS) ReuseForWrite(oldname, newname string, cat vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := fs.FS.ReuseForWrite(oldname, newname, cat)
	return fs.wrap(newname, f), err
}

func (fs gatedFS) wrap(name string, f vfs.File) vfs.File {
	if f == nil || !strings.HasSuffix(name, ".log") {
		return f
	}
	return gatedFile{File: f, gate: fs.gate}
}

// gatedFile is a log file whose syncs wait for the gate.
type gatedFile struct {
	vfs.File
	gate *atomic.Pointer[chan struct{}]
}

func (f gatedFile) wait() {
	if g := f.gate.Load(); g != nil {
		<-*g
	}
}

func (f gatedFile) Sync() error     { f.wait(); return f.File.Sync() }
func (f gatedFile) SyncData() error { f.wait(); return f.File.SyncData() }
func (f gatedFile) SyncTo(n int64) (bool, error) {
	f.wait()
	return f.File.SyncTo(n)
}

// TestViewWaitsOnlyForWhatItReads holds the WAL sync of a commit of key b
// and checks that Views reading other keys answer meanwhile, while reads
// of b (a Get or a Scan over it) wait until the commit is durable.
func TestViewWaitsOnlyForWhatItReads(t *testing.T) {
	var gate atomic.Pointer[chan struct{}]
	e, err := open("db", Options{Logger: testLogger(t)}, gatedFS{FS: vfs.NewMem(), gate: &gate})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	set := func(key, value string) error {
		return e.Update(context.Background(), func(tx storage.Tx) error { return tx.Set([]byte(key), []byte(value)) })
	}
	if err := set("a", "1"); err != nil {
		t.Fatal(err)
	}
	shut := make(chan struct{})
	gate.Store(&shut)
	open := sync.OnceFunc(func() { gate.Store(nil); close(shut) })
	defer open() // before Close, which waits for b's commit
	committed := make(chan error, 1)
	go func() { committed <- set("b", "2") }()
	for len(e.pending.load()) == 0 { // until b's commit is applied, its sync held
		time.Sleep(time.Millisecond)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if got := get(ctx, t, e, "a"); got != "1" {
		t.Fatalf("a = %q while b's sync is held, want 1", got)
	}
	var n int
	err = e.View(ctx, func(tx storage.ReadTx) error {
		return tx.Scan(storage.Range{Start: []byte("a"), End: []byte("b")}, func(_, _ []byte) bool { n++; return true })
	})
	if err != nil || n != 1 {
		t.Fatalf("scan of [a, b) while b's sync is held: %d pairs, %v", n, err)
	}

	readB := make(chan string, 2)
	go func() { readB <- get(ctx, t, e, "b") }()
	go func() {
		var keys []string
		_ = e.View(ctx, func(tx storage.ReadTx) error {
			return tx.Scan(storage.Range{Start: []byte("a")}, func(k, _ []byte) bool { keys = append(keys, string(k)); return true })
		})
		readB <- strings.Join(keys, ",")
	}()
	select {
	case got := <-readB:
		t.Fatalf("a read of b answered %q before b's commit was durable", got)
	case <-time.After(100 * time.Millisecond):
	}
	open()
	if err := <-committed; err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if got := <-readB; got != "2" && got != "a,b" {
			t.Errorf("read of b after its sync = %q", got)
		}
	}
}

// get reads key in a View.
func get(ctx context.Context, t *testing.T, e *Engine, key string) string {
	var v []byte
	err := e.View(ctx, func(tx storage.ReadTx) error {
		var err error
		v, err = tx.Get([]byte(key))
		return err
	})
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("get %s: %v", key, err)
	}
	return string(v)
}
