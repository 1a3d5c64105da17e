package sandbox

import (
	"slices"
	"sync"

	"golang.org/x/sys/unix"
)

// cpuUsers counts, per CPU, the live sandbox processes pinned to it.
var cpuUsers = struct {
	sync.Mutex
	n map[int]int
}{n: make(map[int]int)}

// ownCPUs returns the CPUs the server may run on, in order: found once.
var ownCPUs = sync.OnceValue(func() []int {
	var set unix.CPUSet
	if unix.SchedGetaffinity(0, &set) != nil {
		return nil
	}
	var cpus []int
	for c := range len(set) * 64 { // every CPU id a CPUSet can hold
		if set.IsSet(c) {
			cpus = append(cpus, c)
		}
	}
	return cpus
})

// pinning is the set of CPUs a sandbox process is confined to.
type pinning struct {
	cpus []int
	set  unix.CPUSet
}

// pickCPUs returns n of the server's CPUs, those the fewest live sandbox
// processes are pinned to, or nil when n is 0 or covers them all.
func pickCPUs(n int) *pinning {
	own := ownCPUs()
	if n <= 0 || n >= len(own) {
		return nil
	}
	cpuUsers.Lock()
	defer cpuUsers.Unlock()
	byUse := slices.Clone(own)
	slices.SortStableFunc(byUse, func(a, b int) int { return cpuUsers.n[a] - cpuUsers.n[b] })
	p := &pinning{cpus: byUse[:n]}
	for _, c := range p.cpus {
		cpuUsers.n[c]++
		p.set.Set(c)
	}
	return p
}

// apply confines the calling thread, and so the processes it forks, to
// p's CPUs.
func (p *pinning) apply() error {
	return unix.SchedSetaffinity(0, &p.set)
}

// release counts p's process as gone; nil does nothing.
func (p *pinning) release() {
	if p == nil {
		return
	}
	cpuUsers.Lock()
	defer cpuUsers.Unlock()
	for _, c := range p.cpus {
		cpuUsers.n[c]--
	}
}
