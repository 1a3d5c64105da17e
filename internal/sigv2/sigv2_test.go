package sigv2_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/sigv2"
	"github.com/fogbank/fogbank/internal/sigv4"
)

// The example of the Amazon S3 developer guide ("Signing and authenticating
// REST requests", Example Object GET).
const (
	exampleKey    = "AKIAIOSFODNN7EXAMPLE"
	exampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

func lookup(_ context.Context, akid string) (sigv4.Credential, error) {
	if akid != exampleKey {
		return sigv4.Credential{}, sigv4.ErrUnknownAccessKey
	}
	return sigv4.Credential{AccessKeyID: akid, SecretAccessKey: exampleSecret}, nil
}

func TestDocumentationExample(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "http://johnsmith.s3.amazonaws.com/photos/puppy.jpg", nil)
	r.Header.Set("Date", "Tue, 27 Mar 2007 19:36:42 +0000")
	sts := sigv2.StringToSign(r, false, "/johnsmith/photos/puppy.jpg")
	if want := "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg"; sts != want {
		t.Fatalf("StringToSign = %q, want %q", sts, want)
	}
	if got, want := sigv2.Sign(exampleSecret, sts), "bWq2s1WEIj+Ydj0vQ697zp+IXMU="; got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
	r.Header.Set("Authorization", "AWS "+exampleKey+":bWq2s1WEIj+Ydj0vQ697zp+IXMU=")
	v := &sigv2.Verifier{Lookup: lookup, Now: func() time.Time { return time.Date(2007, 3, 27, 19, 40, 0, 0, time.UTC) }}
	a, err := sigv2.Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(t.Context(), r, a, []string{"/photos/puppy.jpg", "/johnsmith/photos/puppy.jpg"}); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

func TestCanonicalization(t *testing.T) {
	r := httptest.NewRequest(http.MethodPut, "http://h/b/k?uploadId=u1&partNumber=2&list-type=2", nil)
	r.Header.Set("Content-Type", "text/plain")
	r.Header.Set("Content-MD5", "md5==")
	r.Header.Set("X-Amz-Date", "Tue, 27 Mar 2007 19:36:42 +0000")
	r.Header.Set("Date", "ignored")
	r.Header.Add("X-Amz-Meta-B", "two  words")
	r.Header.Add("X-Amz-Meta-A", "1")
	r.Header.Add("X-Amz-Meta-A", "2")
	want := "PUT\nmd5==\ntext/plain\n\nx-amz-date:Tue, 27 Mar 2007 19:36:42 +0000\n" +
		"x-amz-meta-a:1,2\nx-amz-meta-b:two words\n/b/k?partNumber=2&uploadId=u1"
	if got := sigv2.StringToSign(r, false, "/b/k"); got != want {
		t.Errorf("StringToSign = %q\nwant %q", got, want)
	}
}

// presign signs r's URL as botocore's HmacV1QueryAuth does.
func presign(r *http.Request, resource string, expires time.Time) {
	q := r.URL.Query()
	q.Set("Expires", strconv.FormatInt(expires.Unix(), 10))
	q.Set("AWSAccessKeyId", exampleKey)
	r.URL.RawQuery = q.Encode()
	q.Set("Signature", sigv2.Sign(exampleSecret, sigv2.StringToSign(r, true, resource)))
	r.URL.RawQuery = q.Encode()
}

func TestPresigned(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	v := &sigv2.Verifier{Lookup: lookup, Now: func() time.Time { return now }}
	verify := func(r *http.Request) error {
		a, err := sigv2.Parse(r)
		if err != nil {
			return err
		}
		_, err = v.Verify(t.Context(), r, a, []string{"/b/k%20x"})
		return err
	}
	r := httptest.NewRequest(http.MethodGet, "http://h/b/k%20x?response-content-type=text%2Fplain", nil)
	presign(r, "/b/k%20x", now.Add(time.Hour))
	if err := verify(r); err != nil {
		t.Errorf("fresh URL: %v", err)
	}
	tampered := r.Clone(t.Context())
	tampered.Method = http.MethodDelete
	if err := verify(tampered); !errors.Is(err, sigv2.ErrSignatureMismatch) {
		t.Errorf("other method: %v, want ErrSignatureMismatch", err)
	}
	old := httptest.NewRequest(http.MethodGet, "http://h/b/k%20x", nil)
	presign(old, "/b/k%20x", now.Add(-time.Second))
	if err := verify(old); !errors.Is(err, sigv2.ErrExpired) {
		t.Errorf("expired URL: %v, want ErrExpired", err)
	}
	for _, raw := range []string{"AWSAccessKeyId=x", "Signature=s&Expires=1", "AWSAccessKeyId=x&Signature=s&Expires=soon"} {
		r := httptest.NewRequest(http.MethodGet, "http://h/b/k?"+raw, nil)
		if _, err := sigv2.Parse(r); !errors.Is(err, sigv2.ErrMalformed) {
			t.Errorf("Parse(%s) = %v, want ErrMalformed", raw, err)
		}
	}
	unknown := httptest.NewRequest(http.MethodGet, "http://h/b/k?AWSAccessKeyId=nobody&Signature=s&Expires="+
		strconv.FormatInt(now.Unix()+60, 10), nil)
	if err := verify(unknown); !errors.Is(err, sigv2.ErrUnknownAccessKey) {
		t.Errorf("unknown key: %v, want ErrUnknownAccessKey", err)
	}
}

func TestVerifyPost(t *testing.T) {
	v := &sigv2.Verifier{Lookup: lookup}
	policy := "eyJleHBpcmF0aW9uIjoiMjAzMC0wMS0wMVQwMDowMDowMFoiLCJjb25kaXRpb25zIjpbXX0="
	if _, err := v.VerifyPost(t.Context(), exampleKey, policy, sigv2.Sign(exampleSecret, policy), ""); err != nil {
		t.Errorf("VerifyPost: %v", err)
	}
	if _, err := v.VerifyPost(t.Context(), exampleKey, policy[:10], sigv2.Sign(exampleSecret, policy), ""); !errors.Is(err, sigv2.ErrSignatureMismatch) {
		t.Errorf("VerifyPost truncated policy: %v, want ErrSignatureMismatch", err)
	}
}

func TestIs(t *testing.T) {
	for raw, want := range map[string]bool{"": false, "AWSAccessKeyId=a": true, "Signature=s": true, "X-Amz-Signature=s": false} {
		r := &http.Request{URL: &url.URL{RawQuery: raw}, Header: http.Header{}}
		if got := sigv2.Is(r); got != want {
			t.Errorf("Is(?%s) = %v, want %v", raw, got, want)
		}
	}
}
