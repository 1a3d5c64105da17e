package sandbox_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/fogbank/fogbank/internal/sandbox"
)

// hogEnv makes the test binary, started by a test, allocate and touch the
// number of MiB it gives, print "allocated" and wait to be killed.
const hogEnv = "SANDBOX_TEST_HOG_MIB"

func TestMain(m *testing.M) {
	if mib, err := strconv.Atoi(os.Getenv(hogEnv)); err == nil {
		hog(mib)
	}
	goleak.VerifyTestMain(m)
}

func hog(mib int) {
	b := make([]byte, mib<<20)
	for i := range b {
		b[i] = 1
	}
	fmt.Println("allocated", len(b)>>20)
	time.Sleep(time.Minute)
	os.Exit(0)
}

func shell(t *testing.T, script string) *sandbox.Process {
	t.Helper()
	p, err := sandbox.Start(sandbox.Spec{Path: "/bin/sh", Args: []string{"-c", script}, Dir: t.TempDir(),
		Env: []string{"GREETING=hello"}, Root: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func waitLog(t *testing.T, p *sandbox.Process, want string) string {
	t.Helper()
	var all string
	for range 200 {
		for _, l := range p.ReadLog() {
			all += string(l.Text)
		}
		if strings.Contains(all, want) {
			return all
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("log %q never contained %q", all, want)
	return ""
}

func TestEnvLogAndStop(t *testing.T) {
	t.Parallel()
	// The child sleep ignores nothing but is a separate process: Stop must
	// reach it through the process group.
	p := shell(t, `echo "$GREETING $TMPDIR"; echo oops >&2; sleep 60 & echo "child $!"; wait`)
	got := waitLog(t, p, "child ")
	got, child, _ := strings.Cut(got, "child ")
	if diff := cmp.Diff("hello "+p.TmpDir()+"\noops\n", got); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
	if lines := p.ReadLog(); len(lines) != 0 {
		t.Errorf("second ReadLog = %q, want nothing new", lines)
	}
	if err := p.Stop(time.Second); err != nil {
		t.Fatal(err)
	}
	if got := p.ExitError().Error(); got != "signal: terminated" {
		t.Errorf("ExitError = %q", got)
	}
	if alive(strings.TrimSpace(child)) {
		t.Error("the child of the process survived Stop")
	}
	if _, err := os.Stat(p.TmpDir()); !os.IsNotExist(err) {
		t.Errorf("tmp dir not removed: %v", err)
	}
}

// alive reports whether the process pid exists and is not a zombie.
func alive(pid string) bool {
	for range 100 {
		stat, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil {
			return false
		}
		_, rest, _ := strings.Cut(string(stat), ") ")
		if strings.HasPrefix(rest, "Z") {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

func TestStopKillsAfterGrace(t *testing.T) {
	t.Parallel()
	p := shell(t, `trap "" TERM; echo ready; while :; do sleep 0.05; done`)
	waitLog(t, p, "ready")
	if err := p.Stop(100 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if got := p.ExitError().Error(); got != "signal: killed" {
		t.Errorf("ExitError = %q", got)
	}
}

func TestExit(t *testing.T) {
	t.Parallel()
	p := shell(t, `exit 3`)
	<-p.Done()
	if got := p.ExitError().Error(); got != "exit status 3" {
		t.Errorf("ExitError = %q", got)
	}
	if err := p.Stop(time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestPool(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var stopped []string
	pool := sandbox.NewPool(sandbox.PoolOptions[string]{IdleTimeout: 50 * time.Millisecond, Stop: func(e string) {
		mu.Lock()
		defer mu.Unlock()
		stopped = append(stopped, e)
	}})
	pool.Put("k", "a")
	pool.Put("k", "b")
	if e, ok := pool.Get("k"); !ok || e != "b" {
		t.Errorf("Get = %q, %v; want the most recent", e, ok)
	}
	if _, ok := pool.Get("other"); ok {
		t.Error("Get of an empty key succeeded")
	}
	time.Sleep(150 * time.Millisecond)
	if n := pool.Idle("k"); n != 0 {
		t.Errorf("Idle = %d after the idle timeout", n)
	}
	pool.Put("k", "c")
	pool.Put("j", "d")
	pool.Evict("j")
	pool.Close()
	pool.Put("k", "e")
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff([]string{"a", "d", "c", "e"}, stopped); diff != "" {
		t.Errorf("stopped (-want +got):\n%s", diff)
	}
}

func TestLogLineTimes(t *testing.T) {
	t.Parallel()
	gate := filepath.Join(t.TempDir(), "gate")
	p := shell(t, `echo one; while [ ! -e `+gate+` ]; do sleep 0.01; done; echo two; printf partial; echo done >&2`)
	t.Cleanup(func() { _ = p.Stop(time.Second) })
	var lines []sandbox.Line
	for len(lines) == 0 {
		lines = p.ReadLog()
		time.Sleep(10 * time.Millisecond)
	}
	opened := time.Now()
	if err := os.WriteFile(gate, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	<-p.Done()
	lines = append(lines, p.ReadLog()...)
	var texts []string
	for _, l := range lines {
		texts = append(texts, string(l.Text))
	}
	if diff := cmp.Diff([]string{"one\n", "two\n", "partialdone\n"}, texts); diff != "" {
		t.Fatalf("lines (-want +got):\n%s", diff)
	}
	// "two" was written after the gate opened, "one" read before.
	if !lines[0].Time.Before(opened) || lines[1].Time.Before(opened) {
		t.Errorf("line one at %v, two at %v; the gate opened at %v", lines[0].Time, lines[1].Time, opened)
	}
}

// self starts the test binary as a sandbox process allocating mib MiB,
// through sh when viaShell is set (so that the hog is a descendant).
func self(t *testing.T, mib int, limit int64, viaShell bool) *sandbox.Process {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	spec := sandbox.Spec{Path: exe, Dir: t.TempDir(), Root: t.TempDir(), MemoryLimit: limit,
		Env: []string{hogEnv + "=" + strconv.Itoa(mib)}}
	if viaShell {
		spec.Path, spec.Args = "/bin/sh", []string{"-c", `"$0"; echo "child ended"`, exe}
	}
	p, err := sandbox.Start(spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Stop(time.Second) })
	return p
}

func TestMemoryLimit(t *testing.T) {
	t.Parallel()
	for _, viaShell := range []bool{false, true} {
		p := self(t, 96, 48<<20, viaShell)
		select {
		case <-p.Done():
		case <-time.After(30 * time.Second):
			t.Fatal("the process over its memory limit was not killed")
		}
		if got := p.ExitError().Error(); got != "signal: killed" || !p.OutOfMemory() {
			t.Errorf("via shell %v: ExitError = %q, OutOfMemory = %v", viaShell, got, p.OutOfMemory())
		}
		if peak := p.MaxMemory(); peak < 40<<20 || peak > 48<<20 {
			t.Errorf("via shell %v: MaxMemory = %d MiB, want near the 48 MiB limit", viaShell, peak>>20)
		}
	}
	// Under the limit the process lives on.
	p := self(t, 16, 128<<20, false)
	waitLog(t, p, "allocated 16")
	if p.OutOfMemory() {
		t.Error("a process under its limit was killed")
	}
	if peak := p.MaxMemory(); peak < 16<<20 {
		t.Errorf("MaxMemory = %d MiB, want at least 16", peak>>20)
	}
}

func TestPrivateTmp(t *testing.T) {
	t.Parallel()
	base, err := os.MkdirTemp("/var/tmp", "sandbox-test-")
	if err != nil {
		t.Skipf("no directory outside /tmp: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(base) })
	name := "fogbank-private-" + strconv.Itoa(os.Getpid())
	var procs []*sandbox.Process
	for i := range 2 {
		p, err := sandbox.Start(sandbox.Spec{Path: "/bin/sh", Args: []string{"-c", `echo "$0" > /tmp/` + name + `; cat /tmp/` + name, strconv.Itoa(i)},
			Dir: base, Root: base})
		if err != nil {
			t.Fatal(err)
		}
		procs = append(procs, p)
		if got := waitLog(t, p, "\n"); os.Geteuid() == 0 && got != strconv.Itoa(i)+"\n" {
			t.Errorf("sandbox %d read %q from its /tmp", i, got)
		}
	}
	if os.Geteuid() != 0 {
		if procs[0].PrivateTmp() {
			t.Error("PrivateTmp without root")
		}
		_ = os.Remove(filepath.Join("/tmp", name))
		t.Skip("not root: /tmp is the host's")
	}
	if _, err := os.Stat(filepath.Join("/tmp", name)); !os.IsNotExist(err) {
		t.Errorf("the host's /tmp got the sandbox's file: %v", err)
	}
	for i, p := range procs {
		if b, err := os.ReadFile(filepath.Join(p.TmpDir(), name)); !p.PrivateTmp() || err != nil || string(b) != strconv.Itoa(i)+"\n" {
			t.Errorf("sandbox %d: PrivateTmp %v, its directory holds %q, %v", i, p.PrivateTmp(), b, err)
		}
		if err := p.Stop(time.Second); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(p.TmpDir()); !os.IsNotExist(err) {
			t.Errorf("tmp dir not removed: %v", err)
		}
	}
}

// TestCPUs shows a process confined to its share of the CPUs: one CPU
// each, the least used first, and every CPU without a share.
func TestCPUs(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	allowed := func(cpus int) (string, *sandbox.Process) {
		p, err := sandbox.Start(sandbox.Spec{Path: "/bin/sh", Args: []string{"-c", "grep Cpus_allowed_list /proc/self/status; sleep 60"},
			Dir: base, Root: base, CPUs: cpus})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Stop(time.Second) })
		line := waitLog(t, p, "\n")
		return strings.TrimSpace(strings.TrimPrefix(line, "Cpus_allowed_list:")), p
	}
	all, _ := allowed(0)
	if runtime.NumCPU() < 2 {
		t.Skipf("one CPU (%s): nothing to share", all)
	}
	first, _ := allowed(1)
	second, _ := allowed(1)
	if _, err := strconv.Atoi(first); err != nil || first == second {
		t.Errorf("two one-CPU processes got CPUs %q and %q, want one each, different ones (all: %q)", first, second, all)
	}
	if whole, _ := allowed(runtime.NumCPU()); whole != all {
		t.Errorf("a process with every CPU got %q, want %q", whole, all)
	}
}
