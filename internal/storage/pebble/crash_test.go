package pebble

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/fogbank/fogbank/internal/storage"
)

// crashChildEnv, when set to a directory, makes the test binary run as the
// writer process of TestCrashDurability instead of running tests.
const crashChildEnv = "FOGBANK_PEBBLE_CRASH_CHILD_DIR"

// Crash test shape: crashWriters goroutines in the child commit keys until
// the parent has read enough acknowledgements (or crashMaxWait has passed
// since the first) and kills it.
const (
	crashRounds   = 3
	crashWriters  = 4
	crashAcks     = 150
	crashMaxWait  = 2 * time.Second
	crashLifetime = 30 * time.Second // the child gives up on its own after this
)

// runCrashChild commits keys from several goroutines and prints each key to
// stdout once its Update has returned nil. It runs until killed.
func runCrashChild(dir string) int {
	e, err := Open(dir, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var mu sync.Mutex // serializes acknowledgement lines
	var wg sync.WaitGroup
	deadline := time.Now().Add(crashLifetime)
	for w := range crashWriters {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				key := fmt.Sprintf("w%d/%06d", w, i)
				err := e.Update(context.Background(), func(tx storage.Tx) error { return tx.Set([]byte(key), []byte(key)) })
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					return
				}
				mu.Lock()
				_, err = fmt.Println(key)
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	return 2 // only reached if never killed
}

// TestCrashDurability SIGKILLs a writer process mid-stream and checks that
// every write it acknowledged survives in the reopened store.
func TestCrashDurability(t *testing.T) {
	t.Parallel()
	for round := range crashRounds {
		dir := t.TempDir()
		acked := runAndKillChild(t, dir, crashAcks*(round+1)/2)
		if len(acked) == 0 {
			t.Fatalf("round %d: the child acknowledged nothing", round)
		}
		e, err := Open(dir, Options{Logger: testLogger(t)})
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		got := readAll(t, e)
		if err := e.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		for _, key := range acked {
			if got[key] != key {
				t.Errorf("round %d: acknowledged key %s lost after SIGKILL (%d acknowledged, %d present)", round, key, len(acked), len(got))
			}
		}
	}
}

// runAndKillChild starts the writer child on dir, kills it after reading
// acks acknowledgements (or after crashMaxWait), and returns every key it
// acknowledged, including lines still in the pipe when it died.
func runAndKillChild(t *testing.T, dir string, acks int) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	stderr := new(lockedBuffer)
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start child: %v", err)
	}
	kill := sync.OnceFunc(func() { _ = cmd.Process.Kill() })
	// Until the first acknowledgement the child may be slow to start on a
	// loaded machine; after it, stop within crashMaxWait.
	timer := time.AfterFunc(crashLifetime, kill)
	defer timer.Stop()
	var acked []string
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		acked = append(acked, lines.Text())
		switch len(acked) {
		case 1:
			timer.Reset(crashMaxWait)
		case acks:
			kill()
		}
	}
	kill()
	if err := cmd.Wait(); err == nil {
		t.Fatalf("child exited cleanly, want it killed; stderr: %s", stderr)
	}
	if msg := stderr.String(); msg != "" {
		t.Logf("child stderr: %s", msg)
	}
	return acked
}

// lockedBuffer is a goroutine-safe strings.Builder for a child's stderr.
type lockedBuffer struct {
	mu  sync.Mutex
	buf []byte
}

// Write appends p.
func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// String returns what was written.
func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// TestCrashBeforeSync simulates a machine crash on an in-memory file system
// that drops every write not yet synced: each Update acknowledged before the
// crash must be in the recovered store.
func TestCrashBeforeSync(t *testing.T) {
	t.Parallel()
	fs := vfs.NewCrashableMem()
	e, err := open("db", Options{Logger: testLogger(t)}, fs)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	const crashAfter = 60 // acknowledgements before the crash
	var mu sync.Mutex     // guards acked
	var acked []string
	reached := make(chan struct{})
	signal := sync.OnceFunc(func() { close(reached) })
	var wg sync.WaitGroup
	for w := range crashWriters {
		wg.Go(func() {
			for i := range 50 {
				key := "w" + strconv.Itoa(w) + "/" + strconv.Itoa(i)
				if err := e.Update(t.Context(), func(tx storage.Tx) error { return tx.Set([]byte(key), []byte(key)) }); err != nil {
					t.Errorf("Update: %v", err)
					signal()
					return
				}
				mu.Lock()
				acked = append(acked, key)
				if len(acked) == crashAfter {
					signal()
				}
				mu.Unlock()
			}
		})
	}
	// Crash while the writers are running: everything acknowledged before
	// the clone starts must be in it.
	<-reached
	mu.Lock()
	before := append([]string(nil), acked...)
	crashed := fs.CrashClone(vfs.CrashCloneCfg{})
	mu.Unlock()
	wg.Wait()
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	checkRecovered(t, crashed, before)
}

// checkRecovered opens the store on fs and checks that every key in want
// is there.
func checkRecovered(t *testing.T, fs vfs.FS, want []string) {
	t.Helper()
	e, err := open("db", Options{Logger: testLogger(t)}, fs)
	if err != nil {
		t.Fatalf("open after crash: %v", err)
	}
	defer e.Close()
	got := readAll(t, e)
	for _, key := range want {
		if got[key] != key {
			t.Errorf("acknowledged key %s lost in the crash (%d acknowledged, %d recovered)", key, len(want), len(got))
		}
	}
}
