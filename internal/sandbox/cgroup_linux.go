package sandbox

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// cgroupsOff is set once starting a process in a cgroup failed: later
// processes are sampled instead.
var cgroupsOff atomic.Bool

// errNoCgroup is newCgroup's error where no cgroup v2 with the memory
// controller can be used.
var errNoCgroup = errors.New("sandbox: no delegated cgroup v2 memory controller")

// cgroup is a sandbox's own cgroup v2, with its memory limit.
type cgroup struct {
	dir string
	fd  int
}

// cgroupParent returns the cgroup v2 directory under which sandboxes get
// their cgroups, or "" where there is none: found once.
var cgroupParent = sync.OnceValue(findCgroupParent)

// cgroup2Magic is the file system type of a cgroup v2 mount.
const cgroup2Magic = 0x63677270

// findCgroupParent returns the server's own cgroup when /sys/fs/cgroup is
// a cgroup v2 hierarchy whose memory controller the server may hand to
// child cgroups. cgroup v2 lets a cgroup with processes have no child
// cgroups with controllers, so the server first moves itself into a leaf
// "fogbank-server" when needed.
func findCgroupParent() string {
	var st syscall.Statfs_t
	if syscall.Statfs("/sys/fs/cgroup", &st) != nil || st.Type != cgroup2Magic {
		return ""
	}
	self, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return ""
	}
	var dir string
	for line := range strings.Lines(string(self)) {
		if rest, ok := strings.CutPrefix(line, "0::"); ok {
			dir = filepath.Join("/sys/fs/cgroup", strings.TrimSpace(rest))
		}
	}
	controllers, err := os.ReadFile(filepath.Join(dir, "cgroup.controllers"))
	if dir == "" || err != nil || !strings.Contains(" "+string(controllers)+" ", " memory ") {
		return ""
	}
	if enableMemory(dir) == nil {
		return dir
	}
	leaf := filepath.Join(dir, "fogbank-server")
	if err := os.Mkdir(leaf, 0o755); err != nil && !os.IsExist(err) {
		return ""
	}
	pid := []byte(strconv.Itoa(os.Getpid()))
	if os.WriteFile(filepath.Join(leaf, "cgroup.procs"), pid, 0) != nil {
		return ""
	}
	if enableMemory(dir) != nil {
		// Other processes share the cgroup: go back and sample instead.
		_ = os.WriteFile(filepath.Join(dir, "cgroup.procs"), pid, 0)
		_ = os.Remove(leaf)
		return ""
	}
	return dir
}

func enableMemory(dir string) error {
	return os.WriteFile(filepath.Join(dir, "cgroup.subtree_control"), []byte("+memory"), 0)
}

// newCgroup makes a cgroup limited to limit bytes (no swap; the kernel
// kills all its processes when one goes over).
func newCgroup(limit int64) (*cgroup, error) {
	parent := cgroupParent()
	if parent == "" {
		return nil, errNoCgroup
	}
	dir, err := os.MkdirTemp(parent, "fogbank-sb-")
	if err != nil {
		return nil, err
	}
	cg := &cgroup{dir: dir, fd: -1}
	if err := cg.write("memory.max", strconv.FormatInt(limit, 10)); err != nil {
		cg.remove()
		return nil, err
	}
	_ = cg.write("memory.swap.max", "0")  // absent without swap accounting
	_ = cg.write("memory.oom.group", "1") // absent before Linux 4.19
	if cg.fd, err = syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0); err != nil {
		cg.remove()
		return nil, err
	}
	return cg, nil
}

func (cg *cgroup) write(file, value string) error {
	return os.WriteFile(filepath.Join(cg.dir, file), []byte(value), 0)
}

// readInt returns the number in a cgroup file, or the value of key in a
// flat-keyed one; 0 when unreadable.
func (cg *cgroup) readInt(file, key string) int64 {
	if cg == nil {
		return 0
	}
	b, err := os.ReadFile(filepath.Join(cg.dir, file))
	if err != nil {
		return 0
	}
	s := strings.TrimSpace(string(b))
	if key != "" {
		for line := range strings.Lines(s) {
			if rest, ok := strings.CutPrefix(line, key+" "); ok {
				s = strings.TrimSpace(rest)
			}
		}
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// apply starts the process in the cgroup (clone3 CLONE_INTO_CGROUP).
func (cg *cgroup) apply(attr *syscall.SysProcAttr) {
	if cg != nil {
		attr.UseCgroupFD, attr.CgroupFD = true, cg.fd
	}
}

// usage returns the memory the cgroup uses now.
func (cg *cgroup) usage() int64 { return cg.readInt("memory.current", "") }

// peak returns the cgroup's peak memory use (Linux 5.19 and later).
func (cg *cgroup) peak() int64 { return cg.readInt("memory.peak", "") }

// oomKilled reports whether the kernel killed a process of the cgroup.
func (cg *cgroup) oomKilled() bool { return cg.readInt("memory.events", "oom_kill") > 0 }

// remove deletes the cgroup, waiting up to a second for its last
// processes to be reaped.
func (cg *cgroup) remove() {
	if cg == nil {
		return
	}
	if cg.fd >= 0 {
		_ = syscall.Close(cg.fd) // nothing to do about a failed close
	}
	for range 100 {
		if err := os.Remove(cg.dir); err == nil || os.IsNotExist(err) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}
