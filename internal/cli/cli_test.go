package cli

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/fogproc"
	"go.uber.org/goleak"
)

// childEnv, when set to 1, makes the test binary act as the fogbank binary
// (see cmd/fogbank), so tests can run `fogbank serve` as a child process
// without building it.
const childEnv = "FOGBANK_CLI_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(Main(os.Args[1:]))
	}
	goleak.VerifyTestMain(m)
}

func TestRunCommands(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		args       []string
		env        map[string]string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{name: "no command", wantCode: exitUsage, wantStderr: "Usage: fogbank"},
		{name: "version", args: []string{"version"}, wantCode: exitOK, wantStdout: "fogbank "},
		{name: "help", args: []string{"help"}, wantCode: exitOK, wantStdout: "Commands:"},
		{name: "unknown command", args: []string{"frobnicate"}, wantCode: exitUsage, wantStderr: `unknown command "frobnicate"`},
		{name: "serve help", args: []string{"serve", "-h"}, wantCode: exitOK, wantStderr: "-data-dir"},
		{name: "unknown flag", args: []string{"serve", "--nope"}, wantCode: exitUsage, wantStderr: "-nope"},
		{name: "stray argument", args: []string{"serve", "extra"}, wantCode: exitUsage, wantStderr: `unexpected argument "extra"`},
		{name: "bad flag value", args: []string{"serve", "--account-id", "12"}, wantCode: exitUsage, wantStderr: "account_id"},
		{name: "bad env value", args: []string{"serve"}, env: map[string]string{"FOGBANK_REGION": "Mars"}, wantCode: exitUsage, wantStderr: "region"},
		{name: "missing config file", args: []string{"serve", "--config", "/nonexistent.json"}, wantCode: exitUsage, wantStderr: "nonexistent.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			lookup := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
			code := run(t.Context(), tc.args, env{stdout: &stdout, stderr: &stderr, lookupEnv: lookup})
			if code != tc.wantCode {
				t.Errorf("run(%q) = %d, want %d; stderr:\n%s", tc.args, code, tc.wantCode, stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.wantStdout) {
				t.Errorf("run(%q) stdout = %q, want it to contain %q", tc.args, stdout.String(), tc.wantStdout)
			}
			if !strings.Contains(stderr.String(), tc.wantStderr) {
				t.Errorf("run(%q) stderr = %q, want it to contain %q", tc.args, stderr.String(), tc.wantStderr)
			}
		})
	}
}

// TestServeChild runs `fogbank serve` as a child process (this test binary
// acting as fogbank), waits until it answers the health check, stops it with
// SIGTERM and expects a clean exit with one startup line.
func TestServeChild(t *testing.T) {
	t.Parallel()
	dataDir := filepath.Join(t.TempDir(), "data")
	run := startServe(t, os.Args[0], dataDir, childEnv+"=1")
	run.stop(t)
	checkServeLog(t, run.stderr.String(), run.addr, dataDir)
	if info, err := os.Stat(filepath.Join(dataDir, "credentials")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("credentials file: %v, %v; want mode 0600", info, err)
	}
}

// TestFootprint builds the real binary and reports how soon `fogbank serve`
// answers on an empty data directory and its idle RSS, over several runs.
// It is opt-in (FOGBANK_FOOTPRINT=1) because linking takes a while.
func TestFootprint(t *testing.T) {
	if os.Getenv("FOGBANK_FOOTPRINT") != "1" {
		t.Skip("set FOGBANK_FOOTPRINT=1 to measure startup latency and idle RSS")
	}
	bin := buildBinary(t)
	const runs = 7
	var latencies []time.Duration
	var rss []int
	for range runs {
		run := startServe(t, bin, filepath.Join(t.TempDir(), "data"))
		time.Sleep(200 * time.Millisecond) // let the runtime settle before reading idle RSS
		latencies = append(latencies, run.latency)
		rssBytes, err := fogproc.RSS(run.cmd.Process.Pid)
		if err != nil {
			t.Fatal(err)
		}
		rss = append(rss, int(rssBytes>>10))
		run.stop(t)
	}
	slices.Sort(latencies)
	slices.Sort(rss)
	t.Logf("startup to first healthy answer over %d runs: min %v, median %v, max %v",
		runs, latencies[0].Round(100*time.Microsecond), latencies[runs/2].Round(100*time.Microsecond), latencies[runs-1].Round(100*time.Microsecond))
	t.Logf("idle RSS: min %.1f MiB, median %.1f MiB, max %.1f MiB",
		float64(rss[0])/1024, float64(rss[runs/2])/1024, float64(rss[runs-1])/1024)
}

// serveRun is a running `fogbank serve` child process.
type serveRun struct {
	cmd     *exec.Cmd
	addr    string
	stderr  *bytes.Buffer
	latency time.Duration // from exec to the first healthy answer
}

// startServe starts bin serve on a free port and a fresh data directory and
// waits until it is healthy.
func startServe(t *testing.T, bin, dataDir string, extraEnv ...string) *serveRun {
	t.Helper()
	run := &serveRun{addr: freeAddr(t), stderr: new(bytes.Buffer)}
	run.cmd = exec.Command(bin, "serve", "--listen", run.addr, "--data-dir", dataDir, "--log-format", "json")
	run.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, extraEnv...) // no FOGBANK_* from the shell
	run.cmd.Stderr = run.stderr
	start := time.Now()
	if err := run.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.cmd.Process.Kill() })
	waitHealthy(t, "http://"+run.addr)
	run.latency = time.Since(start)
	return run
}

// stop sends SIGTERM and expects a clean exit within a few seconds.
func (run *serveRun) stop(t *testing.T) {
	t.Helper()
	if err := run.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- run.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("fogbank serve exited with %v; stderr:\n%s", err, run.stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("fogbank serve did not stop within 10s of SIGTERM; stderr:\n%s", run.stderr.String())
	}
}

// checkServeLog checks the one startup line and the clean-stop line.
func checkServeLog(t *testing.T, log, addr, dataDir string) {
	t.Helper()
	var started, stopped int
	for line := range strings.Lines(log) {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil {
			continue // the plain-text credentials notice
		}
		switch rec["msg"] {
		case "fogbank serving":
			started++
			if rec["addr"] != addr || rec["data_dir"] != dataDir {
				t.Errorf("startup line %s: want addr %s and data_dir %s", line, addr, dataDir)
			}
		case "stopped":
			stopped++
		}
		if rec["level"] == "ERROR" {
			t.Errorf("error logged: %s", line)
		}
	}
	if started != 1 || stopped != 1 {
		t.Errorf("log has %d startup and %d stop lines, want 1 each:\n%s", started, stopped, log)
	}
	if !strings.Contains(log, "aws_secret_access_key = ") {
		t.Errorf("first start did not print the generated credentials:\n%s", log)
	}
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin, err := fogproc.Build(t.Context(), "../..", "./cmd/fogbank", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitHealthy polls the health endpoint every millisecond until it answers 200.
func waitHealthy(t *testing.T, url string) {
	t.Helper()
	start := time.Now()
	transport := &http.Transport{DisableKeepAlives: true}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: time.Second}
	for time.Since(start) < 10*time.Second {
		resp, err := client.Get(url + "/_fogbank/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("server never became healthy")
}
