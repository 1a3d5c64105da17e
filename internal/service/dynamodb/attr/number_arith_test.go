package attr

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
)

func TestArithmetic(t *testing.T) {
	t.Parallel()
	const overflow = "Number overflow. Attempting to store a number with magnitude larger than supported range"
	const underflow = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
	max38 := "9.9999999999999999999999999999999999999E+125"
	for _, tc := range []struct {
		name    string
		op      func(a, b string) (string, error)
		a, b    string
		want    string
		wantErr string
	}{
		{"add", AddNumbers, "1", "2", "3", ""},
		{"add fractions", AddNumbers, "1.5", "-2.25", "-0.75", ""},
		{"add to zero", AddNumbers, "1.5", "-1.5", "0", ""},
		{"add exact 38 digits", AddNumbers, "1", "10000000000000000000000", "10000000000000000000001", ""},
		{"add non-canonical input", AddNumbers, "01.10", "1e1", "11.1", ""},
		{"sub", SubNumbers, "10000000000000000000000", "1", "9999999999999999999999", ""},
		{"sub negative", SubNumbers, "1", "-1", "2", ""},
		{"sub zero", SubNumbers, "0", "0", "0", ""},
		{"sub to negative", SubNumbers, "1", "3", "-2", ""},
		{"add overflow", AddNumbers, "9e125", "9e125", "", overflow},
		{"sub overflow", SubNumbers, "9e125", "-9e125", "", overflow},
		{"add max plus unit", AddNumbers, max38, "1e125", "", overflow},
		{"add imprecise", AddNumbers, "1e50", "1", "", overflow},
		{"sub imprecise", SubNumbers, "1e50", "1", "", overflow},
		{"add extreme magnitudes", AddNumbers, "1e125", "1e-130", "", overflow},
		{"sub underflow", SubNumbers, "1.1e-130", "1e-130", "", underflow},
		{"bad operand", AddNumbers, "x", "1", "", "The parameter cannot be converted to a numeric value: x"},
		{"out of range operand", AddNumbers, "1", "1e200", "", overflow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.op(tc.a, tc.b)
			if got != tc.want || validationMessage(err) != tc.wantErr {
				t.Errorf("%s(%q, %q) = %q, %v, want %q, %q", tc.name, tc.a, tc.b, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// FuzzAddNumbers checks AddNumbers against apd's exact decimal arithmetic.
func FuzzAddNumbers(f *testing.F) {
	for _, seed := range [][2]string{
		{"1", "2"}, {"1.5", "-2.25"}, {"1e125", "1e-130"}, {"-0.001", "1000"},
		{"9.9999999999999999999999999999999999999E+125", "-1e125"}, {"0", "-0"},
	} {
		f.Add(seed[0], seed[1])
	}
	exact := apd.Context{Precision: 1000, MaxExponent: apd.MaxExponent, MinExponent: apd.MinExponent, Traps: apd.DefaultTraps}
	f.Fuzz(func(t *testing.T, a, b string) {
		got, err := AddNumbers(a, b)
		if err != nil {
			return
		}
		x, _, errX := apd.NewFromString(a)
		y, _, errY := apd.NewFromString(b)
		if errX != nil || errY != nil {
			return // a form apd does not read
		}
		// A zero's exponent is irrelevant to DynamoDB but not to apd,
		// which cannot align 0e100000 with 1e-10 within its limits.
		for _, z := range []*apd.Decimal{x, y} {
			if z.IsZero() {
				z.SetInt64(0)
			}
		}
		var want apd.Decimal
		if _, err := exact.Add(&want, x, y); err != nil {
			t.Fatalf("apd: %v", err)
		}
		g, _, err := apd.NewFromString(got)
		if err != nil || g.Cmp(&want) != 0 {
			t.Errorf("AddNumbers(%q, %q) = %q, apd says %s", a, b, got, want.String())
		}
	})
}
