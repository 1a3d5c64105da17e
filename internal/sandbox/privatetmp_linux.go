package sandbox

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
)

// privateTmpOff is set once a process could not be started in a mount
// namespace of its own: later processes get TMPDIR only.
var privateTmpOff atomic.Bool

// usePrivateTmp reports whether the process of spec can get its own /tmp:
// the server runs as root, namespaces did not fail before, and nothing the
// process needs lies under /tmp (which the mount would hide).
func usePrivateTmp(spec Spec) bool {
	if os.Geteuid() != 0 || privateTmpOff.Load() {
		return false
	}
	for _, p := range append([]string{spec.Path, spec.Dir, spec.Root}, spec.Paths...) {
		if p != "" && underTmp(p) {
			return false
		}
	}
	return true
}

// underTmp reports whether path is /tmp or lies under it.
func underTmp(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return true
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		abs = resolved
	}
	return abs == "/tmp" || strings.HasPrefix(abs, "/tmp/")
}

// startWithPrivateTmp starts cmd in a new mount namespace in which tmp is
// bind-mounted on /tmp. The namespace is made on an OS thread of its own
// (unshare also unshares the thread's filesystem attributes), the child
// is forked from that thread and so inherits the namespace, and the thread
// then exits with its goroutine (it stays locked), so no other goroutine
// ever runs in the namespace. No extra process is executed.
func startWithPrivateTmp(cmd *exec.Cmd, tmp string) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with this goroutine
		if err := enterPrivateTmp(tmp); err != nil {
			errc <- fmt.Errorf("%w: %w", errNoPrivateTmp, err)
			return
		}
		errc <- cmd.Start()
	}()
	return <-errc
}

// enterPrivateTmp moves the calling thread into a new mount namespace whose
// mounts are all private (nothing propagates back to the host) and mounts
// tmp on /tmp there.
func enterPrivateTmp(tmp string) error {
	if err := syscall.Unshare(syscall.CLONE_NEWNS); err != nil {
		return fmt.Errorf("unshare mount namespace: %w", err)
	}
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("make mounts private: %w", err)
	}
	if err := syscall.Mount(tmp, "/tmp", "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
		return fmt.Errorf("mount private /tmp: %w", err)
	}
	return nil
}
