package attr

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   string // DynamoDB JSON as a client might send it
		want Value
		out  string // canonical encoding
	}{
		{"S", `{"S":"hello"}`, NewS("hello"), `{"S":"hello"}`},
		{"S empty", `{"S":""}`, NewS(""), `{"S":""}`},
		{"S escapes", `{"S":"a\"b\\c\n\t\u00e9\ud83d\ude00\/"}`, NewS("a\"b\\c\n\té😀/"), `{"S":"a\"b\\c\n\té😀/"}`},
		{"S control", `{"S":"\u0001"}`, NewS("\x01"), `{"S":"\u0001"}`},
		{"S lone surrogate", `{"S":"\ud800x"}`, NewS("\uFFFDx"), `{"S":"�x"}`},
		{"N", `{"N":"01.50"}`, NewN("1.5"), `{"N":"1.5"}`},
		{"N exponent", `{"N":"-1E+2"}`, NewN("-100"), `{"N":"-100"}`},
		{"B", `{"B":"AQID"}`, NewB([]byte{1, 2, 3}), `{"B":"AQID"}`},
		{"B padded", `{"B":"AQ=="}`, NewB([]byte{1}), `{"B":"AQ=="}`},
		{"B empty", `{"B":""}`, NewB([]byte{}), `{"B":""}`},
		{"BOOL true", `{"BOOL":true}`, NewBool(true), `{"BOOL":true}`},
		{"BOOL false", `{"BOOL":false}`, NewBool(false), `{"BOOL":false}`},
		{"BOOL coerced", `{"BOOL":"Yes"}`, NewBool(true), `{"BOOL":true}`},
		{"BOOL coerced false", `{"BOOL":"0"}`, NewBool(false), `{"BOOL":false}`},
		{"NULL coerced", `{"NULL":"TRUE"}`, NewNull(), `{"NULL":true}`},
		{"NULL", `{"NULL":true}`, NewNull(), `{"NULL":true}`},
		{"M empty", `{"M":{}}`, NewM(nil), `{"M":{}}`},
		{"M", `{"M":{"b":{"N":"2"},"a":{"S":"x"}}}`, NewM(map[string]Value{"a": NewS("x"), "b": NewN("2")}), `{"M":{"a":{"S":"x"},"b":{"N":"2"}}}`},
		{"L empty", `{"L":[]}`, NewL(), `{"L":[]}`},
		{"L", `{"L":[{"S":"x"},{"L":[{"NULL":true}]}]}`, NewL(NewS("x"), NewL(NewNull())), `{"L":[{"S":"x"},{"L":[{"NULL":true}]}]}`},
		{"SS", `{"SS":["b","a"]}`, NewSS("b", "a"), `{"SS":["b","a"]}`},
		{"SS empty member", `{"SS":[""]}`, NewSS(""), `{"SS":[""]}`},
		{"NS", `{"NS":["1.0","2e1"]}`, NewNS("1", "20"), `{"NS":["1","20"]}`},
		{"BS", `{"BS":["AQ==","Ag=="]}`, NewBS([]byte{1}, []byte{2}), `{"BS":["AQ==","Ag=="]}`},
		{"BS empty member", `{"BS":[""]}`, NewBS([]byte{}), `{"BS":[""]}`},
		{"whitespace", " {\n\t\"S\" : \"x\" } ", NewS("x"), `{"S":"x"}`},
		{"unknown members ignored", `{"X":{"a":[1,-2.5e3,true,false,null,"s",{}]},"S":"x","Y":null}`, NewS("x"), `{"S":"x"}`},
		{"null member ignored", `{"S":null,"N":"1"}`, NewN("1"), `{"N":"1"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got Value
			if err := json.Unmarshal([]byte(tc.in), &got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", tc.in, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Unmarshal(%s) mismatch (-want +got):\n%s", tc.in, diff)
			}
			out, err := json.Marshal(got)
			if err != nil || string(out) != tc.out {
				t.Errorf("Marshal(%v) = %s, %v, want %s", got, out, err, tc.out)
			}
			var again Value
			if err := again.UnmarshalJSON(out); err != nil || !Equal(again, got) {
				t.Errorf("re-Unmarshal(%s) = %v, %v, want %v", out, again, err, got)
			}
		})
	}
}

func TestUnmarshalValidationErrors(t *testing.T) {
	t.Parallel()
	const (
		empty      = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
		multiple   = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
		notNumeric = "The parameter cannot be converted to a numeric value"
		nesting    = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
		invalidPfx = "One or more parameter values were invalid: "
	)
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", `{}`, empty},
		{"null", `null`, empty},
		{"only unknown", `{"a":""}`, empty},
		{"only null members", `{"S":null}`, empty},
		{"empty in M", `{"M":{"a":{}}}`, empty},
		{"empty in L", `{"L":[{}]}`, empty},
		{"unknown in L", `{"L":[{"a":{}}]}`, empty},
		{"null in L", `{"L":[null]}`, empty},
		{"two types", `{"S":"a","N":"1"}`, multiple},
		{"three types", `{"S":"a","BOOL":true,"NULL":true}`, multiple},
		{"number before multiple", `{"S":"","N":""}`, notNumeric},
		{"bad number before multiple", `{"S":"a","N":"b"}`, notNumeric + ": b"},
		{"NULL false", `{"NULL":false}`, invalidPfx + "Null attribute value types must have the value of true"},
		{"NULL coerced false", `{"NULL":"no"}`, invalidPfx + "Null attribute value types must have the value of true"},
		{"SS empty", `{"SS":[]}`, invalidPfx + "An string set  may not be empty"},
		{"NS empty", `{"NS":[]}`, invalidPfx + "An number set  may not be empty"},
		{"BS empty", `{"BS":[]}`, invalidPfx + "Binary sets should not be empty"},
		{"SS duplicates", `{"SS":["a","a"]}`, invalidPfx + "Input collection [a, a] contains duplicates."},
		{"SS duplicates listed in order", `{"SS":["b","a","c","a"]}`, invalidPfx + "Input collection [b, a, c, a] contains duplicates."},
		{"NS duplicates", `{"NS":["1","1"]}`, "Input collection contains duplicates"},
		{"NS numeric duplicates", `{"NS":["1","1.00"]}`, "Input collection contains duplicates"},
		{"BS duplicates", `{"BS":["Yg==","Yg=="]}`, invalidPfx + "Input collection [Yg==, Yg==]of type BS contains duplicates."},
		{"BS empty duplicates", `{"BS":["",""]}`, invalidPfx + "Input collection [, ]of type BS contains duplicates."},
		{"NS bad member", `{"NS":["1","b"]}`, notNumeric + ": b"},
		{"NS empty member", `{"NS":["1",""]}`, notNumeric},
		{"N precision", `{"N":"123456789012345678901234567890123456789"}`, "Attempting to store more than 38 significant digits in a Number"},
		{"N overflow", `{"N":"1e126"}`, "Number overflow. Attempting to store a number with magnitude larger than supported range"},
		{"N underflow", `{"N":"-1e-131"}`, "Number underflow. Attempting to store a number with magnitude smaller than supported range"},
		{"nested bad number", `{"M":{"a":{"L":[{"N":"x"}]}}}`, notNumeric + ": x"},
		{"too deep", nested(maxDepth, `{"S":"x"}`), nesting},
		{"too deep before bad number", nested(40, `{"N":"abc"}`), nesting},
		{"bad number before too deep", `{"L":[{"N":"abc"},` + nested(40, `{"S":"x"}`) + `]}`, notNumeric + ": abc"},
		{"too deep before bad number in list", `{"L":[` + nested(40, `{"S":"x"}`) + `,{"N":"abc"}]}`, nesting},
		{"SS duplicates before multiple", `{"N":"1","SS":["a","a"]}`, invalidPfx + "Input collection [a, a] contains duplicates."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var v Value
			err := v.UnmarshalJSON([]byte(tc.in))
			if got := validationMessage(err); got != tc.want {
				t.Errorf("UnmarshalJSON(%s) error = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// nested wraps leaf in depth levels of single-member maps.
func nested(depth int, leaf string) string {
	return strings.Repeat(`{"M":{"n":`, depth) + leaf + strings.Repeat(`}}`, depth)
}

func TestUnmarshalDepthLimit(t *testing.T) {
	t.Parallel()
	// A top-level value is level one: 31 wrappers put the leaf at level 32.
	for _, tc := range []struct {
		wrappers int
		ok       bool
	}{{0, true}, {maxDepth - 1, true}, {maxDepth, false}} {
		for _, wrap := range []func(int, string) string{nested, nestedLists} {
			in := wrap(tc.wrappers, `{"S":"leaf"}`)
			var v Value
			err := v.UnmarshalJSON([]byte(in))
			if (err == nil) != tc.ok {
				t.Errorf("UnmarshalJSON(%d wrappers) = %v, want ok=%v", tc.wrappers, err, tc.ok)
			}
		}
	}
}

func nestedLists(depth int, leaf string) string {
	return strings.Repeat(`{"L":[`, depth) + leaf + strings.Repeat(`]}`, depth)
}

func TestUnmarshalSyntaxErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
	}{
		{"not an object", `"S"`, "Unexpected value type in payload"},
		{"number", `1`, "Unexpected value type in payload"},
		{"array", `[]`, "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"},
		{"L of strings", `{"L":["x"]}`, "Unexpected value type in payload"},
		{"M of strings", `{"M":{"a":"x"}}`, "Unexpected value type in payload"},
		{"S number", `{"S":5}`, "NUMBER_VALUE cannot be converted to String"},
		{"S bool", `{"S":true}`, "TRUE_VALUE cannot be converted to String"},
		{"S false", `{"S":false}`, "FALSE_VALUE cannot be converted to String"},
		{"S object", `{"S":{}}`, "Start of structure or map found where not expected"},
		{"S array", `{"S":[]}`, "Unrecognized collection type class java.lang.String"},
		{"N number", `{"N":123}`, "NUMBER_VALUE cannot be converted to String"},
		{"N negative number", `{"N":-1}`, "NUMBER_VALUE cannot be converted to String"},
		{"BOOL number", `{"BOOL":1}`, "NUMBER_VALUE cannot be converted to Boolean"},
		{"BOOL object", `{"BOOL":{}}`, "Start of structure or map found where not expected"},
		{"BOOL bad string", `{"BOOL":"maybe"}`, "Unexpected token received from parser"},
		{"B number", `{"B":1}`, "only base-64-encoded strings are convertible to bytes"},
		{"B array", `{"B":[]}`, "Unrecognized collection type class java.nio.ByteBuffer"},
		{"B unpadded", `{"B":"AQ"}`, "Base64 encoded length is expected a multiple of 4 bytes but found: 2"},
		{"B bad character", `{"B":"A*=="}`, "Invalid Base64 character"},
		{"B bad trailing bits", `{"B":"AR=="}`, "Invalid Base64 character"},
		{"M array", `{"M":[]}`, "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"},
		{"M string", `{"M":"x"}`, "Unexpected field type"},
		{"L object", `{"L":{}}`, "Start of structure or map found where not expected"},
		{"L string", `{"L":"x"}`, "Unexpected field type"},
		{"SS string", `{"SS":"a"}`, "Unexpected field type"},
		{"SS number member", `{"SS":[1]}`, "NUMBER_VALUE cannot be converted to String"},
		{"NS number member", `{"NS":[1]}`, "NUMBER_VALUE cannot be converted to String"},
		{"BS bad member", `{"BS":["AQ"]}`, "Base64 encoded length is expected a multiple of 4 bytes but found: 2"},
		{"truncated", `{"S":"x"`, `expected ',' or '}'`},
		{"unterminated string", `{"S":"x`, "unterminated string"},
		{"raw control character", "{\"S\":\"\x01\"}", "control character in string"},
		{"bad escape", `{"S":"\x"}`, "invalid escape in string"},
		{"bad unicode escape", `{"S":"\u12"}`, `invalid \u escape in string`},
		{"trailing data", `{"S":"x"} x`, "unexpected data after value"},
		{"missing colon", `{"S" "x"}`, `expected ':'`},
		{"trailing comma", `{"S":"x",}`, "expected member name"},
		{"bad unknown member", `{"X":tru}`, "unexpected input where a value was expected"},
		{"bad unknown number", `{"X":01}`, "invalid number"},
		{"bad unknown fraction", `{"X":1.}`, "invalid number"},
		{"bad unknown exponent", `{"X":1e}`, "invalid number"},
		{"unknown too deep", `{"X":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}`, "JSON nested too deeply"},
		{"empty input", ``, "Unexpected value type in payload"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var v Value
			err := v.UnmarshalJSON([]byte(tc.in))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("UnmarshalJSON(%s) = %v, want a *SyntaxError", tc.in, err)
			}
			var ve *Error
			if errors.As(err, &ve) {
				t.Errorf("UnmarshalJSON(%s) = %v, also an *Error", tc.in, err)
			}
			if !strings.Contains(se.Msg, tc.want) {
				t.Errorf("UnmarshalJSON(%s) = %q, want it to contain %q", tc.in, se.Msg, tc.want)
			}
		})
	}
}

