package keyenc_test

import (
	"bytes"
	"fmt"

	"github.com/fogbank/fogbank/internal/storage/keyenc"
)

// A table key is the partition key followed by the sort key; byte order of
// the encodings is DynamoDB's key order.
func Example() {
	a, errA := keyenc.AppendNumber(keyenc.AppendString(nil, "alice"), "9.5")
	b, errB := keyenc.AppendNumber(keyenc.AppendString(nil, "alice"), "10.0")
	if errA != nil || errB != nil {
		fmt.Println(errA, errB)
		return
	}
	fmt.Println(bytes.Compare(a, b))

	user, rest, _ := keyenc.DecodeBytes(b)
	score, _, _ := keyenc.DecodeNumber(rest)
	fmt.Println(string(user), score)
	// Output:
	// -1
	// alice 10
}
