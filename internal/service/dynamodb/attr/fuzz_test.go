package attr

import (
	"encoding/json"
	"testing"
)

func FuzzUnmarshal(f *testing.F) {
	for _, seed := range []string{
		`{"S":"x"}`, `{"N":"-01.50e3"}`, `{"B":"AQI="}`, `{"BOOL":true}`, `{"NULL":true}`,
		`{"M":{"a":{"S":"x"},"b":{"L":[{"N":"1"},{"NULL":true}]}}}`, `{"L":[]}`,
		`{"SS":["a","b"]}`, `{"NS":["1","2.5"]}`, `{"BS":["AQ==",""]}`,
		`{}`, `{"S":"a","N":"1"}`, `{"SS":["a","a"]}`, `{"NS":[]}`, `{"NULL":false}`,
		`{"S":"\u00e9\ud83d\ude00\n"}`, `{"X":[1,{"y":null}],"S":""}`, `{"N":123}`,
		`{"B":"AQ"}`, nested(31, `{"S":"x"}`), nested(32, `{"S":"x"}`), `{"BOOL":"yes"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var v Value
		if err := v.UnmarshalJSON(in); err != nil {
			return
		}
		if !json.Valid(in) {
			t.Fatalf("UnmarshalJSON accepted invalid JSON %q", in)
		}
		out, err := v.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON(%v): %v", v, err)
		}
		var back Value
		if err := back.UnmarshalJSON(out); err != nil {
			t.Fatalf("UnmarshalJSON(MarshalJSON(%q) = %s): %v", in, out, err)
		}
		if !Equal(v, back) {
			t.Fatalf("round trip of %q: got %v, want %v", in, back, v)
		}
		again, err := back.MarshalJSON()
		if err != nil || string(again) != string(out) {
			t.Fatalf("MarshalJSON not stable: %s then %s, %v", out, again, err)
		}
		_ = ValueSize(v)
		_ = v.String()
		if !Equal(v, v.Clone()) {
			t.Fatalf("Clone(%v) differs", v)
		}
	})
}

func FuzzNumber(f *testing.F) {
	for _, seed := range []string{
		"0", "-0", "01.50", "1E+2", ".5", "5.", "+3", "1e-130", "1e125", "9.9999999999999999999999999999999999999E+125",
		"1e126", "1e-131", "123456789012345678901234567890123456789", "abc", "", "1e", "1e2147483648",
		"-0.000e-99", "NaN", "1.2.3", "0e99999",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ParseNumber(in)
		if err != nil {
			if validationMessage(err) == "" {
				t.Fatalf("ParseNumber(%q) = %v, not an *Error", in, err)
			}
			return
		}
		again, err := ParseNumber(got)
		if err != nil || again != got {
			t.Fatalf("ParseNumber(ParseNumber(%q) = %q) = %q, %v", in, got, again, err)
		}
		if c := compareNumbers(in, got); c != 0 {
			t.Fatalf("compareNumbers(%q, %q) = %d, want 0", in, got, c)
		}
		if sum, err := AddNumbers(got, "0"); err != nil || sum != got {
			t.Fatalf("AddNumbers(%q, 0) = %q, %v", got, sum, err)
		}
		if diff, err := SubNumbers(got, got); err != nil || diff != "0" {
			t.Fatalf("SubNumbers(%q, %q) = %q, %v", got, got, diff, err)
		}
		if size := numberSize(got); size < 1 || size > 21 {
			t.Fatalf("numberSize(%q) = %d, want 1..21", got, size)
		}
		d, _ := parseDecimal(got)
		if sh, ok := canonicalShape(got); !ok || sh != d.shape() {
			t.Fatalf("canonicalShape(%q) = %+v, %v, want %+v", got, sh, ok, d.shape())
		}
	})
}

func FuzzCompareNumbers(f *testing.F) {
	for _, seed := range [][2]string{
		{"1", "2"}, {"-1", "1"}, {"0.5", "0.51"}, {"10", "9.99"}, {"-0.001", "-0.01"},
		{"1e125", "1e-130"}, {"0", "-0"}, {"1.50", "1.5"}, {"123", "12.3e1"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ca, errA := ParseNumber(a)
		cb, errB := ParseNumber(b)
		if errA != nil || errB != nil {
			return
		}
		da, _ := parseDecimal(a)
		db, _ := parseDecimal(b)
		want := compareDecimal(da, db)
		if got := compareNumbers(ca, cb); got != want {
			t.Fatalf("compareNumbers(%q, %q) = %d, want %d", ca, cb, got, want)
		}
		if got := compareNumbers(a, b); got != want {
			t.Fatalf("compareNumbers(%q, %q) = %d, want %d", a, b, got, want)
		}
		if got := -compareNumbers(cb, ca); got != want {
			t.Fatalf("compareNumbers(%q, %q) not antisymmetric", cb, ca)
		}
		sum, err := AddNumbers(ca, cb)
		if err == nil {
			back, err := SubNumbers(sum, cb)
			if err == nil && compareNumbers(back, ca) != 0 {
				t.Fatalf("(%s + %s) - %s = %s", ca, cb, cb, back)
			}
		}
	})
}
