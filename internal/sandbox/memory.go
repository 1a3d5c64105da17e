package sandbox

import (
	"bytes"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Memory sampling, where the kernel does not enforce the limit (no
// usable cgroup v2): one goroutine (the sampler) sums the resident set
// sizes of every watched process and its descendants every memSampleEvery
// while the process is busy (an invocation runs) and every memIdleEvery
// otherwise (on AWS an idle environment is frozen, so it cannot grow). The
// descendants are looked up again every memRescanEvery samples, and the
// process's own peak (VmHWM, which catches what happens between samples) is
// read at most every memIdleEvery.
const (
	memSampleEvery = 10 * time.Millisecond
	memIdleEvery   = 250 * time.Millisecond
	memRescanEvery = 50
)

// memoryWatch limits a process's memory and records its peak: through a
// cgroup v2 of its own where one can be made, otherwise by sampling.
type memoryWatch struct {
	limit   int64
	cg      *cgroup // nil when sampling
	maxSeen atomic.Int64
	oom     atomic.Bool   // killed by the sampler
	busy    atomic.Bool   // an invocation runs: sample often
	stopped chan struct{} // closed when the sampler has let go of the process

	// Owned by the sampler goroutine.
	pid     int
	done    <-chan struct{} // closed when the process has exited
	pids    []int           // the process and its descendants
	statm   *os.File        // the process's /proc/<pid>/statm, kept open
	buf     []byte
	samples int
	last    time.Time // of the last sample

	hwmMu sync.Mutex
	hwmAt time.Time // when hwm was read
	hwm   int64     // the process's own peak RSS, VmHWM
}

// newMemoryWatch returns a watch that starts busy: a new process is
// initialising.
func newMemoryWatch(limit int64) *memoryWatch {
	m := &memoryWatch{limit: limit, stopped: make(chan struct{})}
	m.busy.Store(true)
	return m
}

// setBusy switches between the busy and the idle sampling period.
func (m *memoryWatch) setBusy(busy bool) { m.busy.Store(busy) }

// due reports whether a sample is due at now.
func (m *memoryWatch) due(now time.Time) bool {
	return m.busy.Load() || now.Sub(m.last) >= memIdleEvery
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

// watch has the sampler watch the process pid until done is closed.
func (m *memoryWatch) watch(pid int, done <-chan struct{}) {
	if m.limit <= 0 {
		close(m.stopped)
		return
	}
	m.pid, m.done, m.pids = pid, done, []int{pid}
	if m.cg == nil {
		m.statm, _ = os.Open("/proc/" + strconv.Itoa(pid) + "/statm") // gone: sampled as 0
	}
	memSampler.add(m)
}

// sample takes one sample at now; it reports false when the process is
// no longer watched (it exited, or was killed for its memory use).
func (m *memoryWatch) sample(now time.Time) bool {
	select {
	case <-m.done:
		m.stop()
		return false
	default:
	}
	m.last = now
	if m.cg != nil {
		m.record(m.cg.usage())
		return true
	}
	if m.samples++; m.samples%memRescanEvery == 0 {
		m.pids = descendants(m.pid)
	}
	if m.record(m.totalRSS()) <= m.limit {
		return true
	}
	m.oom.Store(true)
	_ = syscall.Kill(-m.pid, syscall.SIGKILL) // the group; fails only if it is gone
	for _, p := range m.pids[1:] {
		_ = syscall.Kill(p, syscall.SIGKILL) // descendants that left the group
	}
	m.stop()
	return false
}

// stop ends the sampling of the process.
func (m *memoryWatch) stop() {
	if m.statm != nil {
		_ = m.statm.Close() // read-only: nothing to lose
	}
	close(m.stopped)
}

// totalRSS returns the summed resident set sizes of the process (read
// through its open statm) and its descendants, in bytes.
func (m *memoryWatch) totalRSS() int64 {
	if m.buf == nil {
		m.buf = make([]byte, 128)
	}
	var total int64
	if m.statm != nil {
		n, _ := m.statm.ReadAt(m.buf, 0) // io.EOF with the whole file
		total = statmRSS(m.buf[:n])
	}
	for _, pid := range m.pids[1:] {
		b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm") // exited: 0
		total += statmRSS(b)
	}
	return total
}

// statmRSS returns the resident set size in a statm file's text, in bytes.
func statmRSS(statm []byte) int64 {
	fields := bytes.Fields(statm)
	if len(fields) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(string(fields[1]), 10, 64)
	return pages * pageSize
}

// ownPeak returns the process's own peak RSS (VmHWM), read again when
// the last reading is older than memIdleEvery.
func (m *memoryWatch) ownPeak(pid int) int64 {
	m.hwmMu.Lock()
	defer m.hwmMu.Unlock()
	if now := time.Now(); now.Sub(m.hwmAt) >= memIdleEvery {
		m.hwm, m.hwmAt = vmHWM(pid), now
	}
	return m.hwm
}

// sampler samples the watched processes from one goroutine, which runs
// while there are any.
type sampler struct {
	mu      sync.Mutex
	watches []*memoryWatch
	running bool
}

// memSampler samples every sandbox process of the server.
var memSampler sampler

// add starts sampling m, at once.
func (s *sampler) add(m *memoryWatch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.watches = append(s.watches, m)
	if !s.running {
		s.running = true
		go s.run()
	}
}

// run samples the due processes every memSampleEvery until none is
// watched.
func (s *sampler) run() {
	ticker := time.NewTicker(memSampleEvery)
	defer ticker.Stop()
	for now := time.Now(); s.tick(now); now = <-ticker.C {
	}
}

// tick samples the processes due at now; it reports false, and the
// sampler stops, when none is left.
func (s *sampler) tick(now time.Time) bool {
	s.mu.Lock()
	watches := s.watches
	s.mu.Unlock()
	var gone []*memoryWatch
	for _, m := range watches {
		if m.due(now) && !m.sample(now) {
			gone = append(gone, m)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(gone) > 0 {
		s.watches = slices.DeleteFunc(slices.Clone(s.watches), func(m *memoryWatch) bool { return slices.Contains(gone, m) })
	}
	s.running = len(s.watches) > 0
	return s.running
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
