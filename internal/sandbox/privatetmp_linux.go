package sandbox

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
)

// privateTmpOff is set once a process could not be started in a mount
// namespace of its own: later processes get TMPDIR only.
var privateTmpOff atomic.Bool

// tmpShimName is the argv[0] under which the server's own binary,
// re-executed in a sandbox's new mount namespace, mounts the sandbox's
// directory on /tmp and then executes the runtime (see init).
const tmpShimName = "fogbank-sandbox-tmp"

// init runs the /tmp shim when this binary was started as one:
// argv is tmpShimName, the directory, the program and its arguments.
func init() {
	if len(os.Args) >= 3 && os.Args[0] == tmpShimName {
		runTmpShim(os.Args[1], os.Args[2], os.Args[2:])
	}
}

// runTmpShim bind-mounts dir on /tmp and executes path; the namespace is
// private (Go marks every mount private after unsharing), so the host's
// /tmp is untouched. A failed mount leaves TMPDIR only.
func runTmpShim(dir, path string, argv []string) {
	if err := syscall.Mount(dir, "/tmp", "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
		fmt.Fprintf(os.Stderr, "fogbank: private /tmp not mounted: %v\n", err)
	}
	err := syscall.Exec(path, argv, os.Environ())
	fmt.Fprintf(os.Stderr, "fogbank: exec %s: %v\n", path, err)
	os.Exit(127)
}

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

// withPrivateTmp makes cmd start through the /tmp shim in a new mount
// namespace.
func withPrivateTmp(cmd *exec.Cmd, tmp string) {
	cmd.Args = append([]string{tmpShimName, tmp, cmd.Path}, cmd.Args[1:]...)
	cmd.Path = "/proc/self/exe"
	cmd.SysProcAttr.Unshareflags = syscall.CLONE_NEWNS
}
