package keyenc

import (
	"strings"
	"testing"
)

func BenchmarkAppendNumber(b *testing.B) {
	for _, n := range []string{"42", "-1234.5678", "12345678901234567890123456789012345678"} {
		b.Run(n, func(b *testing.B) {
			b.ReportAllocs()
			buf := make([]byte, 0, 32)
			for b.Loop() {
				if _, err := AppendNumber(buf[:0], n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecodeNumber(b *testing.B) {
	enc := mustNumber(b, "-1234.5678")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := DecodeNumber(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendString(b *testing.B) {
	for _, tc := range []struct{ name, s string }{
		{"short", "user#1234"},
		{"len=256", strings.Repeat("abcdefg", 36) + "abcd"},
		{"zeros", strings.Repeat("a\x00", 32)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.s)))
			buf := make([]byte, 0, 2*len(tc.s)+2)
			for b.Loop() {
				buf = AppendString(buf[:0], tc.s)
			}
		})
	}
}
