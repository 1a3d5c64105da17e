// Package awschunked decodes the aws-chunked payload encoding that S3
// clients use for streaming uploads:
//
//	<hex size>[;chunk-signature=<64 hex>]\r\n<size bytes>\r\n ... 0[;chunk-signature=<sig>]\r\n
//	[<trailer name>:<value>\r\n ...][x-amz-trailer-signature:<sig>\r\n]\r\n
//
// With [Signing] set (x-amz-content-sha256 STREAMING-AWS4-HMAC-SHA256-PAYLOAD
// and its -TRAILER variant) every chunk signature is verified, each chained
// to the previous one starting from the request's signature, and so is the
// trailer signature. Without it (STREAMING-UNSIGNED-PAYLOAD-TRAILER) the
// framing is only decoded. Trailing headers (x-amz-checksum-crc32 and
// friends) are stored into the trailer map given to [NewReader] once the
// body has been read to EOF, as net/http does for HTTP trailers.
//
// The reader never buffers more than one chunk-header line; chunk data is
// streamed through.
package awschunked

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Errors returned (wrapped) by Reader.Read.
var (
	// ErrMalformed means the body does not follow the aws-chunked framing.
	ErrMalformed = errors.New("awschunked: malformed chunked body")
	// ErrSignatureMismatch means a chunk or trailer signature is wrong or
	// missing.
	ErrSignatureMismatch = errors.New("awschunked: chunk signature mismatch")
)

// maxLineLength bounds a chunk-header or trailer line.
const maxLineLength = 4096

// emptySHA256 is hex(SHA256("")), part of every chunk string to sign.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// trailerSignatureName is the trailing header that signs the others.
const trailerSignatureName = "x-amz-trailer-signature"

// Signing is what chunk signatures are verified against.
type Signing struct {
	// Key is the request's derived signing key (see SigningKey).
	Key []byte
	// AmzDate is the request's X-Amz-Date, yyyymmddThhmmssZ.
	AmzDate string
	// Scope is the credential scope, date/region/service/aws4_request.
	Scope string
	// Seed is the request's own signature, which the first chunk's
	// signature chains from.
	Seed string
}

// SigningKey derives the SigV4 signing key of a secret for a scope.
func SigningKey(secret, date, region, service string) []byte {
	key := hmacSum([]byte("AWS4"+secret), date)
	key = hmacSum(key, region)
	key = hmacSum(key, service)
	return hmacSum(key, "aws4_request")
}

func hmacSum(key []byte, data string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(data))
	return mac.Sum(nil)
}

// Reader decodes one aws-chunked body.
type Reader struct {
	br      *bufio.Reader
	signing *Signing
	trailer http.Header
	// prev is the last verified signature in the chain.
	prev string
	// remaining is what is left of the current chunk's data; chunkSig is
	// the signature the chunk claims and chunkHash hashes its data.
	remaining int64
	inChunk   bool
	chunkSig  string
	chunkHash hash.Hash
	// err is sticky: io.EOF after the last trailer, or the failure.
	err error
}

// NewReader returns a Reader of body. signing, when non-nil, turns on
// signature verification. trailer, when non-nil, receives the trailing
// headers at EOF.
func NewReader(body io.Reader, signing *Signing, trailer http.Header) *Reader {
	r := &Reader{br: bufio.NewReaderSize(body, maxLineLength), signing: signing, trailer: trailer}
	if signing != nil {
		r.prev = signing.Seed
		r.chunkHash = sha256.New()
	}
	return r
}

// Read implements io.Reader, returning the decoded payload.
func (r *Reader) Read(p []byte) (int, error) {
	for r.remaining == 0 && r.err == nil {
		r.err = r.advance()
	}
	if r.err != nil {
		return 0, r.err
	}
	if int64(len(p)) > r.remaining {
		p = p[:r.remaining]
	}
	n, err := r.br.Read(p)
	r.remaining -= int64(n)
	if r.chunkHash != nil {
		r.chunkHash.Write(p[:n])
	}
	if errors.Is(err, io.EOF) && r.remaining > 0 {
		r.err = fmt.Errorf("%w: body ends inside a chunk", ErrMalformed)
		return n, r.err
	}
	if err != nil && !errors.Is(err, io.EOF) {
		r.err = err
		return n, err
	}
	return n, nil
}

