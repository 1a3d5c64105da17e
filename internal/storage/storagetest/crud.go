package storagetest

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/storage"
)

var crudTests = []conformanceTest{
	{"GetSetDelete", testGetSetDelete},
	{"GetNotFound", testGetNotFound},
	{"GetReturnsCopy", testGetReturnsCopy},
	{"SetCopiesArguments", testSetCopiesArguments},
	{"EmptyAndLargeValues", testEmptyAndLargeValues},
	{"ReadOwnWrites", testReadOwnWrites},
	{"ErrorRollsBack", testErrorRollsBack},
	{"ReadOnlyUpdate", testReadOnlyUpdate},
}

func testGetSetDelete(t *testing.T, e storage.Engine) {
	set(t, e, "a", "1", "b", "2")
	if got := get(t, e, "a"); got != "1" {
		t.Errorf("get a = %q, want \"1\"", got)
	}
	set(t, e, "a", "one")
	if got := get(t, e, "a"); got != "one" {
		t.Errorf("get a after overwrite = %q, want \"one\"", got)
	}
	err := e.Update(t.Context(), func(tx storage.Tx) error {
		if err := tx.Delete([]byte("a")); err != nil {
			return err
		}
		return tx.Delete([]byte("missing"))
	})
	if err != nil {
		t.Fatalf("Update(delete a, missing): %v", err)
	}
	wantStore(t, e, []pair{{"b", "2"}})
}

func testGetNotFound(t *testing.T, e storage.Engine) {
	set(t, e, "a", "1")
	for _, key := range []string{"", "b", "a\x00", "A"} {
		err := e.View(t.Context(), func(tx storage.ReadTx) error {
			_, err := tx.Get([]byte(key))
			return err
		})
		if !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Get(%q) error = %v, want ErrNotFound", key, err)
		}
	}
}

func testGetReturnsCopy(t *testing.T, e storage.Engine) {
	set(t, e, "k", "value")
	err := e.View(t.Context(), func(tx storage.ReadTx) error {
		v, err := tx.Get([]byte("k"))
		if err != nil {
			return err
		}
		copy(v, "XXXXX")
		again, err := tx.Get([]byte("k"))
		if string(again) != "value" {
			t.Errorf("second Get = %q after modifying the first result, want \"value\"", again)
		}
		return err
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	if got := get(t, e, "k"); got != "value" {
		t.Errorf("get k = %q, want \"value\"", got)
	}
}

func testSetCopiesArguments(t *testing.T, e storage.Engine) {
	key, value := []byte("key"), []byte("value")
	err := e.Update(t.Context(), func(tx storage.Tx) error {
		if err := tx.Set(key, value); err != nil {
			return err
		}
		copy(key, "KEY")
		copy(value, "VALUE")
		return nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	wantStore(t, e, []pair{{"key", "value"}})
}

func testEmptyAndLargeValues(t *testing.T, e storage.Engine) {
	large := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	err := e.Update(t.Context(), func(tx storage.Tx) error {
		return errors.Join(tx.Set([]byte("empty"), nil), tx.Set([]byte("large"), large))
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	err = e.View(t.Context(), func(tx storage.ReadTx) error {
		empty, err := tx.Get([]byte("empty"))
		if err != nil || len(empty) != 0 {
			t.Errorf("Get(empty) = %q, %v; want an empty value", empty, err)
		}
		got, err := tx.Get([]byte("large"))
		if err != nil || !bytes.Equal(got, large) {
			t.Errorf("Get(large) = %d bytes, %v; want the 1 MiB value", len(got), err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
}

func testReadOwnWrites(t *testing.T, e storage.Engine) {
	set(t, e, "a", "1", "b", "2", "c", "3")
	var gotGets []string
	var gotScan []pair
	err := e.Update(t.Context(), func(tx storage.Tx) error {
		err := errors.Join(
			tx.Set([]byte("a"), []byte("new")),
			tx.Delete([]byte("b")),
			tx.Set([]byte("bb"), []byte("added")),
		)
		for _, k := range []string{"a", "b", "bb", "c"} {
			v, getErr := readString(tx, k)
			gotGets = append(gotGets, v)
			err = errors.Join(err, getErr)
		}
		scan, scanErr := scanAll(tx, storage.Range{})
		gotScan = scan
		return errors.Join(err, scanErr)
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if diff := cmp.Diff([]string{"new", notFound, "added", "3"}, gotGets); diff != "" {
		t.Errorf("Gets inside Update mismatch (-want +got):\n%s", diff)
	}
	want := []pair{{"a", "new"}, {"bb", "added"}, {"c", "3"}}
	if diff := cmp.Diff(want, gotScan); diff != "" {
		t.Errorf("Scan inside Update mismatch (-want +got):\n%s", diff)
	}
	wantStore(t, e, want)
}

// errAbort is the error test transactions fail with.
var errAbort = errors.New("storagetest: abort")

func testErrorRollsBack(t *testing.T, e storage.Engine) {
	set(t, e, "a", "1", "b", "2")
	err := e.Update(t.Context(), func(tx storage.Tx) error {
		for i := range 100 {
			if err := tx.Set([]byte{'n', byte(i)}, []byte("x")); err != nil {
				return err
			}
		}
		if err := errors.Join(tx.Set([]byte("a"), []byte("changed")), tx.Delete([]byte("b"))); err != nil {
			return err
		}
		return errAbort
	})
	if !errors.Is(err, errAbort) {
		t.Errorf("Update error = %v, want errAbort", err)
	}
	wantStore(t, e, []pair{{"a", "1"}, {"b", "2"}})
}

func testReadOnlyUpdate(t *testing.T, e storage.Engine) {
	set(t, e, "a", "1")
	var got string
	err := e.Update(t.Context(), func(tx storage.Tx) error {
		var err error
		got, err = readString(tx, "a")
		return err
	})
	if err != nil || got != "1" {
		t.Errorf("Update(get a) = %q, %v; want \"1\", nil", got, err)
	}
}
