package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/fogbank/fogbank/bench/internal/runtimeapi"
	"github.com/fogbank/fogbank/internal/sandbox"
)

// The relay is the second baseline: the least any gateway in front of
// Lambda functions must do on this machine. A bare net/http server hands
// each GET /hello, as a fixed payload 2.0 event, to one of c processes of
// the same Go function, each polling a bare Runtime API of its own
// (package runtimeapi), and answers with the function's body. No
// routing, authorisation, logs, limits or durability. The relay is a
// process of its own, as Fogbank is, and its function processes are
// started as Fogbank starts a 128 MB function's (package sandbox, one CPU
// each), so that the two differ only in what stands in front of them.

// relayEvent is the event every relayed request becomes.
var relayEvent = []byte(`{"version":"2.0","routeKey":"GET /hello","rawPath":"/hello","headers":{},` +
	`"requestContext":{"http":{"method":"GET","path":"/hello"}},"isBase64Encoded":false}`)

// relayEnv is one function process and its Runtime API.
type relayEnv struct {
	api  *runtimeapi.Server
	proc *sandbox.Process
}

// startRelayEnv starts bootstrap with a bare Runtime API, its sandbox
// directory under root.
func startRelayEnv(bootstrap, root string) (*relayEnv, error) {
	api, err := runtimeapi.Start()
	if err != nil {
		return nil, err
	}
	proc, err := sandbox.Start(sandbox.Spec{Path: bootstrap, Dir: filepath.Dir(bootstrap), Root: root, CPUs: 1,
		Env: []string{"AWS_LAMBDA_RUNTIME_API=" + api.Addr, "_HANDLER=bootstrap", "PATH=" + os.Getenv("PATH")}})
	if err != nil {
		api.Close()
		return nil, err
	}
	return &relayEnv{api: api, proc: proc}, nil
}

func (e *relayEnv) stop() {
	_ = e.proc.Stop(0)
	e.api.Close()
}

// relay is the baseline's server and its function processes.
type relay struct {
	envs []*relayEnv
	srv  *http.Server
	url  string
}

// startRelay starts c function processes, their sandbox directories under
// root, and the relay in front of them.
func startRelay(c int, bootstrap, root string) (*relay, error) {
	r := &relay{}
	idle := make(chan *relayEnv, c)
	for range c {
		e, err := startRelayEnv(bootstrap, root)
		if err != nil {
			r.stop()
			return nil, err
		}
		r.envs = append(r.envs, e)
		idle <- e
	}
	r.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		e := <-idle
		b, err := e.api.Invoke(req.Context(), relayEvent)
		idle <- e
		writeRelayed(w, b, err)
	}), ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		r.stop()
		return nil, err
	}
	go func() { _ = r.srv.Serve(ln) }()
	r.url = "http://" + ln.Addr().String() + "/hello"
	return r, nil
}

// writeRelayed answers with the function's payload 2.0 response b.
func writeRelayed(w http.ResponseWriter, b []byte, err error) {
	var resp struct {
		StatusCode int               `json:"statusCode"`
		Headers    map[string]string `json:"headers"`
		Body       string            `json:"body"`
	}
	if err == nil {
		err = json.Unmarshal(b, &resp)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.WriteString(w, resp.Body)
}

func (r *relay) stop() {
	if r.srv != nil {
		_ = r.srv.Close()
	}
	for _, e := range r.envs {
		e.stop()
	}
}

// relayFlag is the flag that makes the benchmark binary the relay process.
const relayFlag = "relay"

// relayProcess is the relay running in a child process.
type relayProcess struct {
	cmd   *exec.Cmd
	stdin io.Closer // open while the relay should run
	url   string
}

// startRelayProcess runs this binary as the relay in front of c processes
// of bootstrap, and waits for the URL it prints.
func startRelayProcess(c int, bootstrap string) (*relayProcess, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-"+relayFlag, bootstrap, "-c", strconv.Itoa(c))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		_ = stdin.Close()
		_ = cmd.Wait()
		return nil, fmt.Errorf("relay: %w", err)
	}
	return &relayProcess{cmd: cmd, stdin: stdin, url: strings.TrimSpace(line)}, nil
}

// stop ends the relay, which stops its function processes.
func (r *relayProcess) stop() {
	_ = r.stdin.Close()
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	_ = r.cmd.Wait()
}

// serveRelay is the relay process: it starts c processes of bootstrap and
// the relay, prints the relay's URL, and serves until SIGTERM or until its
// standard input closes (the benchmark is gone).
func serveRelay(c int, bootstrap string) error {
	root, err := os.MkdirTemp("", "fogbank-bench-relay-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	r, err := startRelay(c, bootstrap, root)
	if err != nil {
		return err
	}
	defer r.stop()
	fmt.Println(r.url)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop()
	}()
	<-ctx.Done()
	return nil
}
