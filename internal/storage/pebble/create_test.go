package pebble

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/fogbank/fogbank/internal/storage"
)

// TestCreate checks that a new store is created at the newest format, in
// place once its first commit has returned, and opens again with its data.
func TestCreate(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "db")
	e, err := Open(dir, Options{Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if got := e.db.FormatMajorVersion(); got != pebble.FormatNewest {
		t.Errorf("format of a new store: %v, want %v", got, pebble.FormatNewest)
	}
	if err := e.Update(t.Context(), func(tx storage.Tx) error { return tx.Set([]byte("k"), []byte("v")) }); err != nil {
		t.Fatalf("Update: %v", err)
	}
	names, err := vfs.Default.List(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"db"}; !slices.Equal(names, want) {
		t.Errorf("after the first commit the parent holds %q, want %q", names, want)
	}
	checkContents(t, reopen(t, e, dir), map[string]string{"k": "v"})
}

// TestCreateCrashStaged simulates a machine crash while a new store is
// still staged: the next Open finds no store, and creates one.
func TestCreateCrashStaged(t *testing.T) {
	t.Parallel()
	fs := vfs.NewCrashableMem()
	staged, err := newStagedFS(fs, "db")
	if err != nil {
		t.Fatal(err)
	}
	db, err := pebble.Open("db", &pebble.Options{FS: staged, FormatMajorVersion: pebble.FormatNewest})
	if err != nil {
		t.Fatalf("pebble.Open: %v", err)
	}
	if err := db.Set([]byte("k"), []byte("v"), pebble.Sync); err != nil {
		t.Fatalf("Set: %v", err)
	}
	crashed := fs.CrashClone(vfs.CrashCloneCfg{})
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := crashed.Stat("db"); err == nil {
		t.Fatal("a store staged when the machine crashed is in place after it")
	}
	e, err := open("db", Options{Logger: testLogger(t)}, crashed)
	if err != nil {
		t.Fatalf("open after the crash: %v", err)
	}
	defer e.Close()
	if got := readAll(t, e); len(got) != 0 {
		t.Errorf("store created after the crash holds %v, want nothing", got)
	}
	if err := e.Update(t.Context(), func(tx storage.Tx) error { return tx.Set([]byte("k"), []byte("v")) }); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if _, err := crashed.Stat("db" + stagingSuffix); err == nil {
		t.Error("the staging directory of the crashed creation is still there")
	}
}

// TestCreateCrashFirstCommit simulates a machine crash just after the first
// commit to a new store has returned: the store and the commit survive.
func TestCreateCrashFirstCommit(t *testing.T) {
	t.Parallel()
	fs := vfs.NewCrashableMem()
	e, err := open("db", Options{Logger: testLogger(t)}, fs)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	if err := e.Update(t.Context(), func(tx storage.Tx) error { return tx.Set([]byte("k"), []byte("k")) }); err != nil {
		t.Fatalf("Update: %v", err)
	}
	crashed := fs.CrashClone(vfs.CrashCloneCfg{})
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	checkRecovered(t, crashed, []string{"k"})
}
