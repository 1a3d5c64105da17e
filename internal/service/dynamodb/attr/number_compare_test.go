package attr

import "testing"

func TestCompareNumbers(t *testing.T) {
	t.Parallel()
	// Each row is strictly less than the next.
	ordered := []string{"-1e125", "-100", "-2", "-1.5", "-1", "-0.001", "-1e-130", "0",
		"1e-130", "0.001", "0.0011", "0.002", "1", "1.000001", "1.5", "2", "10", "11", "100", "1e125"}
	for i, a := range ordered {
		for j, b := range ordered {
			want := cmpInt(i, j)
			if got := compareNumbers(a, b); got != want {
				t.Errorf("compareNumbers(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
	if got := compareNumbers("1.50", "1.5"); got != 0 {
		t.Errorf("compareNumbers(1.50, 1.5) = %d, want 0", got)
	}
}
