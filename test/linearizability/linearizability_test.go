package linearizability_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/fogbank/fogbank/internal/fogproc"
	"github.com/fogbank/fogbank/internal/fogtest"
	"github.com/fogbank/fogbank/test/linearizability"
)

// checkTimeout bounds porcupine's search; the histories here check in well
// under a second.
const checkTimeout = 20 * time.Second

// allKinds weights the operations: reads and versioned updates most.
var allKinds = []linearizability.Kind{
	linearizability.Get, linearizability.Get,
	linearizability.Put,
	linearizability.Update, linearizability.Update, linearizability.Update,
	linearizability.Increment, linearizability.Increment,
	linearizability.Delete,
}

var keys = []string{"k0", "k1", "k2", "k3"}

// newStore starts an in-process server with a table and returns its Store;
// the client never retries, so each call is one request.
func newStore(t *testing.T) linearizability.SDK {
	t.Helper()
	db := fogtest.Start(t).DynamoDB(func(o *dynamodb.Options) { o.Retryer = aws.NopRetryer{} })
	store := linearizability.SDK{DB: db, Table: "lin"}
	if err := store.CreateTable(t.Context()); err != nil {
		t.Fatal(err)
	}
	return store
}

func TestLinearizable(t *testing.T) {
	t.Parallel()
	store := newStore(t)
	h := linearizability.NewHistory()
	w := linearizability.Workload{Keys: keys, Clients: 8, OpsPerClient: 200, Duration: 3 * time.Second,
		Kinds: allKinds, LateEffects: true, Seed: rand.Uint64()}
	st := w.Run(t.Context(), store, h)
	t.Logf("seed %d: %d calls, %d failed conditions, %d errors", w.Seed, st.Calls, st.Failed, st.Errors)
	if st.Errors > 0 {
		t.Errorf("%d calls failed; first: %v", st.Errors, st.FirstErr)
	}
	if st.Failed == 0 {
		t.Errorf("no condition failed in %d calls: the workload did not race", st.Calls)
	}
	expect(t, h, porcupine.Ok)
}

// TestNonAtomicUpdateIsRejected shows that the checker has teeth: the same
// workload, with the conditional update done as read, client-side check and
// unconditional put, races on one key until two updates of one version
// both succeed, and porcupine must call the history illegal.
func TestNonAtomicUpdateIsRejected(t *testing.T) {
	t.Parallel()
	store := linearizability.NonAtomic{SDK: newStore(t)}
	for attempt := range 5 {
		h := linearizability.NewHistory()
		w := linearizability.Workload{Keys: []string{fmt.Sprintf("hot%d", attempt)}, Clients: 8, OpsPerClient: 60,
			Duration: 2 * time.Second, Kinds: []linearizability.Kind{linearizability.Update}, LateEffects: true, Seed: rand.Uint64()}
		st := w.Run(t.Context(), store, h)
		if st.Errors > 0 {
			t.Fatalf("%d calls failed; first: %v", st.Errors, st.FirstErr)
		}
		v := h.Check(checkTimeout)
		t.Logf("attempt %d: %d calls, %d failed conditions: %v", attempt, st.Calls, st.Failed, v.Result)
		if v.Result == porcupine.Illegal {
			return
		}
	}
	t.Error("porcupine accepted every history of the non-atomic update: the checker has no teeth")
}

// TestLinearizableAcrossKillNine runs the workload against the built binary,
// kills it with SIGKILL mid-run, restarts it on the same data directory and
// runs again: calls in flight at the kill may or may not have taken effect,
// and every acknowledged one must still be visible to the reads after.
func TestLinearizableAcrossKillNine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server process")
	}
	t.Parallel()
	ctx := t.Context()
	bin, err := fogproc.Build(ctx, "../..", "./cmd/fogbank", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv := &fogproc.Server{Bin: bin, DataDir: t.TempDir(), Stderr: logFile(t)}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	store := linearizability.SDK{DB: srv.DynamoDB(), Table: "lin"}
	if err := store.CreateTable(ctx); err != nil {
		t.Fatal(err)
	}
	h := linearizability.NewHistory()
	w := linearizability.Workload{Keys: keys, Clients: 8, OpsPerClient: 1000, Duration: 2 * time.Second,
		Kinds: allKinds, StopOnError: true, Seed: rand.Uint64()}
	before := runAndKill(t, w, store, srv, h)
	if err := srv.Start(ctx); err != nil {
		t.Fatalf("restart: %v", err)
	}
	w.FirstClient, w.OpsPerClient, w.StopOnError = w.Clients, 100, false
	after := w.Run(ctx, store, h)
	t.Logf("seed %d: before the kill %d calls (%d cut short by it), after the restart %d calls",
		w.Seed, before.Calls, before.Errors, after.Calls)
	if after.Errors > 0 {
		t.Errorf("after the restart %d calls failed; first: %v", after.Errors, after.FirstErr)
	}
	expect(t, h, porcupine.Ok)
}

// runAndKill runs w and kills srv with SIGKILL while it runs.
func runAndKill(t *testing.T, w linearizability.Workload, store linearizability.Store, srv *fogproc.Server, h *linearizability.History) linearizability.Stats {
	t.Helper()
	killed := make(chan error, 1)
	go func() {
		time.Sleep(time.Duration(200+rand.IntN(500)) * time.Millisecond)
		killed <- srv.Kill()
	}()
	st := w.Run(context.Background(), store, h)
	if err := <-killed; err != nil {
		t.Fatalf("kill: %v", err)
	}
	return st
}

// expect checks h and fails the test unless the result is want, leaving
// porcupine's visualisation in the test's artifact directory.
func expect(t *testing.T, h *linearizability.History, want porcupine.CheckResult) {
	t.Helper()
	v := h.Check(checkTimeout)
	if v.Result == want {
		return
	}
	dir := t.ArtifactDir()
	if err := v.Visualize(filepath.Join(dir, "history.html")); err != nil {
		t.Logf("visualize: %v", err)
	}
	if err := writeText(h, filepath.Join(dir, "history.txt")); err != nil {
		t.Logf("history: %v", err)
	}
	t.Errorf("check of %d calls: %v, want %v (history.html and history.txt in %s; keep them with -artifacts)", h.Len(), v.Result, want, dir)
}

func writeText(h *linearizability.History, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	return errors.Join(h.WriteText(f), f.Close())
}

func logFile(t *testing.T) *os.File {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
