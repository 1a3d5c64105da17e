// Package restxml is the restXml protocol binding as S3 speaks it: XML
// response bodies in the S3 namespace, request-body decoding, and S3's
// error shape
//
//	<?xml version="1.0" encoding="UTF-8"?>
//	<Error><Code>NoSuchKey</Code><Message>...</Message><Key>...</Key>
//	<RequestId>...</RequestId><HostId>...</HostId></Error>
//
// with the request id in the x-amz-request-id and x-amz-id-2 headers, and
// no body at all on HEAD responses (SDKs then map the status alone, e.g.
// 404 to NotFound).
//
// Routing, authentication and the operations themselves live elsewhere
// (internal/server, internal/service/s3); the aws-chunked payload framing
// is in the awschunked sub-package.
package restxml

import (
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/logging"
)

// Namespace is the XML namespace of S3 documents.
const Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// Response headers that carry the request id.
const (
	HeaderRequestID = "X-Amz-Request-Id"
	HeaderHostID    = "X-Amz-Id-2"
)

// xmlHeader starts every XML body.
const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// ErrMalformed is returned (wrapped) by Decode for a body that is not
// well-formed XML of the expected document.
var ErrMalformed = errors.New("restxml: malformed XML")

// internalError answers errors that are not *apierr.Error.
var internalError = apierr.Def{Code: "InternalError", Status: http.StatusInternalServerError, Fault: apierr.FaultServer}

// SetRequestID sets the x-amz-request-id and x-amz-id-2 headers.
func SetRequestID(h http.Header, id string) {
	h[HeaderRequestID] = []string{id}
	h[HeaderHostID] = []string{HostID(id)}
}

// HostID returns the x-amz-id-2 value (S3's "host id") of a request id.
func HostID(requestID string) string {
	return base64.StdEncoding.EncodeToString([]byte(requestID))
}

// WriteXML writes v as an XML document with the given status. v's root
// element should carry the S3 namespace (xmlns attribute).
func WriteXML(w http.ResponseWriter, status int, v any) error {
	body, err := xml.Marshal(v)
	if err != nil {
		return fmt.Errorf("restxml: encode: %w", err)
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, err = io.WriteString(w, xmlHeader)
	if err == nil {
		_, err = w.Write(body)
	}
	return err
}

// Decode reads at most limit bytes of XML from r into v. A body that is
// not well-formed, not v's document, or longer than limit is ErrMalformed.
func Decode(r io.Reader, limit int64, v any) error {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return fmt.Errorf("restxml: read body: %w", err)
	}
	if int64(len(body)) > limit {
		return fmt.Errorf("%w: body over %d bytes", ErrMalformed, limit)
	}
	if err := xml.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return nil
}

// WriteError writes err in S3's error shape. An *apierr.Error is sent with
// its status, code, message and Fields (as extra elements, sorted by
// name); any other error is logged to logger at Error as a server fault and
// answered 500 InternalError. HEAD responses carry the status and headers
// only.
func WriteError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	e, fault := apierr.Visible(err, internalError.New("We encountered an internal error. Please try again."))
	if fault {
		logging.OrDiscard(logger).ErrorContext(r.Context(), "server fault", slog.String("code", e.Code), slog.Any(logging.KeyErr, err))
	}
	if r.Method == http.MethodHead {
		w.WriteHeader(e.Status)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(e.Status)
	_, _ = io.WriteString(w, errorDocument(e, logging.RequestID(r.Context())))
}

// errorDocument renders e as S3's <Error> document.
func errorDocument(e *apierr.Error, requestID string) string {
	var b strings.Builder
	b.WriteString(xmlHeader + "<Error>")
	element(&b, "Code", e.Code)
	element(&b, "Message", e.Message)
	for _, name := range slices.Sorted(maps.Keys(e.Fields)) {
		element(&b, name, fmt.Sprint(e.Fields[name]))
	}
	element(&b, "RequestId", requestID)
	element(&b, "HostId", HostID(requestID))
	b.WriteString("</Error>")
	return b.String()
}

// element writes <name>text</name> with text escaped.
func element(b *strings.Builder, name, text string) {
	b.WriteString("<" + name + ">")
	_ = xml.EscapeText(b, []byte(text)) // a strings.Builder never fails
	b.WriteString("</" + name + ">")
}
