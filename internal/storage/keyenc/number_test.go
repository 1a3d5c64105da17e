package keyenc

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/google/go-cmp/cmp"
)

// mustNumber encodes s or fails the test.
func mustNumber(t testing.TB, s string) []byte {
	t.Helper()
	b, err := AppendNumber(nil, s)
	if err != nil {
		t.Fatalf("AppendNumber(%q): %v", s, err)
	}
	return b
}

// canonical returns s reduced and formatted in plain notation by apd.
func canonical(t testing.TB, s string) string {
	t.Helper()
	d, _, err := apd.NewFromString(s)
	if err != nil {
		t.Fatalf("apd.NewFromString(%q): %v", s, err)
	}
	if d.IsZero() {
		return "0"
	}
	d.Reduce(d)
	return d.Text('f')
}

var (
	max38 = "9.9999999999999999999999999999999999999E+125"
	min38 = "-" + max38
)

// TestNumberOrder checks that a list of numbers in ascending numeric order
// encodes to ascending byte strings.
func TestNumberOrder(t *testing.T) {
	t.Parallel()
	ascending := []string{
		min38,
		"-1E+125",
		"-12345678901234567890123456789012345679",
		"-12345678901234567890123456789012345678",
		"-100",
		"-99.5",
		"-10",
		"-2",
		"-1.5",
		"-1",
		"-0.99",
		"-0.1",
		"-0.01",
		"-0.001",
		"-1E-130",
		"0",
		"1E-130",
		"1.1E-130",
		"0.001",
		"0.01",
		"0.0100000000000000000000000000000000001",
		"0.1",
		"0.99",
		"1",
		"1.01",
		"1.1",
		"1.5",
		"2",
		"9",
		"10",
		"10.5",
		"11",
		"99",
		"99.9",
		"100",
		"101",
		"12345678901234567890123456789012345678",
		"12345678901234567890123456789012345679",
		"1E+125",
		"1.0000000000000000000000000000000000001E+125",
		max38,
	}
	var prev []byte
	for i, s := range ascending {
		got := mustNumber(t, s)
		if i > 0 && bytes.Compare(prev, got) >= 0 {
			t.Errorf("encode(%q) = %x is not after encode(%q) = %x", s, got, ascending[i-1], prev)
		}
		prev = got
	}
}

// TestNumberEqualValues checks that different spellings of one value encode
// identically.
func TestNumberEqualValues(t *testing.T) {
	t.Parallel()
	for _, tc := range [][]string{
		{"0", "-0", "0.000", "0E+10", "00"},
		{"1", "1.0", "01", "10E-1", "0.1e1", "+1"},
		{"-1.5", "-1.50", "-15E-1", "-0.15E1"},
		{"100", "1E2", "1e+2", "100.00"},
		{"0.001", "1E-3", ".001"},
	} {
		want := mustNumber(t, tc[0])
		for _, s := range tc[1:] {
			if got := mustNumber(t, s); !bytes.Equal(got, want) {
				t.Errorf("encode(%q) = %x, want %x as for %q", s, got, want, tc[0])
			}
		}
	}
}

func TestNumberRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"0", "0"},
		{"-0.0", "0"},
		{"1", "1"},
		{"1.50", "1.5"},
		{"-12.5", "-12.5"},
		{"1E+3", "1000"},
		{"1.5e3", "1500"},
		{"0.001", "0.001"},
		{"-0.0012", "-0.0012"},
		{"123.456", "123.456"},
		{"1E-130", "0." + strings.Repeat("0", 129) + "1"},
		{"1E+125", "1" + strings.Repeat("0", 125)},
		{max38, strings.Repeat("9", 38) + strings.Repeat("0", 88)},
		{"12345678901234567890123456789012345678", "12345678901234567890123456789012345678"},
		{"1234567890123456789012345678901234567", "1234567890123456789012345678901234567"},
		{"-0.12345678901234567890123456789012345678", "-0.12345678901234567890123456789012345678"},
	} {
		enc := mustNumber(t, tc.in)
		enc = append(enc, "tail"...)
		got, rest, err := DecodeNumber(enc)
		if err != nil {
			t.Errorf("DecodeNumber(encode(%q)): %v", tc.in, err)
			continue
		}
		if got != tc.want || string(rest) != "tail" {
			t.Errorf("DecodeNumber(encode(%q)) = %q, rest %q; want %q, rest \"tail\"", tc.in, got, rest, tc.want)
		}
		if c := canonical(t, tc.in); got != c {
			t.Errorf("DecodeNumber(encode(%q)) = %q, apd says %q", tc.in, got, c)
		}
	}
}

