package attr

import (
	"errors"
	"strings"
	"testing"
)

// validationMessage returns err's AWS message, "" for nil, or a marker when
// err is not an *Error.
func validationMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) {
		return "not an *attr.Error: " + err.Error()
	}
	return e.ValidationMessage()
}

func TestParseNumberCanonical(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
	}{
		{"0", "0"},
		{"-0", "0"},
		{"+0", "0"},
		{"0.000", "0"},
		{"0e1000", "0"},
		{"-0.0e-5", "0"},
		{"1", "1"},
		{"01.50", "1.5"},
		{"+3", "3"},
		{".123", "0.123"},
		{"5.", "5"},
		{"0001.23", "1.23"},
		{"1E+2", "100"},
		{"1e+5", "100000"},
		{"-17e5", "-1700000"},
		{"-17.4E37", "-174" + strings.Repeat("0", 36)},
		{"0.001", "0.001"},
		{"1e-3", "0.001"},
		{"12.345e1", "123.45"},
		{"12.345e-1", "1.2345"},
		{"-7.1234", "-7.1234"},
		{"100", "100"},
		{"1e0", "1"},
		{"1e-0", "1"},
		{"1e0000000000002", "100"},
		{"0000012345678901234567890123456789012345678", "12345678901234567890123456789012345678"},
		{"-00001.23456789012345678901234567890123456780000", "-1.2345678901234567890123456789012345678"},
		{"0009.99999999999999999999999999999999999990000e125", strings.Repeat("9", 38) + strings.Repeat("0", 88)},
		{"1e125", "1" + strings.Repeat("0", 125)},
		{"1e-130", "0." + strings.Repeat("0", 129) + "1"},
		{"-0001.000e-130", "-0." + strings.Repeat("0", 129) + "1"},
		{"31415926535897932384626433832795028841e30", "31415926535897932384626433832795028841" + strings.Repeat("0", 30)},
	} {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseNumber(tc.in)
			if err != nil || got != tc.want {
				t.Errorf("ParseNumber(%q) = %q, %v, want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseNumberErrors(t *testing.T) {
	t.Parallel()
	const (
		notNumeric = "The parameter cannot be converted to a numeric value"
		precision  = "Attempting to store more than 38 significant digits in a Number"
		overflow   = "Number overflow. Attempting to store a number with magnitude larger than supported range"
		underflow  = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
	)
	for _, tc := range []struct {
		in, want string
	}{
		{"", notNumeric},
		{"abc", notNumeric + ": abc"},
		{"b", notNumeric + ": b"},
		{"NaN", notNumeric + ": NaN"},
		{"Infinity", notNumeric + ": Infinity"},
		{"-Infinity", notNumeric + ": -Infinity"},
		{" 1", notNumeric + ":  1"},
		{"1 ", notNumeric + ": 1 "},
		{"-", notNumeric + ": -"},
		{"+", notNumeric + ": +"},
		{".", notNumeric + ": ."},
		{"1e", notNumeric + ": 1e"},
		{"1e+", notNumeric + ": 1e+"},
		{"e5", notNumeric + ": e5"},
		{"1.2.3", notNumeric + ": 1.2.3"},
		{"--1", notNumeric + ": --1"},
		{"+-1", notNumeric + ": +-1"},
		{"0x10", notNumeric + ": 0x10"},
		{"1_000", notNumeric + ": 1_000"},
		{"1e99999999999", notNumeric + ": 1e99999999999"},
		{"1e2147483648", notNumeric + ": 1e2147483648"},
		{"1e-2147483648", notNumeric + ": 1e-2147483648"},
		{"123456789012345678901234567890123456789", precision},
		{"-1.23456789012345678901234567890123456789", precision},
		{"3.14159265358979323846264338327950288419", precision},
		{"1e126", overflow},
		{"-1e126", overflow},
		{"11e125", overflow},
		{"1e2147483647", overflow},
		{"1e-131", underflow},
		{"-1e-131", underflow},
		{"0.9e-130", underflow},
		{"123456789012345678901234567890123456789e200", overflow},
	} {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseNumber(tc.in)
			if msg := validationMessage(err); msg != tc.want {
				t.Errorf("ParseNumber(%q) = %q, %q, want error %q", tc.in, got, msg, tc.want)
			}
		})
	}
}
