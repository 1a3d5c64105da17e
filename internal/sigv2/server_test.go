package sigv2_test

import (
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/fogbank/fogbank/internal/fogtest"
	"github.com/fogbank/fogbank/internal/sigv2"
)

// presignV2 returns a SigV2 presigned URL for method on base+path, signed
// over resource, as botocore's HmacV1QueryAuth builds it.
func presignV2(method, base, path, resource, secret string, expires time.Time) string {
	r, _ := http.NewRequest(method, base+path, nil)
	q := url.Values{"AWSAccessKeyId": {fogtest.AccessKeyID}, "Expires": {strconv.FormatInt(expires.Unix(), 10)}}
	r.URL.RawQuery = q.Encode()
	q.Set("Signature", sigv2.Sign(secret, sigv2.StringToSign(r, true, resource)))
	return base + path + "?" + q.Encode()
}

// s3Answer returns the status, S3 error code and body of a request.
func s3Answer(t *testing.T, hc *http.Client, r *http.Request) (int, string, string) {
	t.Helper()
	resp, err := hc.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var e struct{ Code, Message string }
	_ = xml.Unmarshal(body, &e)
	if e.Code != "" {
		return resp.StatusCode, e.Code, e.Message
	}
	return resp.StatusCode, "", string(body)
}

// TestServerSigV2 sends SigV2-signed requests to a real server: presigned
// URLs path- and virtual-host-style, an Authorization header, and the
// failures S3 answers.
func TestServerSigV2(t *testing.T) {
	srv := fogtest.Start(t)
	c := srv.S3()
	if _, err := c.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String("legacy")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("legacy"), Key: aws.String("a b.txt"),
		Body: strings.NewReader("old school")}); err != nil {
		t.Fatal(err)
	}
	hc := srv.APIClient()
	_, port, _ := net.SplitHostPort(srv.Addr())
	pathBase, hostBase := "http://localhost:"+port, "http://legacy.localhost:"+port
	hour := time.Now().Add(time.Hour)
	get := func(u string) *http.Request { r, _ := http.NewRequest(http.MethodGet, u, nil); return r }

	for _, tc := range []struct {
		name, url           string
		status              int
		code, messageOrBody string
	}{
		{"path style", presignV2("GET", pathBase, "/legacy/a%20b.txt", "/legacy/a%20b.txt", fogtest.SecretAccessKey, hour),
			200, "", "old school"},
		{"virtual host", presignV2("GET", hostBase, "/a%20b.txt", "/legacy/a%20b.txt", fogtest.SecretAccessKey, hour),
			200, "", "old school"},
		{"expired", presignV2("GET", pathBase, "/legacy/a%20b.txt", "/legacy/a%20b.txt", fogtest.SecretAccessKey, time.Now().Add(-time.Minute)),
			403, "AccessDenied", "Request has expired"},
		{"wrong secret", presignV2("GET", pathBase, "/legacy/a%20b.txt", "/legacy/a%20b.txt", "not-the-secret", hour),
			403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method."},
		{"other object", strings.Replace(presignV2("GET", pathBase, "/legacy/a%20b.txt", "/legacy/a%20b.txt", fogtest.SecretAccessKey, hour), "a%20b", "c", 1),
			403, "SignatureDoesNotMatch", ""},
		{"missing Expires", pathBase + "/legacy/a%20b.txt?AWSAccessKeyId=" + fogtest.AccessKeyID + "&Signature=x",
			403, "AccessDenied", "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters"},
	} {
		status, code, msg := s3Answer(t, hc, get(tc.url))
		if status != tc.status || code != tc.code || (tc.messageOrBody != "" && msg != tc.messageOrBody) {
			t.Errorf("%s: %d %s %q, want %d %s %q", tc.name, status, code, msg, tc.status, tc.code, tc.messageOrBody)
		}
	}

	put, _ := http.NewRequest(http.MethodPut, pathBase+"/legacy/put.txt", strings.NewReader("by header"))
	put.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	put.Header.Set("Content-Type", "text/plain")
	put.Header.Set("Authorization", "AWS "+fogtest.AccessKeyID+":"+
		sigv2.Sign(fogtest.SecretAccessKey, sigv2.StringToSign(put, false, "/legacy/put.txt")))
	if status, code, msg := s3Answer(t, hc, put); status != 200 {
		t.Fatalf("PUT with an AWS Authorization header: %d %s %s", status, code, msg)
	}
	got, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("legacy"), Key: aws.String("put.txt")})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if string(body) != "by header" || aws.ToString(got.ContentType) != "text/plain" {
		t.Errorf("GetObject = %q (%s), want the PUT's body and type", body, aws.ToString(got.ContentType))
	}
	bad := get(pathBase + "/legacy/put.txt")
	bad.Header.Set("Authorization", "AWS "+fogtest.AccessKeyID)
	if status, code, _ := s3Answer(t, hc, bad); status != 400 || code != "InvalidArgument" {
		t.Errorf("malformed AWS header: %d %s, want 400 InvalidArgument", status, code)
	}
}
