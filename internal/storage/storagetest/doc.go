// Package storagetest is the conformance suite every [storage.Engine] must
// pass, and the benchmarks every engine reports.
//
// An engine's test calls [Run] with a function that opens a fresh, empty
// engine; the suite closes each engine itself when its test ends (a Close
// that returns storage.ErrClosed is fine). [RunBenchmarks] does the same for
// benchmarks.
//
// The suite has two halves: Go tests (CRUD, scans, snapshot isolation,
// serializability under contention, context handling, lifecycle) and
// datadriven scripts in testdata/ (put, delete, get, scan, txn and view
// commands; see script.go), embedded in the package so they run from any
// engine's package directory.
//
// Engines must allow an Update on another goroutine, or from inside a View's
// function, while a View is open: the isolation tests rely on it.
package storagetest
