package s3

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/fogbank/fogbank/internal/blob"
)

// Encryption at rest (SSE-S3). Every blob the service writes is sealed
// with AES-256-GCM under a random 256-bit data key of its own, in
// segments of sealSegment plaintext bytes, each followed by its 16-byte
// tag and sealed with the nonce of its index, so a Range read opens only
// the segments it spans. The data key, wrapped (AES-256-GCM, random nonce)
// by the master key, is stored in the record naming the blob (objectRecord
// DataKey, partRef Key, partRecord DataKey). Blobs written before
// encryption existed have no data key and are read as they are.

// MasterKeyEnv names the environment variable that may hold the master
// key (64 hex digits) instead of the key file.
const MasterKeyEnv = "FOGBANK_S3_MASTER_KEY"

// MasterKeySize is the length in bytes of the master key.
const MasterKeySize = 32

const (
	sealSegment = 64 << 10
	sealTag     = 16
	sealedSeg   = sealSegment + sealTag
	// wrapAAD binds a wrapped data key to its purpose.
	wrapAAD = "fogbank-s3-data-key-v1"
)

// LoadMasterKey returns the master key: fromEnv (64 hex digits) when it is
// set, else the key in the file at path, which is created with a random
// key (mode 0600) when it does not exist.
func LoadMasterKey(fromEnv, path string) ([]byte, error) {
	if fromEnv != "" {
		return decodeMasterKey(fromEnv, MasterKeyEnv)
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createMasterKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("s3: read master key: %w", err)
	}
	return decodeMasterKey(string(raw), path)
}

func decodeMasterKey(text, source string) ([]byte, error) {
	key, err := hex.DecodeString(strings.TrimSpace(text))
	if err != nil || len(key) != MasterKeySize {
		return nil, fmt.Errorf("s3: master key in %s must be %d hex digits", source, 2*MasterKeySize)
	}
	return key, nil
}

