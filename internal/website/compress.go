package website

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
)

// Content codings the endpoint compresses with, in order of preference.
const (
	encodingBrotli = "br"
	encodingGzip   = "gzip"
)

// brotliQuality trades compression time (paid once per object version,
// then cached) against size.
const brotliQuality = 6

// negotiate picks the content coding an Accept-Encoding header allows:
// br, else gzip, else "" (identity). A coding with q=0 is refused; "*"
// stands for any coding not named.
func negotiate(accept string) string {
	q := map[string]float64{}
	for part := range strings.SplitSeq(accept, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		weight := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				weight = f
			}
		}
		q[name] = weight
	}
	for _, enc := range []string{encodingBrotli, encodingGzip} {
		w, named := q[enc]
		if !named {
			w, named = q["*"]
		}
		if named && w > 0 {
			return enc
		}
	}
	return ""
}

// compress encodes body with enc.
func compress(enc string, body []byte) ([]byte, error) {
	var buf bytes.Buffer
	var w io.WriteCloser
	switch enc {
	case encodingBrotli:
		w = brotli.NewWriterLevel(&buf, brotliQuality)
	case encodingGzip:
		w, _ = gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	default:
		return nil, fmt.Errorf("website: unknown content coding %q", enc)
	}
	if _, err := w.Write(body); err != nil {
		return nil, fmt.Errorf("website: compress: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("website: compress: %w", err)
	}
	return buf.Bytes(), nil
}
