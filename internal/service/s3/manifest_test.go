package s3

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// TestOpenRangeManyParts reads ranges of a manifest with more parts than
// openRange opens up front.
func TestOpenRangeManyParts(t *testing.T) {
	s, blobs := newTestService(t, 0)
	var want []byte
	rec := &objectRecord{}
	for i := range maxEagerParts + 6 {
		part := []byte(fmt.Sprintf("part %03d;", i))
		id, size, err := blobs.Put(t.Context(), bytes.NewReader(part))
		if err != nil {
			t.Fatalf("Put: %v", err)
		}
		rec.Parts = append(rec.Parts, partRef{BlobID: id, Size: size})
		rec.Size += size
		want = append(want, part...)
	}
	for _, tc := range []struct{ start, length int64 }{
		{0, rec.Size}, {5, 20}, {rec.Size - 30, 30}, {9 * maxEagerParts, 9 * 3}, {0, 0},
	} {
		r, err := s.openRange(t.Context(), rec, tc.start, tc.length)
		if err != nil {
			t.Fatalf("openRange(%d, %d): %v", tc.start, tc.length, err)
		}
		got, err := io.ReadAll(r)
		if cerr := r.Close(); err == nil {
			err = cerr
		}
		if err != nil || !bytes.Equal(got, want[tc.start:tc.start+tc.length]) {
			t.Errorf("openRange(%d, %d) = %q, %v; want %q", tc.start, tc.length, got, err, want[tc.start:tc.start+tc.length])
		}
		r, err = s.openRange(t.Context(), rec, tc.start, tc.length)
		if err != nil {
			t.Fatalf("openRange(%d, %d): %v", tc.start, tc.length, err)
		}
		var buf bytes.Buffer // WriteTo, the path of GetObject's io.Copy
		_, err = r.(io.WriterTo).WriteTo(&buf)
		_ = r.Close()
		if err != nil || !bytes.Equal(buf.Bytes(), want[tc.start:tc.start+tc.length]) {
			t.Errorf("openRange(%d, %d).WriteTo = %q, %v", tc.start, tc.length, buf.Bytes(), err)
		}
	}
}
