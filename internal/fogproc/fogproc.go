// Package fogproc runs the built fogbank binary as a child process, for the
// tests and benchmarks that must treat Fogbank as users do: a separate process
// on a loopback port that can be killed with SIGKILL and restarted on the same
// data directory.
package fogproc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Fixed root credentials the child processes are started with.
const (
	AccessKeyID     = "AKIAFOGPROCTESTKEY01"
	SecretAccessKey = "fogproc/test/secret/key/0000000000000000"
	Region          = "us-east-1"
)

// Build compiles the Go package pkg (e.g. "./cmd/fogbank", relative to the
// module root dir) into dir and returns the binary's path. It builds as
// Fogbank is released: a static, pure-Go binary (CGO_ENABLED=0), which
// starts sooner and maps fewer pages than one linked against libc.
func Build(ctx context.Context, moduleRoot, pkg, dir string) (string, error) {
	bin := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, pkg)
	cmd.Dir = moduleRoot
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("fogproc: go build %s: %w\n%s", pkg, err, out)
	}
	return bin, nil
}

// Server is one running fogbank child process.
type Server struct {
	// Bin is the fogbank binary.
	Bin string
	// DataDir is the data directory the process serves.
	DataDir string
	// Addr is the host:port it listens on.
	Addr string
	// Stderr receives the process's log output; os.Stderr when nil.
	Stderr *os.File
	// Args are extra arguments after "serve".
	Args []string
	// Env holds extra environment variables (KEY=value) for the process,
	// after its own and the fixed root credentials, which they override: an
	// empty FOGBANK_ROOT_ACCESS_KEY_ID and FOGBANK_ROOT_SECRET_ACCESS_KEY
	// start it without explicit root credentials.
	Env []string

	cmd *exec.Cmd
}

// Start launches the process on a free loopback port and waits until its
// health endpoint answers.
func (s *Server) Start(ctx context.Context) error {
	if s.Addr == "" {
		addr, err := FreeAddr()
		if err != nil {
			return err
		}
		s.Addr = addr
	}
	args := append([]string{"serve", "--listen", s.Addr, "--data-dir", s.DataDir}, s.Args...)
	s.cmd = exec.Command(s.Bin, args...)
	s.cmd.Env = append(os.Environ(),
		"FOGBANK_ROOT_ACCESS_KEY_ID="+AccessKeyID,
		"FOGBANK_ROOT_SECRET_ACCESS_KEY="+SecretAccessKey)
	s.cmd.Env = append(s.cmd.Env, s.Env...)
	s.cmd.Stdout = s.stderr()
	s.cmd.Stderr = s.stderr()
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("fogproc: start %s: %w", s.Bin, err)
	}
	return s.waitHealthy(ctx)
}

func (s *Server) stderr() *os.File {
	if s.Stderr != nil {
		return s.Stderr
	}
	return os.Stderr
}

func (s *Server) waitHealthy(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	url := s.URL() + "/_fogbank/health"
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			s.Kill()
			return fmt.Errorf("fogproc: %s not healthy: %w", url, ctx.Err())
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// URL is the endpoint URL, e.g. http://127.0.0.1:4566.
func (s *Server) URL() string { return "http://" + s.Addr }

// Kill stops the process with SIGKILL, as a crash would, and reaps it.
func (s *Server) Kill() error { return s.signal(syscall.SIGKILL) }

// Stop asks the process to shut down with SIGTERM and waits for it.
func (s *Server) Stop() error { return s.signal(syscall.SIGTERM) }

func (s *Server) signal(sig syscall.Signal) error {
	if s.cmd == nil || s.cmd.Process == nil {
		return errors.New("fogproc: not started")
	}
	if err := s.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("fogproc: signal: %w", err)
	}
	err := s.cmd.Wait()
	s.cmd = nil
	var exit *exec.ExitError
	if sig == syscall.SIGKILL && errors.As(err, &exit) {
		return nil
	}
	return err
}

// Pid is the process id of the running process.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// AWSConfig returns an SDK config for this server with the fixed root
// credentials, no retries and a connection pool sized for concurrent load.
func (s *Server) AWSConfig() aws.Config {
	return ClientConfig(s.URL())
}

// DynamoDB returns a DynamoDB client for this server.
func (s *Server) DynamoDB() *dynamodb.Client {
	return dynamodb.NewFromConfig(s.AWSConfig())
}

// ClientConfig returns an SDK config for endpoint with the fixed root
// credentials, no retries and a connection pool sized for concurrent load.
func ClientConfig(endpoint string) aws.Config {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns = 1024
	transport.MaxIdleConnsPerHost = 1024
	return aws.Config{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
		BaseEndpoint: aws.String(endpoint),
		HTTPClient:   &http.Client{Transport: transport},
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// FreeAddr returns a loopback address with a port that was free a moment ago.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("fogproc: free port: %w", err)
	}
	defer ln.Close()
	return "127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), nil
}

// RSS returns the resident set size (VmRSS) of process pid, in bytes.
func RSS(pid int) (int64, error) {
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, fmt.Errorf("fogproc: %w", err)
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kib, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kib << 10, err
		}
	}
	return 0, fmt.Errorf("fogproc: no VmRSS in /proc/%d/status", pid)
}
