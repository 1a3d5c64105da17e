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
//	s3/b/<bucket>        → bucketRecord (JSON)
//	s3/o/<bucket>/<key>  → objectRecord (JSON)
//
// Bucket names never contain "/", so a bucket's objects are one contiguous
// range ordered by key bytes, which is S3's listing order.
const (
	bucketsPrefix = "s3/b/"
	objectsPrefix = "s3/o/"
)

// bucketRecord is a bucket's stored state.
type bucketRecord struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	Region  string    `json:"region"`
	// Versioning is "", "Enabled" or "Suspended" (stored only: objects are
	// not versioned yet).
	Versioning string             `json:"versioning,omitempty"`
	Tags       []Tag              `json:"tags,omitempty"`
	CORS       *CORSConfiguration `json:"cors,omitempty"`
}

// objectRecord is an object's stored metadata; its bytes are the blob
// BlobID.
type objectRecord struct {
	Size         int64     `json:"size"`
	ETag         string    `json:"etag"` // quoted
	LastModified time.Time `json:"lastModified"`
	BlobID       string    `json:"blob"`
	// Headers are the stored representation headers (Content-Type,
	// Cache-Control, ...) by canonical name.
	Headers map[string]string `json:"headers,omitempty"`
	// Meta is the user metadata, x-amz-meta-<name> with name lowercased.
	Meta map[string]string `json:"meta,omitempty"`
	// ChecksumAlgorithm ("CRC32", ...) and Checksum (base64) are the
	// object's additional checksum, when the upload carried one.
	ChecksumAlgorithm string `json:"checksumAlgorithm,omitempty"`
	Checksum          string `json:"checksum,omitempty"`
}

func bucketKey(bucket string) []byte { return []byte(bucketsPrefix + bucket) }

func objectsOf(bucket string) []byte { return []byte(objectsPrefix + bucket + "/") }

func objectKey(bucket, key string) []byte { return append(objectsOf(bucket), key...) }

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

// getObject returns the object in an existing bucket, or NoSuchBucket /
// NoSuchKey.
func getObject(tx storage.ReadTx, bucket, key string) (*objectRecord, error) {
	if _, err := getBucket(tx, bucket); err != nil {
		return nil, err
	}
	var o objectRecord
	found, err := getJSON(tx, objectKey(bucket, key), &o)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errNoSuchKey.New(msgNoSuchKey).With("Key", key)
	}
	return &o, nil
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

// viewObject returns the object's record.
func (s *Service) viewObject(ctx context.Context, bucket, key string) (*objectRecord, error) {
	var o *objectRecord
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		var err error
		o, err = getObject(tx, bucket, key)
		return err
	})
	return o, err
}

// putObjectRecord stores o at bucket/key and returns the blob it replaced
// ("" when none). NoSuchBucket when the bucket is gone.
func (s *Service) putObjectRecord(ctx context.Context, bucket, key string, o *objectRecord) (replaced string, err error) {
	err = s.engine.Update(ctx, func(tx storage.Tx) error {
		replaced = ""
		if _, err := getBucket(tx, bucket); err != nil {
			return err
		}
		var old objectRecord
		found, err := getJSON(tx, objectKey(bucket, key), &old)
		if err != nil {
			return err
		}
		if found {
			replaced = old.BlobID
		}
		return setJSON(tx, objectKey(bucket, key), o)
	})
	return replaced, err
}

// deleteObjectRecord removes bucket/key and returns its blob ("" when
// there was no object).
func (s *Service) deleteObjectRecord(ctx context.Context, bucket, key string) (blobID string, err error) {
	err = s.engine.Update(ctx, func(tx storage.Tx) error {
		blobID = ""
		if _, err := getBucket(tx, bucket); err != nil {
			return err
		}
		var old objectRecord
		found, err := getJSON(tx, objectKey(bucket, key), &old)
		if err != nil || !found {
			return err
		}
		blobID = old.BlobID
		return tx.Delete(objectKey(bucket, key))
	})
	return blobID, err
}
