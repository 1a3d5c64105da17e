package s3

import (
	"encoding/base64"
	"testing"
)

// FuzzParsePolicy feeds arbitrary policy documents to the POST policy
// parser: it must answer a condition list or an S3 error, never panic, and
// every condition it returns must be evaluable.
func FuzzParsePolicy(f *testing.F) {
	f.Add(`{"expiration":"2030-01-01T00:00:00.000Z","conditions":[{"bucket":"b"},["starts-with","$key","u/"],["content-length-range",1,10]]}`)
	f.Add(`{"expiration":"2030-01-01T00:00:00Z","conditions":[["eq","$Content-Type","a,b"],["content-length-range","5","x"],[],{}]}`)
	f.Add(`{"expiration":5,"conditions":{}}`)
	f.Add(`{"Statement":[]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		conds, _, err := parsePolicy(base64.StdEncoding.EncodeToString([]byte(doc)))
		if err != nil {
			if apiCode(err) == "" {
				t.Fatalf("parsePolicy(%q) = %v, not an S3 error", doc, err)
			}
			return
		}
		for _, c := range conds {
			_ = c.matches("text/plain, text/html")
			if c.text == "" {
				t.Fatalf("condition %+v has no text", c)
			}
		}
	})
}
