package sigv4

import (
	"testing"
	"time"
)

// BenchmarkVerify verifies a DynamoDB GetItem request signed by the SDK,
// with the signing key cached as it is in steady state.
func BenchmarkVerify(b *testing.B) {
	r, body := newGetItem(b)
	signSDK(b, r, body, testCred, "dynamodb")
	r, body = overTheWire(b, r)
	payloadHash := HashPayload(body)
	v := &Verifier{Lookup: staticLookup(testCred), Now: func() time.Time { return signTime }}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(b.Context(), r, payloadHash, ddbOptions); err != nil {
			b.Fatal(err)
		}
	}
}
