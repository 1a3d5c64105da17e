// Package blob stores immutable byte objects (S3 object bodies, multipart
// parts) outside the storage engine. A blob is written once from a stream,
// never held whole in memory, and becomes visible only when it is complete
// and durable; it is then read by id and finally deleted.
//
// The metadata that names a blob (a bucket's key, an upload's part) lives
// in the storage engine and is committed after [Store.Put] returns, so a
// crash never leaves a visible half object. A crash between Put and the
// metadata commit, or between a metadata delete and [Store.Delete], leaves
// an unreferenced blob: the owner of the metadata collects those, finding
// them with [Store.Walk].
//
// [FS] is the local-file implementation; [Section] reads a range of one
// of its blobs as the file itself, so that io.Copy to a network
// connection uses sendfile. Every implementation passes the conformance
// suite in package blobtest. Blobs hold whatever bytes they are given:
// the S3 service seals them (AES-256-GCM) before they get here.
package blob

import (
	"context"
	"errors"
	"io"
	"time"
)

// ErrNotFound is returned (wrapped) by Open for a blob that does not exist.
var ErrNotFound = errors.New("blob: not found")

// Store keeps blobs. Implementations are safe for concurrent use.
type Store interface {
	// Put copies r to a new blob until r returns io.EOF and returns the
	// blob's id and size once the bytes are durable. If r returns any other
	// error, nothing becomes visible and Put returns that error wrapped, so
	// a reader that validates a checksum at EOF can veto the blob.
	Put(ctx context.Context, r io.Reader) (id string, size int64, err error)
	// Open returns a reader of the blob's bytes; the caller closes it.
	Open(ctx context.Context, id string) (Reader, error)
	// Delete removes a blob; deleting a missing blob is not an error.
	Delete(ctx context.Context, id string) error
	// Walk calls fn with the id and creation time of every complete blob,
	// in no particular order, stopping at the first error fn returns.
	// Blobs put or deleted during the walk may or may not be seen.
	Walk(ctx context.Context, fn func(id string, created time.Time) error) error
}

// Reader reads one blob at random offsets.
type Reader interface {
	io.ReaderAt
	io.Closer
	// Size returns the blob's length in bytes.
	Size() int64
}
