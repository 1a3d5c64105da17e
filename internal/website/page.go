package website

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/awsproto/restxml"
	"github.com/fogbank/fogbank/internal/logging"
)

// pageError is an error the website endpoint answers with S3's HTML page.
type pageError struct {
	status        int
	code, message string
	// details are the page's extra items (Key, BucketName, ...), also sent
	// as x-amz-error-detail-<name> headers.
	details [][2]string
	// errorDoc is the error document that could not be read, "" for none.
	errorDoc string
}

// page writes S3's HTML error page for pe, as the website endpoint renders
// it, with x-amz-error-code and x-amz-error-message headers; HEAD gets the
// headers only.
func (h *Handler) page(s *site, pe pageError) {
	hdr := s.w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("X-Amz-Error-Code", pe.code)
	hdr.Set("X-Amz-Error-Message", pe.message)
	for _, d := range pe.details {
		hdr.Set("X-Amz-Error-Detail-"+d[0], d[1])
	}
	body := renderPage(pe, logging.RequestID(s.r.Context()))
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	s.w.WriteHeader(pe.status)
	if s.r.Method != http.MethodHead {
		_, _ = io.WriteString(s.w, body)
	}
}

// renderPage renders S3's website error page.
func renderPage(pe pageError, requestID string) string {
	title := fmt.Sprintf("%d %s", pe.status, statusTitle(pe.status))
	var b strings.Builder
	fmt.Fprintf(&b, "<html>\n<head><title>%s</title></head>\n<body>\n<h1>%s</h1>\n<ul>\n", title, title)
	item(&b, "Code", pe.code)
	item(&b, "Message", pe.message)
	for _, d := range pe.details {
		item(&b, d[0], d[1])
	}
	item(&b, "RequestId", requestID)
	item(&b, "HostId", restxml.HostID(requestID))
	b.WriteString("</ul>\n")
	if pe.errorDoc != "" {
		b.WriteString("<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n")
		item(&b, "Code", "NoSuchKey")
		item(&b, "Message", "The specified key does not exist.")
		item(&b, "Key", pe.errorDoc)
		b.WriteString("</ul>\n")
	}
	b.WriteString("<hr/>\n</body>\n</html>\n")
	return b.String()
}

func item(b *strings.Builder, name, value string) {
	fmt.Fprintf(b, "<li>%s: %s</li>\n", name, html.EscapeString(value))
}

// statusTitle is the reason phrase S3's pages use.
func statusTitle(status int) string {
	if status == http.StatusInternalServerError {
		return "Service Error"
	}
	return http.StatusText(status)
}

// WriteError answers a request the front door refused before it reached
// the website (for example, shed by admission control) with S3's HTML
// error page for err.
func (h *Handler) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	pe := pageError{status: http.StatusInternalServerError, code: "InternalError",
		message: "We encountered an internal error. Please try again."}
	if e, ok := apierr.As(err); ok {
		pe.status, pe.code, pe.message = e.Status, e.Code, e.Message
	}
	h.page(&site{w: w, r: r}, pe)
}