// createMasterKey writes a new random key to path and syncs it and its
// directory, since objects sealed under it are lost without it; if another
// process created the file first, its key is read instead.
func createMasterKey(path string) ([]byte, error) {
	key := make([]byte, MasterKeySize)
	_, _ = rand.Read(key) // crypto/rand.Read never fails
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("s3: create master key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return LoadMasterKey("", path)
	}
	if err != nil {
		return nil, fmt.Errorf("s3: create master key: %w", err)
	}
	_, err = f.WriteString(hex.EncodeToString(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		_ = os.Remove(path)
		return nil, fmt.Errorf("s3: write master key: %w", err)
	}
	return key, nil
}

// syncDir syncs the directory dir, making the names in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// sealer wraps data keys under the master key and seals blobs.
type sealer struct {
	master cipher.AEAD
}

func newSealer(masterKey []byte) (*sealer, error) {
	aead, err := newGCM(masterKey)
	if err != nil {
		return nil, fmt.Errorf("s3: master key: %w", err)
	}
	return &sealer{master: aead}, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// newDataKey returns a random data key's cipher and its wrapped form
// (base64 of nonce, sealed key and tag).
func (s *sealer) newDataKey() (cipher.AEAD, string) {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	nonce := make([]byte, s.master.NonceSize(), s.master.NonceSize()+len(key)+s.master.Overhead())
	_, _ = rand.Read(nonce)
	wrapped := s.master.Seal(nonce, nonce, key, []byte(wrapAAD))
	aead, _ := newGCM(key) // a 32-byte key is always valid
	return aead, base64.StdEncoding.EncodeToString(wrapped)
}

// unwrap returns the cipher of a wrapped data key.
func (s *sealer) unwrap(wrapped string) (cipher.AEAD, error) {
	raw, err := base64.StdEncoding.DecodeString(wrapped)
	n := s.master.NonceSize()
	if err != nil || len(raw) < n {
		return nil, errors.New("s3: malformed data key")
	}
	key, err := s.master.Open(nil, raw[:n], raw[n:], []byte(wrapAAD))
	if err != nil {
		return nil, fmt.Errorf("s3: unwrap data key (wrong master key?): %w", err)
	}
	return newGCM(key)
}

// segmentNonce is the nonce of segment i: its index, big-endian.
func segmentNonce(nonce *[12]byte, i int64) []byte {
	binary.BigEndian.PutUint64(nonce[4:], uint64(i))
	return nonce[:]
}

// sealBufs is a buffer of one sealed segment, pooled; segments are sealed
// and opened in place.
type sealBufs struct {
	sealed [sealedSeg]byte
}

var sealPool = sync.Pool{New: func() any { return new(sealBufs) }}

// sealingReader reads a plaintext stream as its sealed segments.
type sealingReader struct {
	src   io.Reader
	aead  cipher.AEAD
	bufs  *sealBufs
	out   []byte // sealed bytes not yet read
	index int64
	// plain counts the plaintext bytes read from src.
	plain int64
	err   error
}

func (r *sealingReader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.fill()
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

// fill reads the next segment of plaintext and seals it.
func (r *sealingReader) fill() {
	n := 0
	for n < sealSegment && r.err == nil {
		var m int
		m, r.err = r.src.Read(r.bufs.sealed[n:sealSegment])
		n += m
	}
	r.plain += int64(n)
	if n == 0 {
		return
	}
	var nonce [12]byte
	r.out = r.aead.Seal(r.bufs.sealed[:0], segmentNonce(&nonce, r.index), r.bufs.sealed[:n], nil)
	r.index++
}

// putBlob stores r as a new sealed blob and returns its id, wrapped data
// key and plaintext size.
func (s *Service) putBlob(ctx context.Context, r io.Reader) (id, dataKey string, size int64, err error) {
	aead, wrapped := s.sealer.newDataKey()
	bufs := sealPool.Get().(*sealBufs)
	defer sealPool.Put(bufs)
	sr := &sealingReader{src: r, aead: aead, bufs: bufs}
	id, _, err = s.blobs.Put(ctx, sr)
	if err != nil {
		return "", "", 0, err
	}
	return id, wrapped, sr.plain, nil
}

// openBlob opens a blob for reading its plaintext: as stored when dataKey
// is "", else through the data key.
func (s *Service) openBlob(ctx context.Context, id, dataKey string) (blob.Reader, error) {
	b, err := s.blobs.Open(ctx, id)
	if err != nil || dataKey == "" {
		return b, err
	}
	aead, err := s.sealer.unwrap(dataKey)
	if err != nil {
		_ = b.Close()
		return nil, err
	}
	return newSealedReader(b, aead), nil
}

// plainSize returns the plaintext length of a sealed blob of n bytes.
func plainSize(n int64) int64 {
	segments := (n + sealedSeg - 1) / sealedSeg
	return n - segments*sealTag
}

// sealedReader reads a sealed blob's plaintext at random offsets, keeping
// the last segment it opened so that sequential reads open each segment
// once.
type sealedReader struct {
	b    blob.Reader
	aead cipher.AEAD
	size int64

	mu    sync.Mutex
	bufs  *sealBufs
	seg   int64  // index of the segment in plain, -1 for none
	plain []byte // the open segment
}

func newSealedReader(b blob.Reader, aead cipher.AEAD) *sealedReader {
	return &sealedReader{b: b, aead: aead, size: plainSize(b.Size()), seg: -1}
}

// Size implements blob.Reader.
func (r *sealedReader) Size() int64 { return r.size }

// ReadAt implements io.ReaderAt.
func (r *sealedReader) ReadAt(p []byte, off int64) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for n < len(p) {
		if off >= r.size {
			return n, io.EOF
		}
		seg := off / sealSegment
		if err := r.open(seg); err != nil {
			return n, err
		}
		m := copy(p[n:], r.plain[off-seg*sealSegment:])
		n += m
		off += int64(m)
	}
	return n, nil
}

// segmentAt returns the plaintext from off to the end of its segment,
// valid until the next call.
func (r *sealedReader) segmentAt(off int64) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if off >= r.size {
		return nil, io.ErrUnexpectedEOF
	}
	seg := off / sealSegment
	if err := r.open(seg); err != nil {
		return nil, err
	}
	return r.plain[off-seg*sealSegment:], nil
}

// open decrypts segment seg into r.plain.
func (r *sealedReader) open(seg int64) error {
	if seg == r.seg {
		return nil
	}
	if r.bufs == nil {
		r.bufs = sealPool.Get().(*sealBufs)
	}
	r.seg = -1
	want := min(sealedSeg, r.b.Size()-seg*sealedSeg)
	got, err := r.b.ReadAt(r.bufs.sealed[:want], seg*sealedSeg)
	if int64(got) != want {
		return fmt.Errorf("s3: read sealed segment %d: %w", seg, cmpErr(err, io.ErrUnexpectedEOF))
	}
	var nonce [12]byte
	plain, err := r.aead.Open(r.bufs.sealed[:0], segmentNonce(&nonce, seg), r.bufs.sealed[:want], nil)
	if err != nil {
		return fmt.Errorf("s3: sealed segment %d fails authentication: %w", seg, err)
	}
	r.seg, r.plain = seg, plain
	return nil
}

func cmpErr(err, fallback error) error {
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return fallback
}

// Close implements io.Closer.
func (r *sealedReader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.bufs != nil {
		sealPool.Put(r.bufs)
		r.bufs, r.seg, r.plain = nil, -1, nil
	}
	return r.b.Close()
}

// section returns a reader of n bytes of b from off: a sealed blob's
// plaintext, which also writes itself a segment at a time, or a stored
// blob's bytes (see blob.Section).
func section(b blob.Reader, off, n int64) io.Reader {
	if sr, ok := b.(*sealedReader); ok {
		return &sealedSection{r: sr, off: off, end: off + n}
	}
	return blob.Section(b, off, n)
}

// sealedSection reads the plaintext of a sealed blob from off to end.
type sealedSection struct {
	r        *sealedReader
	off, end int64
}

func (s *sealedSection) Read(p []byte) (int, error) {
	if s.off >= s.end {
		return 0, io.EOF
	}
	n, err := s.r.ReadAt(p[:min(int64(len(p)), s.end-s.off)], s.off)
	s.off += int64(n)
	if errors.Is(err, io.EOF) && s.off >= s.end {
		err = nil
	}
	return n, err
}

// WriteTo writes the section's segments to w as they are decrypted.
func (s *sealedSection) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for s.off < s.end {
		chunk, err := s.r.segmentAt(s.off)
		if err != nil {
			return total, err
		}
		chunk = chunk[:min(int64(len(chunk)), s.end-s.off)]
		n, err := w.Write(chunk)
		total += int64(n)
		s.off += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
