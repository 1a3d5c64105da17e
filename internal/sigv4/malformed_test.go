package sigv4

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
	"github.com/google/go-cmp/cmp"
)

// TestVerifyMalformed checks the error kind and AWS message for requests
// whose authorization is missing or malformed.
func TestVerifyMalformed(t *testing.T) {
	t.Parallel()
	const (
		cred    = "Credential=AKIDEXAMPLE/20240101/us-east-1/dynamodb/aws4_request"
		headers = "SignedHeaders=host;x-amz-date"
		sig     = "Signature=0000000000000000000000000000000000000000000000000000000000000000"
		valid   = "AWS4-HMAC-SHA256 " + cred + ", " + headers + ", " + sig
	)
	for _, tc := range []struct {
		name    string
		auth    string
		amzDate string // default 20240101T000000Z; "-" for none
		date    string
		want    result
	}{
		{name: "no authorization", want: result{Kind: ErrMissingAuth, Message: "Request is missing Authentication Token"}},
		{name: "not aws4", auth: "Bearer abc", want: result{Kind: ErrMissingAuth, Message: "Request is missing Authentication Token"}},
		{name: "nothing but algorithm", auth: "AWS4-HMAC-SHA256", want: result{Kind: ErrIncompleteSignature, Message: "" +
			"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
			"Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256"}},
		{name: "missing signature and date", auth: "AWS4-HMAC-SHA256 " + cred + ", " + headers, amzDate: "-", want: result{
			Kind: ErrIncompleteSignature, Message: "Authorization header requires 'Signature' parameter. " +
				"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
				"Authorization=AWS4-HMAC-SHA256 " + cred + ", " + headers}},
		{name: "missing equal sign", auth: "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders, " + sig, want: result{
			Kind: ErrIncompleteSignature, Message: "'SignedHeaders' not a valid key=value pair (missing equal-sign) in " +
				"Authorization header: 'AWS4-HMAC-SHA256 " + cred + ", SignedHeaders, " + sig + "'."}},
		{name: "unsupported algorithm", auth: strings.Replace(valid, "SHA256", "SHA512", 1), want: result{
			Kind: ErrIncompleteSignature, Message: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). "}},
		{name: "short credential", auth: strings.Replace(valid, "/aws4_request", "", 1), want: result{
			Kind: ErrIncompleteSignature, Message: "Credential must have exactly 5 slash-delimited elements, " +
				"e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20240101/us-east-1/dynamodb'"}},
		{name: "bad date", auth: valid, amzDate: "2024-01-01", want: result{Kind: ErrIncompleteSignature,
			Message: "Date must be in ISO-8601 'basic format'. Got '2024-01-01'. See http://en.wikipedia.org/wiki/ISO_8601"}},
		{name: "host not signed", auth: strings.Replace(valid, "host;", "", 1), want: result{
			Kind: ErrSignatureMismatch, Message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."}},
		{name: "wrong scope everywhere", auth: strings.Replace(valid, "20240101/us-east-1/dynamodb/aws4_request",
			"20231231/eu-west-1/s3/aws5_request", 1), want: result{Kind: ErrWrongScope, Message: "" +
			"Credential should be scoped to a valid region. Credential should be scoped to correct service: 'dynamodb'. " +
			"Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: " +
			"'20231231' != '20240101', from '20240101T000000Z'."}},
		{name: "date header fallback reaches signature check", auth: valid, amzDate: "-", date: "Mon, 01 Jan 2024 00:00:00 GMT",
			want: result{Kind: ErrSignatureMismatch, Message: msgSignatureMismatch}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := http.NewRequest(http.MethodPost, "http://localhost:4566/", nil)
			if err != nil {
				t.Fatal(err)
			}
			setIf(r.Header, "Authorization", tc.auth)
			switch tc.amzDate {
			case "":
				r.Header.Set("X-Amz-Date", "20240101T000000Z")
			case "-":
			default:
				r.Header.Set("X-Amz-Date", tc.amzDate)
			}
			setIf(r.Header, "Date", tc.date)
			v := &Verifier{Lookup: staticLookup(testCred), Now: func() time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) }}
			got := verifyResult(v, r, HashPayload(nil), ddbOptions)
			if diff := cmp.Diff(tc.want, got, errorsCmp); diff != "" {
				t.Errorf("Verify mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// setIf sets header name to value when value is not empty.
func setIf(h http.Header, name, value string) {
	if value != "" {
		h.Set(name, value)
	}
}

// TestParseAuthorization runs testdata/parse: each input line is an
// Authorization header; the output is the parsed fields or the error.
func TestParseAuthorization(t *testing.T) {
	t.Parallel()
	datadriven.RunTest(t, "testdata/parse", func(t *testing.T, d *datadriven.TestData) string {
		if d.Cmd != "parse" {
			t.Fatalf("unknown command %q", d.Cmd)
		}
		a, err := ParseAuthorization(d.Input)
		if err != nil {
			return fmt.Sprintf("error: %v\n", err)
		}
		return fmt.Sprintf("algorithm: %s\naccess key: %s\nscope: %s\nsigned headers: %q\nsignature: %s\n",
			a.Algorithm, a.AccessKeyID, a.CredentialScope(), a.SignedHeaders, a.Signature)
	})
}

// TestScope checks that Scope reads the credential scope from the header
// and from presigned query parameters.
func TestScope(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, url, auth string
		want            Authorization
		wantOK          bool
	}{
		{name: "header", url: "http://h/", auth: "AWS4-HMAC-SHA256 Credential=AK/20240101/us-east-1/dynamodb/aws4_request, " +
			"SignedHeaders=host, Signature=ab", wantOK: true, want: Authorization{Algorithm: Algorithm, AccessKeyID: "AK",
			Date: "20240101", Region: "us-east-1", Service: "dynamodb", Terminator: "aws4_request",
			SignedHeaders: []string{"host"}, Signature: "ab"}},
		{name: "presigned", url: "http://h/b/k?X-Amz-Credential=AK%2F20240101%2Feu-west-1%2Fs3%2Faws4_request", wantOK: true,
			want: Authorization{AccessKeyID: "AK", Date: "20240101", Region: "eu-west-1", Service: "s3", Terminator: "aws4_request"}},
		{name: "malformed header", url: "http://h/", auth: "AWS4-HMAC-SHA256 Credential=AK"},
		{name: "none", url: "http://h/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := http.NewRequest(http.MethodGet, tc.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			setIf(r.Header, "Authorization", tc.auth)
			got, ok := Scope(r)
			if ok != tc.wantOK {
				t.Fatalf("Scope ok = %v, want %v", ok, tc.wantOK)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Scope mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
