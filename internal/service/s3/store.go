package s3

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/fogbank/fogbank/internal/storage"
)

// The keyspaces of this package, all under "s3/":
//
//	s3/b/<bucket>                     → bucketRecord (JSON)
//	s3/o/<bucket>/<key>               → objectRecord of the current version
//	s3/v/<bucket>/<key>\x00<versionId> → objectRecord of every version and
//	                                     delete marker (versioned buckets)
//	s3/u/<bucket>/<key>\x00<uploadId>  → uploadRecord (multipart uploads)
//	s3/p/<uploadId>/<part, 5 digits>   → partRecord
//
// Bucket names never contain "/", so a bucket's objects are one contiguous
// range ordered by key bytes, which is S3's listing order. Keys never
// contain NUL, and version ids sort newest first, so a key's versions are
// one contiguous range in S3's ListObjectVersions order.
const (
	bucketsPrefix  = "s3/b/"
	objectsPrefix  = "s3/o/"
	versionsPrefix = "s3/v/"
	uploadsPrefix  = "s3/u/"
	partsPrefix    = "s3/p/"
)

// bucketRecord is a bucket's stored state.
type bucketRecord struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	Region  string    `json:"region"`
	// Versioning is "" (never enabled), "Enabled" or "Suspended".
	Versioning string             `json:"versioning,omitempty"`
	Tags       []Tag              `json:"tags,omitempty"`
	CORS       *CORSConfiguration `json:"cors,omitempty"`
	// Encryption is the bucket's default encryption as last put; nil
	// means S3's default, SSE-S3 (sse_bucket.go).
	Encryption *ServerSideEncryptionConfiguration `json:"encryption,omitempty"`
	// Website is the bucket's website configuration (website.go).
	Website *WebsiteConfiguration `json:"website,omitempty"`
}

// objectRecord is an object version's stored metadata; its bytes are the
// blob BlobID, or for a completed multipart upload the blobs of Parts read
// in sequence.
type objectRecord struct {
	Size         int64     `json:"size"`
	ETag         string    `json:"etag"` // quoted
	LastModified time.Time `json:"lastModified"`
	BlobID       string    `json:"blob,omitempty"`
	// DataKey is the wrapped data key sealing BlobID, "" for a blob
	// stored in the clear (sse.go).
	DataKey string    `json:"dk,omitempty"`
	Parts   []partRef `json:"parts,omitempty"`
	// VersionID is the version's id in a versioned bucket ("" otherwise);
	// Null marks the version S3 calls "null" (written while versioning was
	// suspended, or before it was enabled).
	VersionID    string `json:"versionId,omitempty"`
	Null         bool   `json:"null,omitempty"`
	DeleteMarker bool   `json:"deleteMarker,omitempty"`
	Tags         []Tag  `json:"tags,omitempty"`
	// Headers are the stored representation headers (Content-Type,
	// Cache-Control, ...) by canonical name.
	Headers map[string]string `json:"headers,omitempty"`
	// Meta is the user metadata, x-amz-meta-<name> with name lowercased.
	Meta map[string]string `json:"meta,omitempty"`
	// ChecksumAlgorithm ("CRC32", ...) and Checksum (base64) are the
	// object's additional checksum, when the upload carried one.
	ChecksumAlgorithm string `json:"checksumAlgorithm,omitempty"`
	Checksum          string `json:"checksum,omitempty"`
	// ChecksumType is FULL_OBJECT or COMPOSITE for a multipart object
	// with a checksum; "" otherwise (a single upload's is FULL_OBJECT).
	ChecksumType string `json:"checksumType,omitempty"`
	// UploadID is the multipart upload that made the object, so that a
	// repeated CompleteMultipartUpload can answer as the first did.
	UploadID string `json:"uploadId,omitempty"`
}

// partRef is one part of a multipart object.
type partRef struct {
	BlobID string `json:"b"`
	Size   int64  `json:"n"`
	// Key is the wrapped data key sealing the blob, "" for none.
	Key string `json:"k,omitempty"`
}

// refs returns the blobs of the record's bytes in order.
func (o *objectRecord) refs() []partRef {
	if len(o.Parts) > 0 {
		return o.Parts
	}
	return []partRef{{BlobID: o.BlobID, Size: o.Size, Key: o.DataKey}}
}

// sse returns the x-amz-server-side-encryption of the object: AES256 when
// its bytes are sealed, "" for objects stored before encryption existed.
func (o *objectRecord) sse() string {
	if o.DeleteMarker || o.refs()[0].Key == "" {
		return ""
	}
	return sseAES256
}

// blobIDs returns the blobs holding the record's bytes.
func (o *objectRecord) blobIDs() []string {
	if o.BlobID != "" {
		return []string{o.BlobID}
	}
	ids := make([]string, 0, len(o.Parts))
	for _, p := range o.Parts {
		ids = append(ids, p.BlobID)
	}
	return ids
}

// versionName is the version id S3 reports: "null" for the null version,
// "" when the bucket was never versioned.
func (o *objectRecord) versionName() string {
	if o.Null {
		return "null"
	}
	return o.VersionID
}

func bucketKey(bucket string) []byte { return []byte(bucketsPrefix + bucket) }

func objectsOf(bucket string) []byte { return []byte(objectsPrefix + bucket + "/") }

func objectKey(bucket, key string) []byte { return append(objectsOf(bucket), key...) }

func versionsOf(bucket string) []byte { return []byte(versionsPrefix + bucket + "/") }

// versionsOfKey is the prefix of every version of bucket/key.
func versionsOfKey(bucket, key string) []byte { return append(append(versionsOf(bucket), key...), 0) }

func versionKey(bucket, key, versionID string) []byte {
	return append(versionsOfKey(bucket, key), versionID...)
}

// getJSON reads and decodes the record at key; found is false when absent.
func getJSON(tx storage.ReadTx, key []byte, v any) (found bool, err error) {
	raw, err := tx.Get(key)
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("s3: read %q: %w", key, err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return false, fmt.Errorf("s3: decode %q: %w", key, err)
	}
	return true, nil
}

// setJSON encodes v and stores it at key.
func setJSON(tx storage.Tx, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("s3: encode %q: %w", key, err)
	}
	return tx.Set(key, raw)
}

// getBucket returns the bucket, or NoSuchBucket.
func getBucket(tx storage.ReadTx, name string) (*bucketRecord, error) {
	var b bucketRecord
	found, err := getJSON(tx, bucketKey(name), &b)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errNoSuchBucket.New(msgNoSuchBucket).With("BucketName", name)
	}
	return &b, nil
}

// updateBucket applies fn to the bucket's record and stores it.
func (s *Service) updateBucket(ctx context.Context, name string, fn func(*bucketRecord) error) error {
	return s.engine.Update(ctx, func(tx storage.Tx) error {
		b, err := getBucket(tx, name)
		if err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
		return setJSON(tx, bucketKey(name), b)
	})
}

// viewBucket returns the bucket's record.
func (s *Service) viewBucket(ctx context.Context, name string) (*bucketRecord, error) {
	var b *bucketRecord
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		var err error
		b, err = getBucket(tx, name)
		return err
	})
	return b, err
}
