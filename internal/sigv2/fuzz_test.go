package sigv2_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/sigv2"
)

// FuzzParseVerify feeds arbitrary query strings and Authorization headers to
// Parse and Verify: neither may panic, and a request whose signature was
// computed by Sign over StringToSign must verify.
func FuzzParseVerify(f *testing.F) {
	f.Add("AWSAccessKeyId="+exampleKey+"&Expires=1893456000&Signature=abc%3D", "", "/b/k")
	f.Add("", "AWS "+exampleKey+":bWq2s1WEIj+Ydj0vQ697zp+IXMU=", "/johnsmith/photos/puppy.jpg")
	f.Add("acl&versionId=3&x-amz-security-token=t&AWSAccessKeyId=a&Signature=&Expires=-1", "AWS :", "/")
	f.Add("Expires=99999999999999999999&AWSAccessKeyId=%zz", "AWS a:b:c", "")
	f.Fuzz(func(t *testing.T, rawQuery, authorization, resource string) {
		r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: resource, RawQuery: rawQuery}, Header: http.Header{}}
		if authorization != "" {
			r.Header.Set("Authorization", authorization)
		}
		r.Header.Set("Date", "Tue, 27 Mar 2007 19:36:42 +0000")
		v := &sigv2.Verifier{Lookup: lookup, Now: func() time.Time { return time.Date(2007, 3, 27, 19, 36, 0, 0, time.UTC) }}
		if a, err := sigv2.Parse(r); err == nil {
			_, _ = v.Verify(t.Context(), r, a, []string{resource})
		}
		r.Header.Set("Authorization", "AWS "+exampleKey+":"+sigv2.Sign(exampleSecret, sigv2.StringToSign(r, false, resource)))
		a, err := sigv2.Parse(r)
		if err != nil {
			t.Fatalf("Parse of a signed request: %v", err)
		}
		if _, err := v.Verify(t.Context(), r, a, []string{resource}); err != nil {
			t.Fatalf("Verify of a signed request: %v", err)
		}
	})
}
