package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// appendCanonicalRequest appends the SigV4 canonical request of r to dst.
// rawPath is the path as sent on the wire (r.URL.EscapedPath() for a server
// request); signedHeaders are the header names the client signed. For a
// presigned request the X-Amz-Signature query parameter is left out.
func appendCanonicalRequest(dst []byte, r *http.Request, rawPath string, signedHeaders []string,
	payloadHash string, singleEncode, presigned bool) []byte {
	dst = append(dst, r.Method...)
	dst = append(dst, '\n')
	dst = appendCanonicalURI(dst, rawPath, singleEncode)
	dst = append(dst, '\n')
	dst = appendCanonicalQuery(dst, r.URL.RawQuery, presigned)
	dst = append(dst, '\n')
	for _, name := range signedHeaders {
		dst = appendLower(dst, name)
		dst = append(dst, ':')
		dst = appendHeader(dst, r, name)
		dst = append(dst, '\n')
	}
	dst = append(dst, '\n')
	for i, name := range signedHeaders {
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = appendLower(dst, name)
	}
	dst = append(dst, '\n')
	return append(dst, payloadHash...)
}

// appendStringToSign appends the string to sign for a canonical request
// signed at amzDate with a's credential scope.
func appendStringToSign(dst []byte, amzDate string, a *Authorization, canonicalRequest []byte) []byte {
	sum := sha256.Sum256(canonicalRequest)
	dst = append(dst, Algorithm+"\n"...)
	dst = append(dst, amzDate...)
	for _, part := range [...]string{"\n", a.Date, "/", a.Region, "/", a.Service, "/", a.Terminator, "\n"} {
		dst = append(dst, part...)
	}
	return hex.AppendEncode(dst, sum[:])
}

// appendCanonicalURI appends the canonical URI for rawPath. With
// singleEncode (S3) that is rawPath itself; otherwise rawPath is
// normalised and URI-encoded again, so "%20" becomes "%2520".
func appendCanonicalURI(dst []byte, rawPath string, singleEncode bool) []byte {
	switch {
	case rawPath == "":
		return append(dst, '/')
	case singleEncode:
		return append(dst, rawPath...)
	default:
		return appendURIEncode(dst, normalizePath(rawPath), true)
	}
}

// normalizePath removes empty, "." and ".." segments from p, keeping a
// trailing slash.
func normalizePath(p string) string {
	if p[0] == '/' && !strings.Contains(p, "//") && !strings.Contains(p, "/.") {
		return p
	}
	segments := make([]string, 0, strings.Count(p, "/")+1)
	for s := range strings.SplitSeq(p, "/") {
		switch s {
		case "", ".":
		case "..":
			if len(segments) > 0 {
				segments = segments[:len(segments)-1]
			}
		default:
			segments = append(segments, s)
		}
	}
	out := "/" + strings.Join(segments, "/")
	if len(segments) > 0 && strings.HasSuffix(p, "/") {
		out += "/"
	}
	return out
}

// queryPair is one encoded query parameter.
type queryPair struct{ name, value string }

// appendCanonicalQuery appends the canonical form of rawQuery: every name
// and value decoded, re-encoded with SigV4's rules and sorted by name, then
// value. When presigned, X-Amz-Signature is left out.
func appendCanonicalQuery(dst []byte, rawQuery string, presigned bool) []byte {
	if rawQuery == "" {
		return dst
	}
	pairs := make([]queryPair, 0, strings.Count(rawQuery, "&")+1)
	for part := range strings.SplitSeq(rawQuery, "&") {
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		name = queryUnescape(name)
		if presigned && name == querySignature {
			continue
		}
		pairs = append(pairs, queryPair{queryEncode(name), queryEncode(queryUnescape(value))})
	}
	slices.SortFunc(pairs, func(a, b queryPair) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return strings.Compare(a.value, b.value)
	})
	for i, p := range pairs {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p.name...)
		dst = append(dst, '=')
		dst = append(dst, p.value...)
	}
	return dst
}

// queryUnescape decodes a query component ('+' is a space); a component
// with a malformed escape is kept as sent.
func queryUnescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// queryEncode URI-encodes a query component with SigV4's rules.
func queryEncode(s string) string {
	for i := range len(s) {
		if !isUnreserved(s[i]) {
			return string(appendURIEncode(make([]byte, 0, len(s)+16), s, false))
		}
	}
	return s
}

// appendURIEncode appends s with every byte outside the RFC 3986 unreserved
// set (and '/', when keepSlash) percent-encoded in upper case.
func appendURIEncode(dst []byte, s string, keepSlash bool) []byte {
	const hexDigits = "0123456789ABCDEF"
	for i := range len(s) {
		c := s[i]
		if isUnreserved(c) || (keepSlash && c == '/') {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '%', hexDigits[c>>4], hexDigits[c&15])
	}
	return dst
}

// isUnreserved reports whether c is an RFC 3986 unreserved character.
func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// appendHeader appends the canonical value of the signed header name of r.
// Go keeps Host, Content-Length and Transfer-Encoding outside r.Header on
// server requests, so those are rebuilt from r's fields when the map lacks
// them.
func appendHeader(dst []byte, r *http.Request, name string) []byte {
	if strings.EqualFold(name, "host") {
		host := r.Host
		if host == "" {
			host = r.URL.Host
		}
		return appendHeaderValue(dst, host)
	}
	if values := headerValues(r, name); values != nil {
		for i, v := range values {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendHeaderValue(dst, v)
		}
		return dst
	}
	if strings.EqualFold(name, "content-length") && r.ContentLength >= 0 {
		return strconv.AppendInt(dst, r.ContentLength, 10)
	}
	return dst
}

// headerValues returns the values of header name in r, or nil.
func headerValues(r *http.Request, name string) []string {
	var keyBuf [64]byte
	if values, ok := r.Header[string(appendCanonicalKey(keyBuf[:0], name))]; ok {
		return values
	}
	if strings.EqualFold(name, "transfer-encoding") {
		return r.TransferEncoding
	}
	for k, values := range r.Header {
		if strings.EqualFold(k, name) {
			return values
		}
	}
	return nil
}

// appendHeaderValue appends v trimmed and with runs of spaces collapsed to
// one.
func appendHeaderValue(dst []byte, v string) []byte {
	v = strings.Trim(v, " \t")
	space := false
	for i := range len(v) {
		if v[i] == ' ' {
			space = true
			continue
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		dst = append(dst, v[i])
	}
	return dst
}

// appendCanonicalKey appends the MIME-canonical form of header name s
// ("x-amz-date" becomes "X-Amz-Date"), the form net/http stores keys in.
func appendCanonicalKey(dst []byte, s string) []byte {
	upper := true
	for i := range len(s) {
		c := s[i]
		switch {
		case upper && 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		case !upper && 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		dst = append(dst, c)
		upper = c == '-'
	}
	return dst
}

// appendLower appends s in ASCII lower case.
func appendLower(dst []byte, s string) []byte {
	for i := range len(s) {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}
