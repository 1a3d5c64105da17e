package keyenc

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBytesEncoding(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []byte
	}{
		{"", []byte{0, 1}},
		{"a", []byte{'a', 0, 1}},
		{"\x00", []byte{0, 0xff, 0, 1}},
		{"a\x00b\x00", []byte{'a', 0, 0xff, 'b', 0, 0xff, 0, 1}},
		{"\xff\x01", []byte{0xff, 1, 0, 1}},
	} {
		if diff := cmp.Diff(tc.want, AppendBytes(nil, []byte(tc.in))); diff != "" {
			t.Errorf("AppendBytes(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
		if diff := cmp.Diff(tc.want, AppendString(nil, tc.in)); diff != "" {
			t.Errorf("AppendString(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}

// TestBytesOrder checks unsigned byte order, including the prefix cases that
// matter for composite keys.
func TestBytesOrder(t *testing.T) {
	t.Parallel()
	ascending := []string{"", "\x00", "\x00\x00", "\x00\x01", "\x01", "A", "Z", "a", "a\x00", "a\x00\xff", "a\x01", "aa", "b", "é", "\xff", "\xff\xff"}
	var prev []byte
	for i, s := range ascending {
		got := AppendString(nil, s)
		if i > 0 && bytes.Compare(prev, got) >= 0 {
			t.Errorf("encode(%q) = %x is not after encode(%q) = %x", s, got, ascending[i-1], prev)
		}
		prev = got
	}
}

// TestCompositeBytesOrder checks that (partition, sort) pairs order by
// partition first whatever the sort key holds.
func TestCompositeBytesOrder(t *testing.T) {
	t.Parallel()
	pairs := [][2]string{
		{"a", "\xff\xff"}, {"a\x00", ""}, {"a\x00", "\x00"}, {"ab", ""}, {"b", ""},
	}
	var keys [][]byte
	for _, p := range pairs {
		keys = append(keys, AppendString(AppendString(nil, p[0]), p[1]))
	}
	if !slices.IsSortedFunc(keys, bytes.Compare) {
		t.Errorf("composite keys out of order: %x", keys)
	}
}

func TestDecodeBytes(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "a", "\x00", "a\x00b\x00\x00", "\xff\x00\xff"} {
		enc := AppendBytes(nil, []byte(in))
		enc = AppendString(enc, "next")
		got, rest, err := DecodeBytes(enc)
		if err != nil {
			t.Fatalf("DecodeBytes(%x): %v", enc, err)
		}
		if string(got) != in {
			t.Errorf("DecodeBytes(encode(%q)) = %q", in, got)
		}
		next, rest, err := DecodeBytes(rest)
		if err != nil || string(next) != "next" || len(rest) != 0 {
			t.Errorf("second DecodeBytes = %q, rest %x, err %v; want \"next\"", next, rest, err)
		}
	}
}

func TestDecodeBytesErrors(t *testing.T) {
	t.Parallel()
	for _, in := range [][]byte{nil, {'a'}, {'a', 0}, {0, 2}, {0, 0xff}, {0, 0}} {
		if got, _, err := DecodeBytes(in); !errors.Is(err, ErrMalformed) {
			t.Errorf("DecodeBytes(%x) = %q, %v; want ErrMalformed", in, got, err)
		}
	}
}

func TestUint64(t *testing.T) {
	t.Parallel()
	values := []uint64{0, 1, 255, 256, 1 << 32, 1<<64 - 1}
	var prev []byte
	for i, v := range values {
		enc := AppendUint64(nil, v)
		if i > 0 && bytes.Compare(prev, enc) >= 0 {
			t.Errorf("encode(%d) = %x is not after %x", v, enc, prev)
		}
		prev = enc
		got, rest, err := DecodeUint64(append(enc, 'x'))
		if err != nil || got != v || string(rest) != "x" {
			t.Errorf("DecodeUint64(encode(%d)) = %d, %q, %v", v, got, rest, err)
		}
	}
	if _, _, err := DecodeUint64([]byte{1, 2, 3}); !errors.Is(err, ErrMalformed) {
		t.Errorf("DecodeUint64(short) error = %v, want ErrMalformed", err)
	}
}

func FuzzBytesOrder(f *testing.F) {
	for _, seed := range [][2][]byte{
		{nil, {0}}, {{'a'}, {'a', 0}}, {{0, 1}, {0, 0xff}}, {{0xff}, {0, 0}},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		ea, eb := AppendBytes(nil, a), AppendBytes(nil, b)
		if got, want := bytes.Compare(ea, eb), bytes.Compare(a, b); got != want {
			t.Errorf("compare(encode(%x), encode(%x)) = %d, want %d", a, b, got, want)
		}
		// Appending a further component must not change the order of
		// distinct values.
		if want := bytes.Compare(a, b); want != 0 {
			if got := bytes.Compare(AppendBytes(ea, b), AppendBytes(eb, a)); got != want {
				t.Errorf("composite order of %x, %x = %d, want %d", a, b, got, want)
			}
		}
		got, rest, err := DecodeBytes(ea)
		if err != nil || !bytes.Equal(got, a) || len(rest) != 0 {
			t.Errorf("DecodeBytes(encode(%x)) = %x, rest %x, err %v", a, got, rest, err)
		}
	})
}

// FuzzDecode feeds arbitrary bytes to every decoder: they must not panic,
// and whatever a decoder accepts must re-encode to exactly the bytes it
// consumed.
func FuzzDecode(f *testing.F) {
	f.Add([]byte{numZero})
	f.Add([]byte{numPositive, 0x81, 22})
	f.Add([]byte{numNegative, 0x7e, ^byte(22)})
	f.Add([]byte{'a', 0, 0xff, 0, 1, 'x'})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 7})
	f.Fuzz(func(t *testing.T, in []byte) {
		if s, rest, err := DecodeNumber(in); err == nil {
			enc, err := AppendNumber(nil, s)
			if err != nil {
				t.Fatalf("AppendNumber(DecodeNumber(%x) = %q): %v", in, s, err)
			}
			if consumed := in[:len(in)-len(rest)]; !bytes.Equal(enc, consumed) {
				t.Errorf("DecodeNumber(%x) = %q re-encodes to %x", consumed, s, enc)
			}
		}
		if v, rest, err := DecodeBytes(in); err == nil {
			if consumed := in[:len(in)-len(rest)]; !bytes.Equal(AppendBytes(nil, v), consumed) {
				t.Errorf("DecodeBytes(%x) = %x does not re-encode to its input", consumed, v)
			}
		}
		_, _, _ = DecodeUint64(in)
	})
}
