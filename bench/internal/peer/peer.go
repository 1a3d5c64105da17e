// Package peer runs the servers Fogbank's benchmarks compare against: the
// npm packages users might run instead (dynalite for DynamoDB, s3rver for
// S3). Each is installed on first use with `npm install` into a cache
// directory outside the repository and started as a child process on a
// loopback port.
//
// Installing needs npm and the npm registry; when either is missing, Start
// fails and the benchmark reports the peer as skipped.
package peer

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Spec describes one peer: the npm package and how to start it.
type Spec struct {
	// Name is what the benchmark calls it, e.g. "dynalite".
	Name string
	// Package is the npm package and version, e.g. "dynalite@4.0.0".
	Package string
	// Bin is the executable under node_modules/.bin.
	Bin string
	// Args returns the command line for a server on addr's port keeping
	// its data in dir.
	Args func(port, dir string) []string
}

// Dynalite is the DynamoDB implementation on Node.js and LevelDB. It is
// started on a LevelDB store in a temporary directory (it does not fsync),
// with tables ACTIVE as soon as they are created.
var Dynalite = Spec{
	Name:    "dynalite",
	Package: "dynalite@4.0.0",
	Bin:     "dynalite",
	Args: func(port, dir string) []string {
		return []string{"--host", "127.0.0.1", "--port", port, "--path", dir,
			"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"}
	},
}

// S3rver is the S3 implementation on Node.js and the file system (it does
// not fsync). It accepts only its built-in key pair, S3rverKey for both the
// access key id and the secret key.
var S3rver = Spec{
	Name:    "s3rver",
	Package: "s3rver@3.7.1",
	Bin:     "s3rver",
	Args: func(port, dir string) []string {
		return []string{"--directory", dir, "--address", "127.0.0.1", "--port", port, "--silent"}
	},
}

// S3rverKey is s3rver's built-in access key id and secret key.
const S3rverKey = "S3RVER"

// Server is a running peer.
type Server struct {
	// URL is its endpoint, e.g. http://127.0.0.1:4567.
	URL string

	cmd *exec.Cmd
	dir string
	log *os.File
}

// CacheDir is where peers are installed: $FOGBANK_PEERS_DIR, or
// fogbank-peers under the user's cache directory.
func CacheDir() (string, error) {
	if dir := os.Getenv("FOGBANK_PEERS_DIR"); dir != "" {
		return dir, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("peer: %w", err)
	}
	return filepath.Join(cache, "fogbank-peers"), nil
}

// Start installs spec if needed and starts it on a free loopback port,
// returning once it accepts connections.
func Start(ctx context.Context, spec Spec) (*Server, error) {
	bin, err := install(ctx, spec)
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "fogbank-peer-"+spec.Name+"-")
	if err != nil {
		return nil, fmt.Errorf("peer: %w", err)
	}
	s := &Server{URL: "http://127.0.0.1:" + port, dir: dir, cmd: exec.Command(bin, spec.Args(port, filepath.Join(dir, "data"))...)}
	if s.log, err = os.Create(filepath.Join(dir, "log")); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("peer: %w", err)
	}
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		s.log.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("peer: start %s: %w", spec.Name, err)
	}
	if err := waitListening(ctx, "127.0.0.1:"+port); err != nil {
		s.Stop()
		return nil, fmt.Errorf("peer: %s: %w", spec.Name, err)
	}
	return s, nil
}

// Stop ends the process and removes its data and log.
func (s *Server) Stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	_ = s.cmd.Wait() // the exit status of a terminated peer says nothing useful
	s.log.Close()
	os.RemoveAll(s.dir)
}

// LogTail returns the last n lines the process wrote to its standard
// output or error, to explain a failure.
func (s *Server) LogTail(n int) string {
	out, err := os.ReadFile(s.log.Name())
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// install returns the peer's executable, running `npm install` into
// CacheDir first when it is not there.
func install(ctx context.Context, spec Spec) (string, error) {
	dir, err := CacheDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "node_modules", ".bin", spec.Bin)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("peer: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "install", "--no-audit", "--no-fund", "--prefix", dir, spec.Package)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("peer: npm install %s: %w: %s", spec.Package, err, lastLine(out))
	}
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("peer: npm install %s: %w", spec.Package, err)
	}
	return bin, nil
}

func lastLine(out []byte) string {
	var last string
	for sc := bufio.NewScanner(strings.NewReader(string(out))); sc.Scan(); {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			last = line
		}
	}
	return last
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("peer: free port: %w", err)
	}
	defer ln.Close()
	_, port, err := net.SplitHostPort(ln.Addr().String())
	return port, err
}

// waitListening polls addr until a TCP connection succeeds (30 s at most).
func waitListening(ctx context.Context, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var d net.Dialer
	for {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			return conn.Close()
		}
		select {
		case <-ctx.Done():
			return errors.Join(errors.New("not listening"), err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
