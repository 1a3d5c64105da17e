package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
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

// privateTmpSetup returns the step, run on the thread that forks the
// process (see startFromOwnThread), that gives the thread a new mount
// namespace in which tmp is bind-mounted on /tmp; the process inherits it.
// unshare also unshares the thread's filesystem attributes, which is why
// the thread is never reused.
func privateTmpSetup(tmp string) func() error {
	return func() error {
		if err := enterPrivateTmp(tmp); err != nil {
			return fmt.Errorf("%w: %w", errNoPrivateTmp, err)
		}
		return nil
	}
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
