package storagetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/storage"
)

var isolationTests = []conformanceTest{
	{"ViewSnapshotIsolation", testViewSnapshotIsolation},
	{"ConcurrentIncrementsSameKey", func(t *testing.T, e storage.Engine) { testIncrements(t, e, 1) }},
	{"ConcurrentIncrementsDistinctKeys", func(t *testing.T, e storage.Engine) { testIncrements(t, e, 8) }},
	{"BankTransfers", testBankTransfers},
}

// testViewSnapshotIsolation checks that a View started before an Update sees
// none of its writes, across several reads, while a View started after sees
// all of them.
func testViewSnapshotIsolation(t *testing.T, e storage.Engine) {
	set(t, e, "a", "1", "b", "2")
	before := []pair{{"a", "1"}, {"b", "2"}}
	after := []pair{{"a", "changed"}, {"c", "added"}}
	err := e.View(t.Context(), func(tx storage.ReadTx) error {
		if err := checkView(t, tx, "before the Update", before); err != nil {
			return err
		}
		err := e.Update(t.Context(), func(w storage.Tx) error {
			return errors.Join(
				w.Set([]byte("a"), []byte("changed")),
				w.Delete([]byte("b")),
				w.Set([]byte("c"), []byte("added")),
			)
		})
		if err != nil {
			return fmt.Errorf("Update inside View: %w", err)
		}
		if err := checkView(t, tx, "after the Update", before); err != nil {
			return err
		}
		wantStore(t, e, after)
		return checkView(t, tx, "after a later View", before)
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	wantStore(t, e, after)
}

// checkView checks that tx reads want both by Get and by Scan.
func checkView(t *testing.T, tx storage.ReadTx, when string, want []pair) error {
	t.Helper()
	var gets []pair
	for _, k := range []string{"a", "b", "c"} {
		v, err := readString(tx, k)
		if err != nil {
			return err
		}
		if v != notFound {
			gets = append(gets, pair{k, v})
		}
	}
	if diff := cmp.Diff(want, gets); diff != "" {
		t.Errorf("View Gets %s mismatch (-want +got):\n%s", when, diff)
	}
	scan, err := scanAll(tx, storage.Range{})
	if diff := cmp.Diff(want, scan); diff != "" {
		t.Errorf("View Scan %s mismatch (-want +got):\n%s", when, diff)
	}
	return err
}

// Contention parameters: workers goroutines each commit rounds transactions.
const (
	workers = 8
	rounds  = 50
)

// testIncrements has workers goroutines each increment a counter rounds
// times with read-modify-write Updates, spread over nkeys counters, and
// checks that no increment is lost.
func testIncrements(t *testing.T, e storage.Engine, nkeys int) {
	var wg sync.WaitGroup
	for w := range workers {
		key := []byte("counter/" + strconv.Itoa(w%nkeys))
		wg.Go(func() {
			for range rounds {
				if err := e.Update(t.Context(), func(tx storage.Tx) error { return increment(tx, key, 1) }); err != nil {
					t.Errorf("Update(increment %s): %v", key, err)
					return
				}
			}
		})
	}
	wg.Wait()
	var want []pair
	for k := range nkeys {
		n := workers / nkeys * rounds
		want = append(want, pair{"counter/" + strconv.Itoa(k), strconv.Itoa(n)})
	}
	wantStore(t, e, want)
}

// increment adds delta to the decimal counter at key (missing means 0).
func increment(tx storage.Tx, key []byte, delta int) error {
	n, err := readInt(tx, key)
	if err != nil {
		return err
	}
	return tx.Set(key, []byte(strconv.Itoa(n+delta)))
}

// readInt reads the decimal integer at key; a missing key reads as 0.
func readInt(tx storage.ReadTx, key []byte) (int, error) {
	v, err := tx.Get(key)
	if errors.Is(err, storage.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(string(v))
}

// Bank parameters: accounts accounts start with balance each.
const (
	accounts = 5
	balance  = 100
	bankKeys = "acct/"
)

// testBankTransfers moves money between accounts from concurrent Updates
// while concurrent Views check that the total never changes and no balance
// goes negative.
func testBankTransfers(t *testing.T, e storage.Engine) {
	var kvs []string
	for i := range accounts {
		kvs = append(kvs, accountKey(i), strconv.Itoa(balance))
	}
	set(t, e, kvs...)

	var writers, readers sync.WaitGroup
	var done atomic.Bool
	for w := range workers {
		rng := rand.New(rand.NewPCG(uint64(w), 1))
		writers.Go(func() { transferLoop(t, e, rng) })
	}
	for range 2 {
		readers.Go(func() {
			for !done.Load() {
				checkBankTotal(t, e)
			}
		})
	}
	writers.Wait()
	done.Store(true)
	readers.Wait()
	checkBankTotal(t, e)
}

// accountKey is the key of account i.
func accountKey(i int) string { return bankKeys + strconv.Itoa(i) }

// transferLoop commits rounds random transfers between distinct accounts,
// skipping any that would overdraw the source.
func transferLoop(t *testing.T, e storage.Engine, rng *rand.Rand) {
	for range rounds {
		from, to := rng.IntN(accounts), rng.IntN(accounts-1)
		if to >= from {
			to++
		}
		amount := 1 + rng.IntN(30)
		err := e.Update(t.Context(), func(tx storage.Tx) error {
			have, err := readInt(tx, []byte(accountKey(from)))
			if err != nil || have < amount {
				return err
			}
			return errors.Join(
				increment(tx, []byte(accountKey(from)), -amount),
				increment(tx, []byte(accountKey(to)), amount),
			)
		})
		if err != nil {
			t.Errorf("Update(transfer): %v", err)
			return
		}
	}
}

// checkBankTotal reads all balances in one View, by Gets and by a Scan, and
// checks the invariants.
func checkBankTotal(t *testing.T, e storage.Engine) {
	err := e.View(t.Context(), func(tx storage.ReadTx) error {
		byGet := 0
		for i := range accounts {
			n, err := readInt(tx, []byte(accountKey(i)))
			if err != nil {
				return err
			}
			if n < 0 {
				t.Errorf("account %d has balance %d", i, n)
			}
			byGet += n
		}
		byScan := 0
		err := tx.Scan(storage.Range{Start: []byte(bankKeys), End: storage.PrefixEnd([]byte(bankKeys))}, func(_, v []byte) bool {
			n, err := strconv.Atoi(string(v))
			if err != nil {
				t.Errorf("bad balance %q", v)
			}
			byScan += n
			return true
		})
		if want := accounts * balance; byGet != want || byScan != want {
			t.Errorf("total balance by Get = %d, by Scan = %d; want %d", byGet, byScan, want)
		}
		return err
	})
	if err != nil {
		t.Errorf("View(check total): %v", err)
	}
}
