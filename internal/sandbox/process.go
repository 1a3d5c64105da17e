package sandbox

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
	// private temporary directory) is created.
	Root string
	// Paths are other files or directories the process needs to see (its
	// code, interpreters' libraries): a private /tmp would hide those
	// under /tmp, so it is then not used (see Process.PrivateTmp).
	Paths []string
	// MemoryLimit is the most memory, in bytes, the process and its
	// descendants may use before they are killed; 0 for no limit.
	MemoryLimit int64
	// CPUs is how many CPUs the process and its descendants may run on:
	// they are pinned to that many of the server's (on Linux), those the
	// fewest other sandbox processes are pinned to; 0 for all of them.
	CPUs int
}

// Process is one running sandbox process.
type Process struct {
	cmd        *exec.Cmd
	dir        string
	started    time.Time
	done       chan struct{}
	waitErr    error
	out        *output
	mem        *memoryWatch
	privateTmp bool
	pins       *pinning
	stopOnce   sync.Once
}

// Start starts the process of spec in a new process group, with its
// memory limited and, where Linux mount namespaces are available to the
// server (it runs as root), its own /tmp.
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
	out, w, err := newOutput()
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	defer w.Close() // the child has its own descriptor
	p := &Process{dir: dir, done: make(chan struct{}), out: out}
	p.mem = newMemoryWatch(spec.MemoryLimit)
	p.privateTmp = usePrivateTmp(spec)
	p.pins = pickCPUs(spec.CPUs)
	if err := p.startWithFallbacks(spec, tmp, w); err != nil {
		p.mem.release()
		p.pins.release()
		_ = out.r.Close()
		return nil, fmt.Errorf("sandbox: start %s: %w", spec.Path, err)
	}
	go out.run()
	go func() {
		p.waitErr = p.cmd.Wait()
		p.pins.release()
		close(p.done)
	}()
	p.mem.watch(p.Pid(), p.done)
	return p, nil
}

// errNoPrivateTmp means the mount namespace for a private /tmp could not
// be made.
var errNoPrivateTmp = errors.New("no private /tmp")

// startWithFallbacks starts the command of spec. When the private /tmp
// cannot be made, and when starting in a cgroup fails, it tries without;
// when that works, the feature is turned off for later processes (e.g.
// namespaces refused without CAP_SYS_ADMIN, clone3 missing).
func (p *Process) startWithFallbacks(spec Spec, tmp string, out *os.File) error {
	err := p.startCmd(spec, tmp, out)
	if errors.Is(err, errNoPrivateTmp) {
		p.privateTmp = false
		if err = p.startCmd(spec, tmp, out); err == nil {
			privateTmpOff.Store(true)
		}
	}
	if err != nil && p.mem.dropCgroup() {
		if err = p.startCmd(spec, tmp, out); err == nil {
			cgroupsOff.Store(true)
		}
	}
	return err
}

// startCmd starts the command of spec, in a mount namespace with a private
// /tmp when p.privateTmp is set.
func (p *Process) startCmd(spec Spec, tmp string, out *os.File) error {
	cmd := exec.Command(spec.Path, spec.Args...)
	cmd.Dir = spec.Dir
	cmd.Env = append(append([]string(nil), spec.Env...), "TMPDIR="+tmp)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p.mem.configure(cmd.SysProcAttr)
	var setup []func() error
	if p.privateTmp {
		setup = append(setup, privateTmpSetup(tmp))
	}
	if p.pins != nil {
		// Were pinning refused, the process would only run on every CPU.
		setup = append(setup, func() error { _ = p.pins.apply(); return nil })
	}
	start := cmd.Start
	if len(setup) > 0 {
		start = func() error { return startFromOwnThread(cmd, setup) }
	}
	if err := start(); err != nil {
		return err
	}
	p.cmd, p.started = cmd, time.Now()
	return nil
}

// startFromOwnThread starts cmd from an OS thread of its own once the
// setup steps have changed what a child inherits from that thread (its
// mount namespace, its CPUs). The thread stays locked and so ends with its
// goroutine: no other goroutine ever runs with those changes.
func startFromOwnThread(cmd *exec.Cmd, setup []func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked
		for _, step := range setup {
			if err := step(); err != nil {
				errc <- err
				return
			}
		}
		errc <- cmd.Start()
	}()
	return <-errc
}

// Pid returns the process id (also its process group id).
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Started returns when the process was started.
func (p *Process) Started() time.Time { return p.started }

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// ExitError returns how the process ended, e.g. "exit status 2" or
// "signal: killed" (also when it went over its memory limit); only valid
// after Done.
func (p *Process) ExitError() error {
	if p.waitErr == nil {
		return errors.New("exit status 0")
	}
	return p.waitErr
}

// OutOfMemory reports whether the process was killed for going over its
// memory limit.
func (p *Process) OutOfMemory() bool { return p.mem.killed() }

// SetBusy tells the memory watch whether the process is serving an
// invocation (sampled every 10 ms) or idle (every 250 ms).
func (p *Process) SetBusy(busy bool) { p.mem.setBusy(busy) }

// MaxMemory returns the peak memory use of the process and its
// descendants, in bytes: the peak of the sampled total resident set
// size (or of the cgroup's usage), and at least the process's own peak
// RSS while it runs; never more than the memory limit.
func (p *Process) MaxMemory() int64 {
	peak := p.mem.peak()
	select {
	case <-p.done: // the pid may belong to another process now
	default:
		peak = max(peak, p.mem.ownPeak(p.Pid()))
	}
	if p.mem.limit > 0 {
		peak = min(peak, p.mem.limit)
	}
	return peak
}

// vmHWM returns the peak resident set size of the process pid from /proc,
// in bytes; 0 where that is not available.
func vmHWM(pid int) int64 {
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
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

// TmpDir returns the process's private temporary directory, its TMPDIR
// (and its /tmp when PrivateTmp).
func (p *Process) TmpDir() string { return filepath.Join(p.dir, "tmp") }

// PrivateTmp reports whether the process sees TmpDir as /tmp, in its own
// mount namespace. Otherwise only TMPDIR leads there, and /tmp is the
// host's.
func (p *Process) PrivateTmp() bool { return p.privateTmp }

// ReadLog returns the lines the process wrote to stdout or stderr since
// the previous call, each with the time it was written. Every line
// written before the process last talked to the caller is included.
func (p *Process) ReadLog() []Line { return p.out.take() }

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
		p.out.close()
		p.mem.wait()
		p.mem.release()
		err = os.RemoveAll(p.dir)
	})
	<-p.done
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	return nil
}