// advance finishes the current chunk (its CRLF and signature) and starts
// the next one, or reads the trailers after the last one.
func (r *Reader) advance() error {
	if r.inChunk {
		if err := r.finishChunk(); err != nil {
			return err
		}
	}
	size, sig, err := r.chunkHeader()
	if err != nil {
		return err
	}
	r.inChunk, r.remaining, r.chunkSig = true, size, sig
	if size > 0 {
		return nil
	}
	if err := r.verifyChunk(); err != nil { // the final, empty chunk
		return err
	}
	if err := r.readTrailers(); err != nil {
		return err
	}
	return io.EOF
}

// finishChunk reads the CRLF after a chunk's data and verifies it.
func (r *Reader) finishChunk() error {
	line, err := r.line()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: body ends after chunk data", ErrMalformed)
	}
	if err != nil {
		return err
	}
	if line != "" {
		return fmt.Errorf("%w: chunk data longer than its size", ErrMalformed)
	}
	r.inChunk = false
	return r.verifyChunk()
}

// chunkHeader reads "<hex size>[;chunk-signature=<sig>]".
func (r *Reader) chunkHeader() (size int64, sig string, err error) {
	line, err := r.line()
	if errors.Is(err, io.EOF) {
		return 0, "", fmt.Errorf("%w: body ends before the final chunk", ErrMalformed)
	}
	if err != nil {
		return 0, "", err
	}
	sizeText, ext, _ := strings.Cut(line, ";")
	size, err = strconv.ParseInt(strings.TrimSpace(sizeText), 16, 64)
	if err != nil || size < 0 {
		return 0, "", fmt.Errorf("%w: bad chunk size %q", ErrMalformed, sizeText)
	}
	if name, value, ok := strings.Cut(ext, "="); ok && strings.TrimSpace(name) == "chunk-signature" {
		sig = strings.TrimSpace(value)
	}
	return size, sig, nil
}

// verifyChunk checks the signature of the chunk just read.
func (r *Reader) verifyChunk() error {
	if r.signing == nil {
		return nil
	}
	sum := hex.EncodeToString(r.chunkHash.Sum(nil))
	r.chunkHash.Reset()
	return r.verify("AWS4-HMAC-SHA256-PAYLOAD", emptySHA256+"\n"+sum, r.chunkSig)
}

// verify checks sig against the string to sign built from algorithm and
// tail, and makes it the previous signature of the chain.
func (r *Reader) verify(algorithm, tail, sig string) error {
	stringToSign := algorithm + "\n" + r.signing.AmzDate + "\n" + r.signing.Scope + "\n" + r.prev + "\n" + tail
	want := hex.EncodeToString(hmacSum(r.signing.Key, stringToSign))
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return ErrSignatureMismatch
	}
	r.prev = sig
	return nil
}

// readTrailers reads the trailing headers up to the blank line (or EOF),
// verifying the trailer signature when signing.
func (r *Reader) readTrailers() error {
	var canonical strings.Builder
	var sig string
	for {
		line, err := r.line()
		if errors.Is(err, io.EOF) || (err == nil && line == "") {
			break
		}
		if err != nil {
			return err
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return fmt.Errorf("%w: bad trailer line", ErrMalformed)
		}
		name, value = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(value)
		if name == trailerSignatureName {
			sig = value
			continue
		}
		canonical.WriteString(name + ":" + value + "\n")
		if r.trailer != nil {
			r.trailer.Add(name, value)
		}
	}
	if r.signing == nil || (sig == "" && canonical.Len() == 0) {
		return nil
	}
	sum := sha256.Sum256([]byte(canonical.String()))
	return r.verify("AWS4-HMAC-SHA256-TRAILER", hex.EncodeToString(sum[:]), sig)
}

// line reads one CRLF- (or LF-) terminated line without its terminator.
// A clean EOF before any byte is io.EOF.
func (r *Reader) line() (string, error) {
	b, err := r.br.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return "", fmt.Errorf("%w: line too long", ErrMalformed)
	case errors.Is(err, io.EOF) && len(b) == 0:
		return "", io.EOF
	case errors.Is(err, io.EOF):
		return "", fmt.Errorf("%w: body ends inside a line", ErrMalformed)
	case err != nil:
		return "", err
	}
	return strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r"), nil
}