func TestUnmarshalLeavesValueOnError(t *testing.T) {
	t.Parallel()
	v := NewS("keep")
	if err := v.UnmarshalJSON([]byte(`{"S":"a","N":"1"}`)); err == nil {
		t.Fatal("UnmarshalJSON succeeded, want error")
	}
	if diff := cmp.Diff(NewS("keep"), v); diff != "" {
		t.Errorf("value changed on error (-want +got):\n%s", diff)
	}
}

func TestItemJSON(t *testing.T) {
	t.Parallel()
	in := `{"pk":{"S":"a"},"n":{"N":"1.50"},"tags":{"SS":["x"]},"doc":{"M":{"l":{"L":[{"BOOL":true}]}}}}`
	var got Item
	if err := json.Unmarshal([]byte(in), &got); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	want := Item{
		"pk":   NewS("a"),
		"n":    NewN("1.5"),
		"tags": NewSS("x"),
		"doc":  NewM(map[string]Value{"l": NewL(NewBool(true))}),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Unmarshal mismatch (-want +got):\n%s", diff)
	}
	out, err := json.Marshal(got)
	const wantOut = `{"doc":{"M":{"l":{"L":[{"BOOL":true}]}}},"n":{"N":"1.5"},"pk":{"S":"a"},"tags":{"SS":["x"]}}`
	if err != nil || string(out) != wantOut {
		t.Errorf("Marshal = %s, %v, want %s", out, err, wantOut)
	}
}

func TestItemUnmarshalErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in   string
		validation string // "" for a syntax error
	}{
		{"not an object", `[]`, ""},
		{"string", `"x"`, ""},
		{"bad value", `{"a":{}}`, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{"null value", `{"a":null}`, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{"trailing", `{} {}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var it Item
			err := it.UnmarshalJSON([]byte(tc.in))
			var se *SyntaxError
			switch {
			case err == nil:
				t.Fatalf("UnmarshalJSON(%s) succeeded", tc.in)
			case tc.validation == "" && !errors.As(err, &se):
				t.Errorf("UnmarshalJSON(%s) = %v, want a *SyntaxError", tc.in, err)
			case tc.validation != "" && validationMessage(err) != tc.validation:
				t.Errorf("UnmarshalJSON(%s) = %v, want %q", tc.in, err, tc.validation)
			}
		})
	}
}

func TestItemUnmarshalNull(t *testing.T) {
	t.Parallel()
	var req struct{ Item Item }
	if err := json.Unmarshal([]byte(`{"Item":null}`), &req); err != nil || req.Item != nil {
		t.Errorf("Unmarshal null item = %v, %v, want nil, nil", req.Item, err)
	}
}
