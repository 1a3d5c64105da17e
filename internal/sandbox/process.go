package sandbox

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Spec describes one process to start.
type Spec struct {
	// Path is the executable; Args its arguments (without Path itself).
	Path string
	Args []string
	// Dir is the working directory.
	Dir string
	// Env is the whole environment; TMPDIR is added.
	Env []string
	// Root is the directory under which the sandbox's own directory (its
	// private temporary directory and log file) is created.
	Root string
}

// Process is one running sandbox process.
type Process struct {
	cmd     *exec.Cmd
	dir     string
	logPath string
	started time.Time
	done    chan struct{}
	waitErr error

	mu        sync.Mutex
	logOffset int64
	stopOnce  sync.Once
}

// logFileName is the name of the output file in the sandbox directory.
const logFileName = "output.log"

// Start starts the process of spec in a new process group.
func Start(spec Spec) (*Process, error) {
	if err := os.MkdirAll(spec.Root, 0o700); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	dir, err := os.MkdirTemp(spec.Root, "sb-")
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	p, err := start(spec, dir)
	if err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	return p, nil
}

func start(spec Spec, dir string) (*Process, error) {
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	logPath := filepath.Join(dir, logFileName)
	out, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	defer out.Close() // the child has its own descriptor
	cmd := exec.Command(spec.Path, spec.Args...)
	cmd.Dir = spec.Dir
	cmd.Env = append(append([]string(nil), spec.Env...), "TMPDIR="+tmp)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("sandbox: start %s: %w", spec.Path, err)
	}
	p := &Process{cmd: cmd, dir: dir, logPath: logPath, started: time.Now(), done: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Pid returns the process id (also its process group id).
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Started returns when the process was started.
func (p *Process) Started() time.Time { return p.started }

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// ExitError returns how the process ended, e.g. "exit status 2" or
// "signal: killed"; only valid after Done.
func (p *Process) ExitError() error {
	if p.waitErr == nil {
		return errors.New("exit status 0")
	}
	return p.waitErr
}

// MaxRSS returns the peak resident set size of the process (not of its
// children), in bytes, from /proc; 0 where that is not available.
func (p *Process) MaxRSS() int64 {
	status, err := os.ReadFile("/proc/" + strconv.Itoa(p.Pid()) + "/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TmpDir returns the process's private temporary directory.
func (p *Process) TmpDir() string { return filepath.Join(p.dir, "tmp") }

// truncateAt is the size past which ReadLog truncates a log file whose
// blocks it cannot free (see discard).
const truncateAt = 1 << 20

// ReadLog returns the output the process wrote since the previous call.
// Writes the process made before it last talked to the caller are all
// visible, since the output goes to a plain file. The bytes read are then
// freed (a hole is punched in the file), so the file does not keep growing
// on disk; where that is not supported the file is truncated once it is
// over 1 MiB, which can lose output written meanwhile.
func (p *Process) ReadLog() ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, err := os.OpenFile(p.logPath, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.NewSectionReader(f, p.logOffset, 1<<40))
	if err != nil {
		return nil, fmt.Errorf("sandbox: read log: %w", err)
	}
	p.logOffset += int64(len(b))
	if len(b) > 0 && discard(f, p.logOffset) != nil && p.logOffset > truncateAt {
		if err := f.Truncate(0); err != nil {
			return nil, fmt.Errorf("sandbox: truncate log: %w", err)
		}
		p.logOffset = 0
	}
	return b, nil
}

// LogDiskUsage returns the bytes the log file occupies on disk.
func (p *Process) LogDiskUsage() (int64, error) {
	info, err := os.Stat(p.logPath)
	if err != nil {
		return 0, fmt.Errorf("sandbox: %w", err)
	}
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return st.Blocks * 512, nil
	}
	return info.Size(), nil
}

// Stop ends the process group: SIGTERM, then SIGKILL when the process has
// not exited after grace; then it removes the sandbox directory. Later
// calls wait for the first.
func (p *Process) Stop(grace time.Duration) error {
	var err error
	p.stopOnce.Do(func() {
		pgid := p.cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM) // fails only if the group is gone
		select {
		case <-p.done:
		case <-time.After(grace):
		}
		_ = syscall.Kill(-pgid, syscall.SIGKILL) // children that ignored SIGTERM
		<-p.done
		err = os.RemoveAll(p.dir)
	})
	<-p.done
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	return nil
}
