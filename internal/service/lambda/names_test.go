package lambda

import (
	"strings"
	"testing"
)

// TestParseFunctionName: every form AWS accepts, the same answer from
// the memory as from the pattern, and invalid labels refused every time.
func TestParseFunctionName(t *testing.T) {
	for _, c := range []struct{ label, name, qualifier string }{
		{"f", "f", ""},
		{"f:prod", "f", "prod"},
		{"f:$LATEST", "f", "$LATEST"},
		{"123456789012:function:f", "f", ""},
		{"arn:aws:lambda:us-east-1:123456789012:function:f:7", "f", "7"},
	} {
		for range 2 {
			name, qualifier, err := parseFunctionName(c.label)
			if name != c.name || qualifier != c.qualifier || err != nil {
				t.Errorf("parseFunctionName(%q) = %q, %q, %v; want %q, %q", c.label, name, qualifier, err, c.name, c.qualifier)
			}
		}
	}
	for _, label := range []string{"", "f:", "a/b", "arn:aws:lambda:us-east-1:123456789012:function:" + strings.Repeat("a", 65)} {
		for range 2 {
			if _, _, err := parseFunctionName(label); err == nil {
				t.Errorf("parseFunctionName(%q) accepted", label)
			}
		}
	}
}
