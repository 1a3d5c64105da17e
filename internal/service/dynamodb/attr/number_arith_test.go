package attr

import "testing"

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
