// Package sandbox supervises the local processes that serve as Lambda
// execution environments, and keeps the warm ones in a pool.
//
// [Start] runs one process in its own process group, with exactly the
// environment it is given plus TMPDIR pointing at a private temporary
// directory, and its stdout and stderr appended to a log file that
// [Process.ReadLog] reads incrementally. [Process.Stop] sends SIGTERM to the
// whole group, then SIGKILL after a grace period, and removes the sandbox's
// directory.
//
// [Pool] keeps idle environments per key (a function version and its
// configuration) and stops those idle for longer than its idle timeout.
//
// The package depends on the standard library only; the Lambda service
// composes it with the Runtime API (package rapi).
//
// Missing: memory limits (cgroup v2, or RSS sampling where cgroups are not
// available), a real private /tmp (mount namespaces; TMPDIR is honoured by
// the Go, Python and Node runtimes, but a handler writing to /tmp directly
// shares the host's), CPU accounting.
package sandbox
