package s3

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"io"
	"net/http"
	"strings"
)

// crc64NVMEPoly is the reversed CRC-64/NVME polynomial.
const crc64NVMEPoly = 0x9a6c9329ac4bc9b5

var (
	crc32cTable    = crc32.MakeTable(crc32.Castagnoli)
	crc64NVMETable = crc64.MakeTable(crc64NVMEPoly)
)

// checksumAlgorithms are the additional checksums S3 accepts, by the
// upper-case name SDKs send in x-amz-sdk-checksum-algorithm.
var checksumAlgorithms = map[string]func() hash.Hash{
	"CRC32":     func() hash.Hash { return crc32.NewIEEE() },
	"CRC32C":    func() hash.Hash { return crc32.New(crc32cTable) },
	"CRC64NVME": func() hash.Hash { return crc64.New(crc64NVMETable) },
	"SHA1":      sha1.New,
	"SHA256":    sha256.New,
}

// checksumHeader returns the x-amz-checksum-* header of an algorithm.
func checksumHeader(alg string) string { return "X-Amz-Checksum-" + strings.ToLower(alg) }

// payloadCheck describes what an upload's body must match.
type payloadCheck struct {
	// md5 is the Content-MD5 digest, nil when none was sent.
	md5 []byte
	// alg is the additional checksum algorithm, "" for none; the expected
	// value is in header (known up front) or in the trailer (at EOF), or
	// neither (x-amz-sdk-checksum-algorithm alone: computed and stored).
	alg               string
	header, inTrailer bool
}

// parsePayloadCheck reads Content-MD5, x-amz-checksum-*, x-amz-trailer and
// x-amz-sdk-checksum-algorithm.
func parsePayloadCheck(r *http.Request) (payloadCheck, error) {
	var pc payloadCheck
	if v := r.Header.Get("Content-MD5"); v != "" {
		sum, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(sum) != md5.Size {
			return pc, errInvalidDigest.New(msgInvalidMD5).With("Content-MD5", v)
		}
		pc.md5 = sum
	}
	for alg := range checksumAlgorithms {
		if r.Header.Get(checksumHeader(alg)) == "" {
			continue
		}
		if pc.alg != "" {
			return pc, errInvalidRequest.New("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
		}
		pc.alg, pc.header = alg, true
	}
	if pc.alg == "" {
		if name, ok := strings.CutPrefix(strings.ToLower(r.Header.Get("X-Amz-Trailer")), "x-amz-checksum-"); ok {
			pc.alg, pc.inTrailer = strings.ToUpper(name), true
		}
	}
	if pc.alg == "" {
		pc.alg = strings.ToUpper(r.Header.Get("X-Amz-Sdk-Checksum-Algorithm"))
	}
	if _, ok := checksumAlgorithms[pc.alg]; pc.alg != "" && !ok {
		return pc, errInvalidRequest.Newf("Checksum algorithm %s is not supported.", pc.alg)
	}
	return pc, nil
}

// checkingReader hashes a body as it streams and, at EOF, checks it
// against the payloadCheck, returning BadDigest instead of io.EOF on a
// mismatch so that the blob store discards the upload.
type checkingReader struct {
	r     io.Reader
	req   *http.Request
	check payloadCheck
	md5   hash.Hash
	sum   hash.Hash
	// checksum is the computed additional checksum (base64), set at EOF.
	checksum string
}

func newCheckingReader(r *http.Request, body io.Reader, pc payloadCheck) *checkingReader {
	c := &checkingReader{r: body, req: r, check: pc, md5: md5.New()}
	if pc.alg != "" {
		c.sum = checksumAlgorithms[pc.alg]()
	}
	return c
}

func (c *checkingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.md5.Write(p[:n])
	if c.sum != nil {
		c.sum.Write(p[:n])
	}
	if errors.Is(err, io.EOF) {
		if verr := c.verify(); verr != nil {
			return n, verr
		}
	}
	return n, err
}

// verify compares the digests with what the client sent.
func (c *checkingReader) verify() error {
	if c.check.md5 != nil && !bytes.Equal(c.check.md5, c.md5.Sum(nil)) {
		return errBadDigest.New(msgBadMD5).
			With("ExpectedDigest", hex.EncodeToString(c.check.md5)).
			With("CalculatedDigest", base64.StdEncoding.EncodeToString(c.md5.Sum(nil)))
	}
	if c.sum == nil {
		return nil
	}
	c.checksum = base64.StdEncoding.EncodeToString(c.sum.Sum(nil))
	want := c.req.Header.Get(checksumHeader(c.check.alg))
	if c.check.inTrailer {
		want = c.req.Trailer.Get(checksumHeader(c.check.alg))
	}
	if (c.check.header || c.check.inTrailer) && want != c.checksum {
		return errBadDigest.Newf("The %s you specified did not match the calculated checksum.", c.check.alg)
	}
	return nil
}

// etag returns the quoted hex MD5 of what was read.
func (c *checkingReader) etag() string { return `"` + hex.EncodeToString(c.md5.Sum(nil)) + `"` }
