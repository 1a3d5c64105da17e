package docstore_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/docstore"
	"github.com/fogbank/fogbank/internal/storage/pebble"
)

type doc struct{ Name string }

type snap struct{ Routes []string }

// openEngine opens a Pebble engine in a temporary directory.
func openEngine(t *testing.T) storage.Engine {
	t.Helper()
	engine, err := pebble.Open(filepath.Join(t.TempDir(), "db"), pebble.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = engine.Close() })
	return engine
}

func TestStore(t *testing.T) {
	engine := openEngine(t)
	ctx := t.Context()
	apis := docstore.New[doc, snap]("test/")
	other := docstore.New[doc, snap]("test2/")
	update := func(fn func(tx storage.Tx) error) {
		t.Helper()
		if err := engine.Update(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	view := func(fn func(tx storage.ReadTx) error) {
		t.Helper()
		if err := engine.View(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	view(func(tx storage.ReadTx) error {
		if _, err := apis.Load(tx, "a1"); !errors.Is(err, docstore.ErrNotFound) {
			t.Errorf("Load of a missing document: %v, want ErrNotFound", err)
		}
		if rev, err := apis.Revision(tx, "a1"); err != nil || rev != 0 {
			t.Errorf("Revision of a missing document = %d, %v", rev, err)
		}
		return nil
	})
	update(func(tx storage.Tx) error { return apis.Save(tx, "a1", &doc{Name: "one"}) })
	update(func(tx storage.Tx) error {
		if err := apis.Save(tx, "a1", &doc{Name: "two"}); err != nil {
			return err
		}
		if err := other.Save(tx, "a1", &doc{Name: "other"}); err != nil {
			return err
		}
		return apis.SaveSnapshot(tx, "a1", "d1", snap{Routes: []string{"GET /"}})
	})
	view(func(tx storage.ReadTx) error {
		d, err := apis.Load(tx, "a1")
		if err != nil || d.Name != "two" {
			t.Errorf("Load = %+v, %v, want two", d, err)
		}
		if rev, err := apis.Revision(tx, "a1"); err != nil || rev != 2 {
			t.Errorf("Revision = %d, %v, want 2", rev, err)
		}
		s, err := apis.LoadSnapshot(tx, "a1", "d1")
		if err != nil || len(s.Routes) != 1 {
			t.Errorf("LoadSnapshot = %+v, %v", s, err)
		}
		return nil
	})
	update(func(tx storage.Tx) error { return apis.Delete(tx, "a1") })
	view(func(tx storage.ReadTx) error {
		if _, err := apis.Load(tx, "a1"); !errors.Is(err, docstore.ErrNotFound) {
			t.Errorf("Load after Delete: %v", err)
		}
		if _, err := apis.LoadSnapshot(tx, "a1", "d1"); err == nil {
			t.Error("snapshot survived Delete")
		}
		if d, err := other.Load(tx, "a1"); err != nil || d.Name != "other" {
			t.Errorf("another prefix's document: %+v, %v", d, err)
		}
		return nil
	})
}

func TestReadAndNewID(t *testing.T) {
	engine := openEngine(t)
	ctx := t.Context()
	apis := docstore.New[doc, snap]("test/")
	noCall := func(storage.ReadTx, *doc, int64) error { t.Error("fn called for a missing document"); return nil }
	if err := apis.Read(ctx, engine, "a1", noCall); !errors.Is(err, docstore.ErrNotFound) {
		t.Errorf("Read of a missing document: %v, want ErrNotFound", err)
	}
	for range 2 {
		if err := engine.Update(ctx, func(tx storage.Tx) error { return apis.Save(tx, "a1", &doc{Name: "one"}) }); err != nil {
			t.Fatal(err)
		}
	}
	if rev, err := apis.ReadRevision(ctx, engine, "a1"); err != nil || rev != 2 {
		t.Errorf("ReadRevision = %d, %v; want 2", rev, err)
	}
	err := apis.Read(ctx, engine, "a1", func(_ storage.ReadTx, d *doc, rev int64) error {
		if d.Name != "one" || rev != 2 {
			t.Errorf("Read gave %+v at revision %d", d, rev)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	id := docstore.NewID(10)
	if len(id) != 10 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789") != "" || id == docstore.NewID(10) {
		t.Errorf("NewID(10) = %q", id)
	}
}

func TestViewAndModify(t *testing.T) {
	engine := openEngine(t)
	ctx := t.Context()
	apis := docstore.New[doc, snap]("test/")
	rename := func(name string) func(storage.Tx, *doc) error {
		return func(_ storage.Tx, d *doc) error { d.Name = name; return nil }
	}
	if err := apis.Modify(ctx, engine, "a1", rename("x")); !errors.Is(err, docstore.ErrNotFound) {
		t.Errorf("Modify of a missing document: %v, want ErrNotFound", err)
	}
	if err := engine.Update(ctx, func(tx storage.Tx) error { return apis.Save(tx, "a1", &doc{Name: "one"}) }); err != nil {
		t.Fatal(err)
	}
	if err := apis.Modify(ctx, engine, "a1", rename("two")); err != nil {
		t.Fatal(err)
	}
	refused := errors.New("refused")
	err := apis.Modify(ctx, engine, "a1", func(tx storage.Tx, d *doc) error { d.Name = "three"; return refused })
	if !errors.Is(err, refused) {
		t.Errorf("Modify with a failing fn: %v, want its error", err)
	}
	d, err := apis.View(ctx, engine, "a1")
	if err != nil || d.Name != "two" {
		t.Errorf("View = %+v, %v; want the name two", d, err)
	}
	if rev, err := apis.ReadRevision(ctx, engine, "a1"); err != nil || rev != 2 {
		t.Errorf("ReadRevision = %d, %v; want 2 (a failed Modify saves nothing)", rev, err)
	}
	if _, err := apis.View(ctx, engine, "nope"); !errors.Is(err, docstore.ErrNotFound) {
		t.Errorf("View of a missing document: %v, want ErrNotFound", err)
	}
}