func TestAppendNumberErrors(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"", "abc", "1.2.3", "NaN", "Infinity", "-Inf", " 1", "1 ", "0x10",
		"1E+126", "-1E+126", "1E-131", "-9.9E-131",
		"123456789012345678901234567890123456789", // 39 digits
		"1.00000000000000000000000000000000000001",
		"1e99999999999999999999",
	} {
		dst := []byte("keep")
		got, err := AppendNumber(dst, s)
		if !errors.Is(err, ErrInvalidNumber) {
			t.Errorf("AppendNumber(%q) error = %v, want ErrInvalidNumber", s, err)
		}
		if string(got) != "keep" {
			t.Errorf("AppendNumber(%q) changed dst to %q", s, got)
		}
	}
}

func TestDecodeNumberErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"bad sign", []byte{0x00}},
		{"missing exponent", []byte{numPositive}},
		{"missing digits", []byte{numPositive, 0x80}},
		{"unterminated", []byte{numPositive, 0x80, 21}},
		{"digit byte too large", []byte{numPositive, 0x80, 200}},
		{"leading zero", []byte{numPositive, 0x80, 2}},
		{"trailing zero pair", []byte{numPositive, 0x80, 21, 0}},
		{"too many digits", append([]byte{numPositive, 0x80}, slices.Repeat([]byte{23}, 20)...)},
		{"negative unterminated", []byte{numNegative, 0x7f, ^byte(21)}},
	} {
		if got, _, err := DecodeNumber(tc.in); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: DecodeNumber(%x) = %q, %v; want ErrMalformed", tc.name, tc.in, got, err)
		}
	}
}

// TestCompositeKeyOrder checks that a number followed by more key bytes
// still orders by the number first.
func TestCompositeKeyOrder(t *testing.T) {
	t.Parallel()
	key := func(n, s string) []byte {
		return AppendString(mustNumber(t, n), s)
	}
	keys := [][]byte{
		key("-1", "zzz"), key("1", ""), key("1", "a"), key("1.5", ""), key("15", ""),
	}
	if !slices.IsSortedFunc(keys, bytes.Compare) {
		t.Errorf("composite keys out of order: %x", keys)
	}
}

func FuzzNumberOrder(f *testing.F) {
	for _, seed := range [][2]string{
		{"0", "1"}, {"-1", "1"}, {"0.001", "0.01"}, {"1E+125", "-1E+125"},
		{"12345678901234567890123456789012345678", "12345678901234567890123456789012345679"},
		{"1.0", "1"}, {"-0.5", "-0.05"}, {"99", "100"}, {"1E-130", "0"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ea, errA := AppendNumber(nil, a)
		eb, errB := AppendNumber(nil, b)
		if errA != nil || errB != nil {
			return
		}
		da, _, errA := apd.NewFromString(a)
		db, _, errB := apd.NewFromString(b)
		if errA != nil || errB != nil {
			return // e.g. zero with an exponent beyond apd's limits
		}
		if got, want := bytes.Compare(ea, eb), da.Cmp(db); got != want {
			t.Errorf("compare(encode(%q), encode(%q)) = %d, numeric order %d", a, b, got, want)
		}
		checkNumberRoundTrip(t, a, ea)
	})
}

// checkNumberRoundTrip checks that enc, the encoding of s, decodes to s's
// canonical text.
func checkNumberRoundTrip(t *testing.T, s string, enc []byte) {
	t.Helper()
	got, rest, err := DecodeNumber(enc)
	if err != nil || len(rest) != 0 {
		t.Fatalf("DecodeNumber(encode(%q)) = %q, rest %x, err %v", s, got, rest, err)
	}
	if diff := cmp.Diff(canonical(t, s), got); diff != "" {
		t.Errorf("DecodeNumber(encode(%q)) mismatch (-want +got):\n%s", s, diff)
	}
}
