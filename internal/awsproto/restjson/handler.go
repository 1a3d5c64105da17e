package restjson

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/logging"
)

// Protocol-level errors of restJson services.
var (
	// ErrUnknownOperation answers a path and method no route matches.
	ErrUnknownOperation = apierr.Def{Code: "UnknownOperationException", Status: http.StatusNotFound}
	// ErrInternal is the generic answer to a server fault; its cause is only logged.
	ErrInternal = apierr.Def{Code: "ServiceException", Status: http.StatusInternalServerError, Fault: apierr.FaultServer}
)

// internalMessage is the only text a client sees for a server fault.
const internalMessage = "Internal server error"

// Handler serves one restJson [Service]. Authentication and body limits are
// the front door's job: Handler trusts its caller. It is safe for
// concurrent use.
type Handler struct {
	svc    Service
	logger *slog.Logger
}

// NewHandler returns a Handler for svc; server faults are logged to logger
// (nil discards them).
func NewHandler(svc Service, logger *slog.Logger) *Handler {
	return &Handler{svc: svc, logger: logging.OrDiscard(logger)}
}

// Match returns the operation name of r's route; ok is false when no route
// matches.
func (h *Handler) Match(r *http.Request) (op string, ok bool) {
	rt, _, ok := h.svc.Match(r)
	return rt.Op, ok
}

// Serve answers one request whose body has already been read (and
// authenticated) by the caller.
func (h *Handler) Serve(w http.ResponseWriter, r *http.Request, body []byte) {
	rt, labels, ok := h.svc.Match(r)
	if !ok {
		h.WriteError(w, r, ErrUnknownOperation.New(""))
		return
	}
	resp, err := rt.Call(r.Context(), &Request{HTTP: r, Body: body, labels: labels})
	if err != nil {
		h.WriteError(w, r, err)
		return
	}
	h.write(w, r, resp)
}

// WriteError answers with err: an *apierr.Error with its status, the
// X-Amzn-ErrorType header and a {"Type","message"} body; any other error is
// logged at Error and answered with a generic 500 ServiceException.
func (h *Handler) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	e, fault := apierr.Visible(err, ErrInternal.New(internalMessage))
	if fault {
		h.logger.ErrorContext(r.Context(), "request failed", slog.String("code", e.Code), slog.Any(logging.KeyErr, err))
	}
	payload, encErr := h.encodeError(e)
	if encErr != nil {
		h.logger.ErrorContext(r.Context(), "encode error response", slog.Any(logging.KeyErr, encErr))
		e = ErrInternal.New(internalMessage)
		payload, _ = h.encodeError(e) // cannot fail: only strings
	}
	hdr := http.Header{HeaderErrorType: {e.Code}}
	h.write(w, r, &Response{Status: e.Status, Header: hdr, Body: payload})
}

func (h *Handler) write(w http.ResponseWriter, r *http.Request, resp *Response) {
	hdr := w.Header()
	for k, vs := range resp.Header {
		hdr[http.CanonicalHeaderKey(k)] = vs
	}
	if len(resp.Body) > 0 {
		ct := resp.ContentType
		if ct == "" {
			ct = "application/json"
		}
		hdr.Set("Content-Type", ct)
	}
	hdr.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	if id := logging.RequestID(r.Context()); id != "" {
		hdr[HeaderRequestID] = []string{id}
	}
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(resp.Body) // a failed write means the client is gone
	}
}

// encodeError builds {"Type":"User"|"Service","message":...,<fields>}.
func (h *Handler) encodeError(e *apierr.Error) ([]byte, error) {
	typ := "User"
	if e.Fault == apierr.FaultServer {
		typ = "Service"
	}
	field := e.MessageField
	if field == "" {
		field = h.svc.MessageFields[e.Code]
	}
	if field == "" {
		field = "message"
	}
	body := map[string]any{"Type": typ}
	for k, v := range e.Fields {
		body[k] = v
	}
	if e.Message != "" {
		body[field] = e.Message
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
