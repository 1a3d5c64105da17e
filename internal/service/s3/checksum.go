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

// headerChecksumType is the x-amz-checksum-type header.
const headerChecksumType = "X-Amz-Checksum-Type"

// Checksum types of multipart uploads.
const (
	checksumComposite  = "COMPOSITE"
	checksumFullObject = "FULL_OBJECT"
)

// crcPolys are the reversed polynomials and widths of the CRCs whose
// values combine, which a FULL_OBJECT multipart checksum needs.
var crcPolys = map[string]crcPoly{
	"CRC32":     newCRCPoly(crc32.IEEE, 32),
	"CRC32C":    newCRCPoly(crc32.Castagnoli, 32),
	"CRC64NVME": newCRCPoly(crc64NVMEPoly, 64),
}

// parseUploadChecksum reads CreateMultipartUpload's x-amz-checksum-algorithm
// and x-amz-checksum-type: CRC64NVME defaults to (and allows only)
// FULL_OBJECT, SHA1 and SHA256 only COMPOSITE, the 32-bit CRCs either,
// COMPOSITE by default.
func parseUploadChecksum(h http.Header) (alg, typ string, err error) {
	alg = strings.ToUpper(h.Get("X-Amz-Checksum-Algorithm"))
	typ = strings.ToUpper(h.Get(headerChecksumType))
	if _, ok := checksumAlgorithms[alg]; alg != "" && !ok {
		return "", "", errInvalidRequest.Newf("Checksum algorithm %s is not supported.", alg)
	}
	switch {
	case typ != "" && typ != checksumComposite && typ != checksumFullObject:
		return "", "", errInvalidRequest.New("Value for x-amz-checksum-type header is invalid.")
	case typ != "" && alg == "":
		return "", "", errInvalidRequest.New("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.")
	case alg == "":
		return "", "", nil
	case typ == "" && alg == "CRC64NVME":
		typ = checksumFullObject
	case typ == "":
		typ = checksumComposite
	}
	_, combines := crcPolys[alg]
	if typ == checksumFullObject && !combines || typ == checksumComposite && alg == "CRC64NVME" {
		return "", "", errInvalidRequest.Newf("The %s checksum type cannot be used with the %s checksum algorithm.", typ, strings.ToLower(alg))
	}
	return alg, typ, nil
}

// crcPoly combines the CRCs of one reflected polynomial: the CRC of a||b
// from those of a and b and the length of b, without the bytes (zlib's
// crc32_combine, for any width up to 64 bits).
type crcPoly struct {
	width uint
	poly  uint64
	// x2n[k] is x^(2^k) modulo the polynomial.
	x2n [64]uint64
}

func newCRCPoly(poly uint64, width uint) crcPoly {
	p := crcPoly{width: width, poly: poly}
	p.x2n[0] = p.one() >> 1 // x^1
	for k := 1; k < len(p.x2n); k++ {
		p.x2n[k] = p.mulmod(p.x2n[k-1], p.x2n[k-1])
	}
	return p
}

// one is x^0 in the reflected representation.
func (p *crcPoly) one() uint64 { return 1 << (p.width - 1) }

// mulmod returns a*b modulo the polynomial.
func (p *crcPoly) mulmod(a, b uint64) uint64 {
	var prod uint64
	for m := p.one(); m != 0; m >>= 1 {
		if a&m != 0 {
			prod ^= b
		}
		if b&1 != 0 {
			b = b>>1 ^ p.poly
		} else {
			b >>= 1
		}
	}
	return prod
}

// shift returns x^(8n) modulo the polynomial: n zero bytes.
func (p *crcPoly) shift(n uint64) uint64 {
	r, k := p.one(), 3
	for ; n != 0; n, k = n>>1, k+1 {
		if n&1 != 0 {
			r = p.mulmod(p.x2n[k%len(p.x2n)], r)
		}
	}
	return r
}

// combine returns the CRC of a||b from crcA, crcB and len(b).
func (p *crcPoly) combine(crcA, crcB uint64, lenB int64) uint64 {
	return p.mulmod(p.shift(uint64(lenB)), crcA) ^ crcB
}

// fullObjectSum accumulates the parts' CRCs into the whole object's.
type fullObjectSum struct {
	poly *crcPoly
	crc  uint64
	ok   bool
}

func newFullObjectSum(alg string) *fullObjectSum {
	p, ok := crcPolys[alg]
	return &fullObjectSum{poly: &p, ok: ok}
}

// add appends a part of size bytes with the base64 CRC sum.
func (f *fullObjectSum) add(sum string, size int64) {
	raw, err := base64.StdEncoding.DecodeString(sum)
	if !f.ok || err != nil || len(raw)*8 != int(f.poly.width) {
		f.ok = false
		return
	}
	var v uint64
	for _, b := range raw {
		v = v<<8 | uint64(b)
	}
	f.crc = f.poly.combine(f.crc, v, size)
}

// sum returns the combined CRC in base64, "" when a part lacked one.
func (f *fullObjectSum) sum() string {
	if !f.ok {
		return ""
	}
	raw := make([]byte, f.poly.width/8)
	for i := range raw {
		raw[len(raw)-1-i] = byte(f.crc >> (8 * i))
	}
	return base64.StdEncoding.EncodeToString(raw)
}

// get returns the element of alg.
func (c *checksumElements) get(alg string) string {
	switch alg {
	case "CRC32":
		return c.CRC32
	case "CRC32C":
		return c.CRC32C
	case "CRC64NVME":
		return c.CRC64NVME
	case "SHA1":
		return c.SHA1
	case "SHA256":
		return c.SHA256
	}
	return ""
}

// matches reports whether the part checksum a completion lists, if any,
// is the stored part's.
func (lp *completedPart) matches(p *partRecord) bool {
	want := lp.get(p.ChecksumAlgorithm)
	return want == "" || want == p.Checksum
}
