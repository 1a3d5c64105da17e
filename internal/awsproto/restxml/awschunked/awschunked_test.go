package awschunked_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/awsproto/restxml/awschunked"
)

// docSigning is the example of AWS's "Signature Calculations for the
// Authorization Header: Transferring Payload in Multiple Chunks" page.
var docSigning = &awschunked.Signing{
	Key:     awschunked.SigningKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3"),
	AmzDate: "20130524T000000Z",
	Scope:   "20130524/us-east-1/s3/aws4_request",
	Seed:    "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
}

// docBody is the example's encoded body: 65536 and 1024 bytes of 'a'.
var docBody = "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n" +
	strings.Repeat("a", 65536) + "\r\n" +
	"400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" +
	strings.Repeat("a", 1024) + "\r\n" +
	"0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n"

func TestSignedDocumentationExample(t *testing.T) {
	t.Parallel()
	got, err := io.ReadAll(awschunked.NewReader(iotest.HalfReader(strings.NewReader(docBody)), docSigning, nil))
	if err != nil {
		t.Fatalf("ReadAll: %v", err)
	}
	if want := strings.Repeat("a", 66560); string(got) != want {
		t.Errorf("decoded %d bytes, want %d bytes of 'a'", len(got), len(want))
	}
}

func TestSignedTampered(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, body string }{
		{"first chunk changed", docBody[:200] + "b" + docBody[201:]},
		{"last chunk changed", docBody[:len(docBody)-200] + "b" + docBody[len(docBody)-199:]},
		{"final signature changed", strings.Replace(docBody, "b6c6ea8a", "b6c6ea8b", 1)},
		{"signature missing", strings.Replace(docBody, ";chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497", "", 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := io.ReadAll(awschunked.NewReader(strings.NewReader(tc.body), docSigning, nil))
			if !errors.Is(err, awschunked.ErrSignatureMismatch) {
				t.Errorf("err = %v, want ErrSignatureMismatch", err)
			}
		})
	}
}

func TestUnsignedTrailer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body, want string
		trailer          http.Header
	}{
		{
			name:    "checksum trailer",
			body:    "5\r\ntoto\n\r\n0\r\nx-amz-checksum-crc32:+H0IvQ==\r\n\r\n",
			want:    "toto\n",
			trailer: http.Header{"X-Amz-Checksum-Crc32": {"+H0IvQ=="}},
		},
		{name: "no trailer", body: "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", want: "abcde", trailer: http.Header{}},
		{name: "no final blank line", body: "3\r\nabc\r\n0\r\n", want: "abc", trailer: http.Header{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			trailer := http.Header{}
			got, err := io.ReadAll(awschunked.NewReader(iotest.OneByteReader(strings.NewReader(tc.body)), nil, trailer))
			if err != nil {
				t.Fatalf("ReadAll: %v", err)
			}
			if string(got) != tc.want {
				t.Errorf("decoded %q, want %q", got, tc.want)
			}
			if diff := cmp.Diff(tc.trailer, trailer); diff != "" {
				t.Errorf("trailer mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMalformed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, body string }{
		{"empty", ""},
		{"bad size", "zz\r\nabc\r\n0\r\n\r\n"},
		{"no final chunk", "3\r\nabc\r\n"},
		{"short chunk", "5\r\nabc"},
		{"long chunk", "2\r\nabc\r\n0\r\n\r\n"},
		{"bad trailer", "0\r\nnot a header\r\n\r\n"},
		{"endless line", strings.Repeat("1", 5000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := io.ReadAll(awschunked.NewReader(strings.NewReader(tc.body), nil, nil))
			if !errors.Is(err, awschunked.ErrMalformed) {
				t.Errorf("err = %v, want ErrMalformed", err)
			}
		})
	}
}
