// Package pebble is Fogbank's embedded default storage engine: a
// [storage.Engine] over CockroachDB's Pebble LSM key-value store, kept in one
// directory on local disk.
//
// # Transactions
//
// View runs its function against a Pebble snapshot, so every read in one View
// sees the same consistent state however many Updates commit meanwhile. Views
// never block each other or Updates.
//
// Update transactions are serialized by a single commit latch. Under the
// latch, Update runs its function against an indexed Pebble batch (reads see
// the store plus the batch's own writes), then applies the batch to the
// memtable without waiting for the write-ahead log to be synced, and releases
// the latch. Only then does it wait for the WAL fsync, and it returns nil once
// the batch is durable. Because the next Update can take the latch while the
// previous one waits for its fsync, concurrent commits share one WAL sync
// (group commit): throughput under contention is bounded by the latch, not by
// the disk's fsync latency. Since every Update runs alone under the latch,
// Updates are trivially serializable and never conflict, so fn runs exactly
// once and storage.ErrConflict is never returned.
//
// An applied batch is visible to later transactions (and Views) as soon as it
// reaches the memtable, a moment before its fsync completes. Nothing that read
// it may answer before it is durable, or a crash could take back what a
// client was shown. So the engine lists each commit, with the keys it wrote,
// just before applying it, and drops it once its sync is done. A View loads
// that list after taking its snapshot, and each of its reads (a Get of a key,
// a Scan of a range) waits, before handing anything to the View's function,
// for the newest listed commit that wrote a key the read covers (a commit of
// more than 4096 keys counts as writing every key). The WAL syncs in order,
// so that one wait covers every earlier commit. Reads of keys no commit in
// flight wrote never wait: metadata reads do not queue behind unrelated
// writes' fsyncs. An Update that wrote nothing (a failed condition, a read)
// waits for the newest commit applied before it; an Update that wrote is
// later in the WAL than everything it read, so its own sync covers them.
// TestViewWaitsOnlyForWhatItReads holds a WAL sync to show both sides.
//
// The single latch is the simplest correct design, and a read-heavy or
// single-writer workload is the common case for an embedded server. A
// finer-grained layer (per-key latches, or optimistic concurrency control
// that validates each transaction's read set at commit and retries fn on
// conflict, returning storage.ErrConflict when retries run out) can replace
// it behind the same [storage.Engine] interface without changing callers,
// since the contract already allows fn to be retried.
//
// # Lifecycle
//
// [Open] creates or opens the store. [Engine.Close] waits for in-flight View
// and Update calls to finish, then closes Pebble; later calls return
// storage.ErrClosed.
//
// Pebble makes each step of creating a store durable on its own: about
// twenty syncs in a row, a dozen of them for upgrading the new store one
// format version at a time. So that a first start is quick, Open creates a
// new store (one whose directory does not exist) in a staging directory
// beside it with those syncs skipped, at pebble.FormatNewest, and returns;
// in the background it then syncs the store's files and the staging
// directory together, renames the staging directory into place and syncs
// the parent (see stagedFS). An Update that wrote returns only once that is
// done as well as its own WAL sync, so nothing acknowledged rests on a store
// that a crash could take back; a crash before the rename is durable leaves
// only the staging directory, which the next Open removes before creating
// the store again. A View needs no such wait: its reads of what a commit
// wrote wait for that commit's mark, which closes only after that. A store that exists is opened at whatever
// format version it has, and a goroutine upgrades it to pebble.FormatNewest
// while requests are served (each step is durable on its own; Close stops
// the upgrade and the next Open resumes it).
//
// A View may be opened, and an Update run, from inside a View's function. An
// Update's function must not call Update on the same engine: it would wait
// for the latch it holds (until its context ends).
//
// # Locks
//
// The engine has two: the lifecycle mutex, held only briefly on entry to and
// exit from each call and in Close, and the commit latch, held by one Update
// while its function runs and its batch is applied. The lifecycle mutex is
// never held while waiting for the latch, so they cannot deadlock.
//
// # Logging
//
// Pebble's own log messages go to Options.Logger: its informational messages
// at Debug, its errors at Error. Opening and closing the store are logged at
// Info.
package pebble
