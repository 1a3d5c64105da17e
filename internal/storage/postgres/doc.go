// Package postgres is Fogbank's distributed storage engine: a
// [storage.Engine] over one key-value table in a PostgreSQL-compatible
// database, reached through a pgx connection pool. Several stateless Fogbank
// nodes can share one database; every node sees every commit at once, and
// the database's serializable isolation keeps their transactions apart.
//
// # Data
//
// Everything lives in one PostgreSQL schema (namespace, [Options.Schema]): a
// table kv (key bytea PRIMARY KEY, value bytea NOT NULL) and a one-row table
// schema_version. bytea compares bytewise, so the primary key's order is the
// byte order that [storage.Range] scans visit. [Open] creates the schema and
// applies the migrations this binary knows, serialized across nodes by a row
// lock on schema_version; it refuses to start ([ErrSchemaTooNew]) on a
// database migrated by a newer binary.
//
// # Transactions and round trips
//
// Transactions begin lazily: the BEGIN is pipelined with a transaction's
// first statement, so it costs no round trip of its own.
//
// View runs in a REPEATABLE READ READ ONLY transaction: its first read
// establishes one snapshot that all its reads share. A View that reads one
// key costs one round trip (BEGIN and SELECT together); its transaction is
// ended afterwards by a ROLLBACK sent on a background goroutine, so the
// caller does not wait for it. Each further read is one more round trip.
// Prefetch (a method of both kinds of transaction, found by a type
// assertion) reads several keys in one round trip, after which Gets of those
// keys cost none: a caller that can guess its next reads (table metadata and
// an item) makes them all in one.
//
// Update runs in a SERIALIZABLE transaction. Set and Delete are buffered in
// the transaction and cost no round trip; reads see the buffered writes
// (Get answers buffered keys locally, Scan merges the buffer over the
// database's rows). At commit the buffered writes go as one multi-row
// upsert and one multi-row delete, in key order, pipelined with COMMIT. So a
// blind write costs one round trip and a read-then-write (a conditional
// write) two. When the database aborts a transaction with a serialization
// failure (SQLSTATE 40001) or a deadlock (40P01), Update runs fn again after
// a jittered, exponentially growing pause, up to [Options.MaxAttempts] times,
// and then returns storage.ErrConflict.
//
// Scan reads in pages with keyset pagination (key >= $1 AND key < $2 ORDER
// BY key [DESC] LIMIT n), sized by the range's Limit when it has one. A page
// is read completely before fn sees its first pair, so fn may use the
// transaction (Get inside a Scan callback) without disturbing the scan.
//
// # Lifecycle
//
// [Open] connects (failing with [ErrUnreachable] when the database cannot be
// reached) and migrates. [Engine.Close] waits for in-flight calls and
// background rollbacks, then closes the pool. The engine has one mutex,
// guarding its lifecycle state. The connection string's password is never
// logged nor put in an error.
package postgres
