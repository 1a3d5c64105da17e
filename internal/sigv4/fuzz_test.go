package sigv4

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// FuzzParseAuthorization checks that parsing never panics and that a parsed
// header formats back to a header that parses to the same value.
func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, " +
		"SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
	f.Add("AWS4-HMAC-SHA256 Signature=a,SignedHeaders=,Credential=a/b/c/d/e//")
	f.Fuzz(func(t *testing.T, h string) {
		a, err := ParseAuthorization(h)
		if err != nil {
			if e := (*Error)(nil); !errors.As(err, &e) {
				t.Fatalf("ParseAuthorization(%q) error %T, want *Error", h, err)
			}
			return
		}
		again, err := ParseAuthorization(a.String())
		if err != nil {
			t.Fatalf("ParseAuthorization(%q) = %v after formatting %q", a.String(), err, h)
		}
		if diff := cmp.Diff(a, again); diff != "" {
			t.Fatalf("round trip of %q mismatch (-first +second):\n%s", h, diff)
		}
	})
}

// FuzzVerify checks that Verify never panics on arbitrary authorization,
// date, path and query, and always returns a result or an error.
func FuzzVerify(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/dynamodb/aws4_request, "+
		"SignedHeaders=host;x-amz-date, Signature=00", "20240101T000000Z", "/", "")
	f.Add("", "", "/bucket/a/../b//c%20d", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240101"+
		"%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00")
	f.Fuzz(func(t *testing.T, auth, amzDate, path, query string) {
		u, err := url.ParseRequestURI(path)
		if err != nil {
			return
		}
		u.RawQuery = query
		r := &http.Request{Method: http.MethodPost, URL: u, Host: "localhost", Header: http.Header{}}
		setIf(r.Header, "Authorization", auth)
		setIf(r.Header, "X-Amz-Date", amzDate)
		v := &Verifier{Lookup: staticLookup(testCred), Now: func() time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) }}
		for _, opts := range []Options{ddbOptions, s3Options} {
			res, err := v.Verify(t.Context(), r, HashPayload(nil), opts)
			if (res == nil) == (err == nil) {
				t.Fatalf("Verify = %v, %v: want exactly one of result and error", res, err)
			}
		}
	})
}
