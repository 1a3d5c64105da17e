package sandbox

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Memory sampling, where the kernel does not enforce the limit (no
// usable cgroup v2): the resident set sizes of the process and its
// descendants are summed every memSampleEvery while the process is busy
// (an invocation runs) and every memIdleEvery otherwise (on AWS an idle
// environment is frozen, so it cannot grow), and the descendants are
// looked up again every memRescanEvery samples.
const (
	memSampleEvery = 10 * time.Millisecond
	memIdleEvery   = 250 * time.Millisecond
	memRescanEvery = 10
)

// memoryWatch limits a process's memory and records its peak: through a
// cgroup v2 of its own where one can be made, otherwise by sampling.
type memoryWatch struct {
	limit   int64
	cg      *cgroup // nil when sampling
	maxSeen atomic.Int64
	oom     atomic.Bool   // killed by the sampler
	busy    atomic.Bool   // an invocation runs: sample often
	wake    chan struct{} // a sample is due at once (became busy)
	stopped chan struct{} // closed when run returns
}

// newMemoryWatch returns a watch that starts busy: a new process is
// initialising.
func newMemoryWatch(limit int64) *memoryWatch {
	m := &memoryWatch{limit: limit, wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	m.busy.Store(true)
	return m
}

// setBusy switches between the busy and the idle sampling period; becoming
// busy takes a sample at once.
func (m *memoryWatch) setBusy(busy bool) {
	m.busy.Store(busy)
	if busy {
		select {
		case m.wake <- struct{}{}:
		default:
		}
	}
}

// period is the time until the next sample.
func (m *memoryWatch) period() time.Duration {
	if m.busy.Load() {
		return memSampleEvery
	}
	return memIdleEvery
}

// configure puts the process into a cgroup with the limit, where
// possible.
func (m *memoryWatch) configure(attr *syscall.SysProcAttr) {
	if m.limit > 0 && m.cg == nil && !cgroupsOff.Load() {
		m.cg, _ = newCgroup(m.limit) // none: sample instead
	}
	m.cg.apply(attr)
}

// dropCgroup removes the cgroup after the process could not be started
// in it, so that it is sampled instead; it reports whether there was one.
func (m *memoryWatch) dropCgroup() bool {
	if m.cg == nil {
		return false
	}
	m.release()
	m.cg = nil
	return true
}

// run watches the process pid until done is closed.
func (m *memoryWatch) run(pid int, done <-chan struct{}) {
	defer close(m.stopped)
	if m.limit <= 0 {
		return
	}
	timer := time.NewTimer(memSampleEvery)
	defer timer.Stop()
	pids := []int{pid}
	for n := 1; ; n++ {
		select {
		case <-done:
			return
		case <-timer.C:
		case <-m.wake:
		}
		timer.Reset(m.period())
		if m.cg != nil {
			m.record(m.cg.usage())
			continue
		}
		if n%memRescanEvery == 0 {
			pids = descendants(pid)
		}
		if m.record(totalRSS(pids)) > m.limit {
			m.oom.Store(true)
			_ = syscall.Kill(-pid, syscall.SIGKILL) // the group; fails only if it is gone
			for _, p := range pids[1:] {
				_ = syscall.Kill(p, syscall.SIGKILL) // descendants that left the group
			}
			return
		}
	}
}

// record notes a sample of the memory used and returns it.
func (m *memoryWatch) record(used int64) int64 {
	for {
		old := m.maxSeen.Load()
		if used <= old || m.maxSeen.CompareAndSwap(old, used) {
			return used
		}
	}
}

// peak returns the highest use seen.
func (m *memoryWatch) peak() int64 { return max(m.maxSeen.Load(), m.cg.peak()) }

// killed reports whether the process was killed for its memory use.
func (m *memoryWatch) killed() bool { return m.oom.Load() || m.cg.oomKilled() }

// wait waits for run to return.
func (m *memoryWatch) wait() { <-m.stopped }

// release removes the cgroup, if any, once its processes are gone.
func (m *memoryWatch) release() {
	m.cg.remove()
}

// descendants returns pid and the processes descended from it, from the
// children files of /proc.
func descendants(pid int) []int {
	pids := []int{pid}
	for i := 0; i < len(pids); i++ {
		task := "/proc/" + strconv.Itoa(pids[i]) + "/task"
		tids, _ := os.ReadDir(task) // gone: no children
		for _, tid := range tids {
			b, _ := os.ReadFile(task + "/" + tid.Name() + "/children")
			for f := range strings.FieldsSeq(string(b)) {
				if child, err := strconv.Atoi(f); err == nil {
					pids = append(pids, child)
				}
			}
		}
	}
	return pids
}

// pageSize is the unit of /proc/<pid>/statm.
var pageSize = int64(os.Getpagesize())

// totalRSS returns the summed resident set sizes of pids, in bytes.
func totalRSS(pids []int) int64 {
	var total int64
	for _, pid := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
		if err != nil {
			continue // exited
		}
		fields := bytes.Fields(b)
		if len(fields) > 1 {
			pages, _ := strconv.ParseInt(string(fields[1]), 10, 64)
			total += pages * pageSize
		}
	}
	return total
}
