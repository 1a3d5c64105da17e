package s3

import (
	"bytes"
	"errors"
	"hash/crc32"
	"hash/crc64"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/fogbank/fogbank/internal/blob"
)

// TestSealedBlobs seals blobs of sizes around the segment size and reads
// them back whole and in ranges.
func TestSealedBlobs(t *testing.T) {
	s, blobs := newTestService(t, 0)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, sealSegment - 1, sealSegment, sealSegment + 1, 3*sealSegment + 17} {
		plain := make([]byte, size)
		for i := range plain {
			plain[i] = byte(rng.IntN(256))
		}
		id, key, n, err := s.putBlob(t.Context(), bytes.NewReader(plain))
		if err != nil || n != int64(size) || key == "" {
			t.Fatalf("putBlob(%d bytes) = %d, %q, %v", size, n, key, err)
		}
		raw := readAll(t, blobs, id)
		if size > 16 && bytes.Contains(raw, plain[:16]) {
			t.Errorf("size %d: the blob holds plaintext", size)
		}
		rec := &objectRecord{BlobID: id, DataKey: key, Size: n}
		for _, rg := range [][2]int{{0, size}, {size / 3, size / 2}, {max(0, size-5), min(5, size)}} {
			r, err := s.openRange(t.Context(), rec, int64(rg[0]), int64(rg[1]))
			if err != nil {
				t.Fatalf("openRange: %v", err)
			}
			got, err := io.ReadAll(r)
			_ = r.Close()
			if err != nil || !bytes.Equal(got, plain[rg[0]:rg[0]+rg[1]]) {
				t.Errorf("size %d, range %v: got %d bytes, %v", size, rg, len(got), err)
			}
		}
	}
}

// TestSealedBlobTampered fails the read of a blob whose bytes changed.
func TestSealedBlobTampered(t *testing.T) {
	s, blobs := newTestService(t, 0)
	id, key, n, err := s.putBlob(t.Context(), bytes.NewReader(bytes.Repeat([]byte("x"), 1000)))
	if err != nil {
		t.Fatal(err)
	}
	path := blobPath(t, blobs, id)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw[10] ^= 1
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := s.openRange(t.Context(), &objectRecord{BlobID: id, DataKey: key, Size: n}, 0, n)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := io.ReadAll(r); err == nil {
		t.Error("reading a tampered blob succeeded")
	}
}

// TestLoadMasterKey creates the key file once and reads it after.
func TestLoadMasterKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "key")
	first, err := LoadMasterKey("", path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v", info, err)
	}
	again, err := LoadMasterKey("", path)
	if err != nil || !bytes.Equal(first, again) {
		t.Errorf("second load = %x, %v; want %x", again, err, first)
	}
	env := "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	if k, err := LoadMasterKey(env, path); err != nil || k[1] != 0x11 {
		t.Errorf("LoadMasterKey(env) = %x, %v", k, err)
	}
	if _, err := LoadMasterKey("abc", path); err == nil {
		t.Error("a short key was accepted")
	}
}

// TestCRCCombine checks combined CRCs against the CRC of the whole.
func TestCRCCombine(t *testing.T) {
	a, b := bytes.Repeat([]byte("fogbank "), 1000), []byte("and the rest")
	whole := append(bytes.Clone(a), b...)
	checks := map[string]func([]byte) uint64{
		"CRC32":     func(p []byte) uint64 { return uint64(crc32.ChecksumIEEE(p)) },
		"CRC32C":    func(p []byte) uint64 { return uint64(crc32.Checksum(p, crc32cTable)) },
		"CRC64NVME": func(p []byte) uint64 { return crc64.Checksum(p, crc64NVMETable) },
	}
	for alg, sum := range checks {
		p := crcPolys[alg]
		if got, want := p.combine(sum(a), sum(b), int64(len(b))), sum(whole); got != want {
			t.Errorf("%s: combine = %x, want %x", alg, got, want)
		}
		if got := p.combine(0, sum(a), int64(len(a))); got != sum(a) {
			t.Errorf("%s: combine with nothing = %x, want %x", alg, got, sum(a))
		}
	}
}

func readAll(t *testing.T, blobs blob.Store, id string) []byte {
	t.Helper()
	r, err := blobs.Open(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	raw, err := io.ReadAll(io.NewSectionReader(r, 0, r.Size()))
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	return raw
}

// blobPath finds the file of a blob of an FS store.
func blobPath(t *testing.T, blobs blob.Store, id string) string {
	t.Helper()
	r, err := blobs.Open(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, ok := r.(interface{ Name() string })
	if !ok {
		t.Fatal("not a file blob")
	}
	return f.Name()
}
