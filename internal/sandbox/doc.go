// Package sandbox supervises the local processes that serve as Lambda
// execution environments, and keeps the warm ones in a pool.
//
// [Start] runs one process in its own process group, with exactly the
// environment it is given plus TMPDIR pointing at a private temporary
// directory. Its stdout and stderr go to a pipe that a goroutine reads as
// they come, stamping each line with the time it was read;
// [Process.ReadLog] returns the lines since the previous call, including
// every line written before the process last talked to the caller (it
// drains the pipe under the reader's lock). [Process.Stop] sends SIGTERM
// to the whole group, then SIGKILL after a grace period, and removes the
// sandbox's directory.
//
// Memory: with Spec.MemoryLimit, the process and its descendants are
// limited to it. Where /sys/fs/cgroup is a cgroup v2 hierarchy whose
// memory controller the server may delegate (it moves itself into a leaf
// "fogbank-server" cgroup when its own cgroup holds processes), each
// process starts (clone3 CLONE_INTO_CGROUP) in a cgroup of its own with
// memory.max, no swap and memory.oom.group, and the kernel kills it.
// Elsewhere (cgroup v1, no privileges) one goroutine for all processes
// sums each one's resident set sizes, the process's own through its
// /proc/<pid>/statm kept open, every 10 ms while the process starts or
// serves an invocation ([Process.SetBusy]) and every 250 ms while it idles
// (descendants found through /proc/<pid>/task/*/children every 50th
// sample) and SIGKILLs the group when over. [Process.MaxMemory] is the
// peak seen, and at least the process's own VmHWM (read at most every
// 250 ms); [Process.OutOfMemory] says whether the limit killed it. Not RLIMIT_AS, which breaks runtimes that
// reserve address space.
//
// Private /tmp: when the server runs as root and nothing the process needs
// (Spec.Path, Dir, Root, Paths) lies under /tmp, the process starts in a
// new mount namespace, every mount in it private, with the sandbox's
// directory bind-mounted on /tmp: an OS thread of the server unshares its
// mount namespace, mounts, forks the runtime (which inherits the
// namespace) and exits, so no extra program runs and no other goroutine
// sees the namespace. Where the namespace is refused, later processes get
// TMPDIR only ([Process.PrivateTmp] says which).
//
// CPUs: with Spec.CPUs below the server's CPU count (Linux), the process
// and its descendants are pinned to that many CPUs, those the fewest live
// sandbox processes are pinned to (cpus_linux.go): the same OS thread that
// forks the process first sets its own affinity, which the child
// inherits. A Go runtime then sizes GOMAXPROCS to it.
//
// [Pool] keeps idle environments per key (a function version and its
// configuration) and stops those idle for longer than its idle timeout.
//
// The package depends on the standard library only; the Lambda service
// composes it with the Runtime API (package rapi).
//
// Missing: the cgroup v2 path is untested here (the development machine
// has cgroup v1); memory sampling misses spikes shorter than its period;
// no disk quota for /tmp, CPU shares or network isolation.
package sandbox
