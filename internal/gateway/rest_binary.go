package gateway

import (
	"mime"
	"net/http"
	"path"
	"strings"
)

// mediaTypes are a REST API's binaryMediaTypes: media types, or patterns
// with * wildcards ("image/*", "*/*").
type mediaTypes []string

// match reports whether a Content-Type or Accept value's media type (its
// parameters ignored, case-insensitively) is one of the binary media
// types; an absent one is none.
func (m mediaTypes) match(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	for _, pattern := range m {
		if ok, err := path.Match(strings.ToLower(pattern), mt); err == nil && ok {
			return true
		}
	}
	return false
}

// binaryResponse reports whether a REST function's base64 body
// (isBase64Encoded true) is decoded to bytes: when the request's first
// Accept media type or the response's Content-Type is a binary media
// type, as AWS does; otherwise the base64 text is the body.
func (in *incoming) binaryResponse(h http.Header) bool {
	first, _, _ := strings.Cut(in.r.Header.Get("Accept"), ",")
	return in.binary(first) || in.binary(h.Get("Content-Type"))
}
