package s3_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/fogbank/fogbank/internal/fogtest"
)

func TestAuthErrors(t *testing.T) {
	t.Parallel()
	srv := fogtest.Start(t)
	mustCreate(t, srv.S3(), "auth")
	for _, tc := range []struct{ name, key, secret, want string }{
		{"wrong secret", fogtest.AccessKeyID, "not-the-secret", "SignatureDoesNotMatch"},
		{"unknown key", "AKIAUNKNOWN000000000", "x", "InvalidAccessKeyId"},
	} {
		c := srv.S3(func(o *s3.Options) {
			o.Credentials = credentials.NewStaticCredentialsProvider(tc.key, tc.secret, "")
			o.RetryMaxAttempts = 1
		})
		_, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("auth"), Key: aws.String("k")})
		wantCode(t, tc.name, err, tc.want)
	}
	resp, err := srv.S3HTTPClient().Get("http://auth.localhost:" + port(srv) + "/k")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "<Code>AccessDenied</Code>") ||
		resp.Header.Get("X-Amz-Request-Id") == "" || resp.Header.Get("X-Amz-Id-2") == "" {
		t.Errorf("anonymous GET = %d %s %v, want 403 AccessDenied with request ids", resp.StatusCode, body, resp.Header)
	}
}

// signedRequest builds a PUT of bucket/key with the given payload hash and
// extra headers, SigV4-signed (S3 style) at now; it returns the request
// and its signature.
func signedRequest(t *testing.T, srv *fogtest.Server, path, payloadHash string, body string, headers map[string]string, now time.Time) (*http.Request, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, "http://localhost:"+port(srv)+"/"+path, strings.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("X-Amz-Content-Sha256", payloadHash)
	creds := aws.Credentials{AccessKeyID: fogtest.AccessKeyID, SecretAccessKey: fogtest.SecretAccessKey}
	err := v4.NewSigner().SignHTTP(t.Context(), creds, req, payloadHash, "s3", fogtest.Region, now,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err != nil {
		t.Fatalf("SignHTTP: %v", err)
	}
	_, sig, _ := strings.Cut(req.Header.Get("Authorization"), "Signature=")
	return req, sig
}

// signedChunks encodes chunks as STREAMING-AWS4-HMAC-SHA256-PAYLOAD,
// each signature chained from seed.
func signedChunks(chunks []string, seed string, now time.Time) string {
	date := now.UTC().Format("20060102")
	key := []byte("AWS4" + fogtest.SecretAccessKey)
	for _, part := range []string{date, fogtest.Region, "s3", "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	scope := date + "/" + fogtest.Region + "/s3/aws4_request"
	empty := sha256.Sum256(nil)
	var b strings.Builder
	prev := seed
	for _, c := range append(chunks, "") {
		sum := sha256.Sum256([]byte(c))
		sts := strings.Join([]string{"AWS4-HMAC-SHA256-PAYLOAD", now.UTC().Format("20060102T150405Z"), scope, prev,
			hex.EncodeToString(empty[:]), hex.EncodeToString(sum[:])}, "\n")
		prev = hex.EncodeToString(hmacSHA256(key, sts))
		fmt.Fprintf(&b, "%x;chunk-signature=%s\r\n%s\r\n", len(c), prev, c)
	}
	return strings.TrimSuffix(b.String(), "\r\n") + "\r\n\r\n"
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func TestAWSChunkedUploads(t *testing.T) {
	t.Parallel()
	srv := fogtest.Start(t)
	c := srv.S3()
	mustCreate(t, c, "chunks")
	now := time.Now()
	chunks := []string{strings.Repeat("a", 8192), "tail"}
	want := strings.Join(chunks, "")
	decoded := fmt.Sprint(len(want))

	// Signed chunks: the body is encoded after signing the headers.
	req, seed := signedRequest(t, srv, "chunks/signed", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "",
		map[string]string{"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": decoded}, now)
	body := signedChunks(chunks, seed, now)
	req.Body, req.ContentLength = io.NopCloser(strings.NewReader(body)), int64(len(body))
	expectStatus(t, srv, req, http.StatusOK)

	tampered, seed := signedRequest(t, srv, "chunks/tampered", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "",
		map[string]string{"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": decoded}, now)
	body = strings.Replace(signedChunks(chunks, seed, now), "tail", "tall", 1)
	tampered.Body, tampered.ContentLength = io.NopCloser(strings.NewReader(body)), int64(len(body))
	expectStatus(t, srv, tampered, http.StatusForbidden)

	// Unsigned chunks with a CRC32 trailer, as SDKs send over HTTPS.
	trailer := fmt.Sprintf("%x\r\n%s\r\n%x\r\n%s\r\n0\r\nx-amz-checksum-crc32:%s\r\n\r\n", len(chunks[0]), chunks[0], len(chunks[1]), chunks[1], crc32Of(want))
	req, _ = signedRequest(t, srv, "chunks/trailer", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", trailer, map[string]string{
		"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": decoded,
		"X-Amz-Trailer": "x-amz-checksum-crc32", "X-Amz-Sdk-Checksum-Algorithm": "CRC32",
	}, now)
	expectStatus(t, srv, req, http.StatusOK)
	badTrailer := strings.Replace(trailer, crc32Of(want), "AAAAAA==", 1)
	req, _ = signedRequest(t, srv, "chunks/badtrailer", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", badTrailer, map[string]string{
		"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": decoded, "X-Amz-Trailer": "x-amz-checksum-crc32",
	}, now)
	expectStatus(t, srv, req, http.StatusBadRequest)

	// A hex payload hash that does not match the body.
	req, _ = signedRequest(t, srv, "chunks/mismatch", hex.EncodeToString(make([]byte, 32)), "body", nil, now)
	expectStatus(t, srv, req, http.StatusBadRequest)

	for _, key := range []string{"signed", "trailer"} {
		get, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("chunks"), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("GetObject(%s): %v", key, err)
		}
		got, _ := io.ReadAll(get.Body)
		get.Body.Close()
		if string(got) != want || get.ContentEncoding != nil {
			t.Errorf("GetObject(%s) = %d bytes, Content-Encoding %v; want the %d decoded bytes, no encoding", key, len(got), get.ContentEncoding, len(want))
		}
	}
	for _, key := range []string{"tampered", "badtrailer", "mismatch"} {
		_, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("chunks"), Key: aws.String(key)})
		wantCode(t, "HeadObject("+key+")", err, "NotFound")
	}
}

// expectStatus sends req and checks the response status.
func expectStatus(t *testing.T, srv *fogtest.Server, req *http.Request, want int) {
	t.Helper()
	resp, err := srv.S3HTTPClient().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Errorf("%s %s = %d %s, want %d", req.Method, req.URL.Path, resp.StatusCode, body, want)
	}
}

// crc32Of returns the base64 big-endian CRC32 (IEEE) of s.
func crc32Of(s string) string {
	sum := crc32.ChecksumIEEE([]byte(s))
	return base64.StdEncoding.EncodeToString([]byte{byte(sum >> 24), byte(sum >> 16), byte(sum >> 8), byte(sum)})
}
