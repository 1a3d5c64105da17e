package sandbox_test

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/fogbank/fogbank/internal/sandbox"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

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
		b, err := p.ReadLog()
		if err != nil {
			t.Fatal(err)
		}
		all += string(b)
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
	if b, _ := p.ReadLog(); len(b) != 0 {
		t.Errorf("second ReadLog = %q, want nothing new", b)
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

func TestReadLogFreesDisk(t *testing.T) {
	t.Parallel()
	// 4 MiB of output, read as it comes: the file keeps almost nothing on disk.
	p := shell(t, `head -c 4194304 /dev/zero | tr '\0' x; echo; echo done`)
	got := waitLog(t, p, "done")
	if len(got) != 4<<20+6 {
		t.Errorf("read %d bytes, want %d", len(got), 4<<20+6)
	}
	usage, err := p.LogDiskUsage()
	if err != nil {
		t.Fatal(err)
	}
	if usage > 64<<10 {
		t.Errorf("log file uses %d bytes on disk after being read", usage)
	}
	if err := p.Stop(time.Second); err != nil {
		t.Fatal(err)
	}
}
