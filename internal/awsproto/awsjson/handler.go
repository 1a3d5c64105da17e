package awsjson

import (
	"bytes"
	"encoding/json"
	"hash/crc32"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/logging"
)

// Header names of the awsJson protocol.
const (
	// HeaderTarget names the operation: "<TargetPrefix>.<Op>".
	HeaderTarget = "X-Amz-Target"
	// HeaderRequestID carries the request id on every response, spelled as
	// AWS spells it; set it with [SetRequestID].
	HeaderRequestID = "x-amzn-RequestId"
	// HeaderErrorType carries the error code of an error response.
	HeaderErrorType = "X-Amzn-ErrorType"
	// HeaderCRC32 carries the decimal CRC-32 (IEEE) of the response body.
	HeaderCRC32 = "X-Amz-Crc32"
)

// internalMessage is the only text a client sees for a server fault.
const internalMessage = "Internal server error"

// SplitTarget splits an X-Amz-Target value into the service prefix and the
// operation name, at the last dot. ok is false when either part is empty.
func SplitTarget(target string) (prefix, op string, ok bool) {
	i := strings.LastIndexByte(target, '.')
	if i <= 0 || i == len(target)-1 {
		return "", "", false
	}
	return target[:i], target[i+1:], true
}

// SetRequestID sets the request id header exactly as AWS spells it.
func SetRequestID(h http.Header, id string) {
	h[HeaderRequestID] = []string{id}
}

// Handler serves one awsJson [Service]: it dispatches on X-Amz-Target,
// calls the operation and encodes its output or error. Authentication and
// body limits are the front door's job: Handler trusts its caller.
//
// A Handler is safe for concurrent use.
type Handler struct {
	svc    Service
	logger *slog.Logger
}

// NewHandler returns a Handler for svc. Server faults are logged to logger
// (nil discards them).
func NewHandler(svc Service, logger *slog.Logger) *Handler {
	return &Handler{svc: svc, logger: logging.OrDiscard(logger)}
}

// Service returns the operation table the handler serves.
func (h *Handler) Service() Service { return h.svc }

// Serve answers one request whose body has already been read (and
// authenticated) by the caller. A missing or unknown X-Amz-Target is
// answered with UnknownOperationException.
func (h *Handler) Serve(w http.ResponseWriter, r *http.Request, body []byte) {
	prefix, name, ok := SplitTarget(r.Header.Get(HeaderTarget))
	op, found := h.svc.Ops[name]
	if !ok || prefix != h.svc.TargetPrefix || !found {
		h.WriteError(w, r, ErrUnknownOperation.New(""))
		return
	}
	out, err := op.Call(r.Context(), body)
	if err != nil {
		h.WriteError(w, r, err)
		return
	}
	payload, err := encodeOutput(out)
	if err != nil {
		h.WriteError(w, r, err)
		return
	}
	h.write(w, r, http.StatusOK, payload)
}

// WriteError answers with err in the awsJson error encoding: an
// *apierr.Error with its status, X-Amzn-ErrorType header and
// {"__type","message",...} body; any other error is logged at Error and
// answered with a generic 500 InternalServerError.
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
	w.Header().Set(HeaderErrorType, e.Code)
	h.write(w, r, e.Status, payload)
}

func (h *Handler) write(w http.ResponseWriter, r *http.Request, status int, payload []byte) {
	hdr := w.Header()
	hdr.Set("Content-Type", h.svc.ContentType)
	hdr.Set("Content-Length", strconv.Itoa(len(payload)))
	if id := logging.RequestID(r.Context()); id != "" {
		SetRequestID(hdr, id)
	}
	if h.svc.CRC32 {
		hdr.Set(HeaderCRC32, strconv.FormatUint(uint64(crc32.ChecksumIEEE(payload)), 10))
	}
	w.WriteHeader(status)
	_, _ = w.Write(payload) // a failed write means the client is gone
}

// encodeOutput encodes an operation's output; nil encodes as {}.
func encodeOutput(out any) ([]byte, error) {
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(b, []byte("null")) {
		return []byte("{}"), nil
	}
	return b, nil
}

// encodeError builds {"__type":"<ns>#<Code>","message":"...",<fields>}
// with __type first, then the message, then the extra fields by name.
func (h *Handler) encodeError(e *apierr.Error) ([]byte, error) {
	ns := e.Namespace
	if ns == "" {
		ns = h.svc.ErrorNamespace
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	writeMember(&buf, "__type", ns+"#"+e.Code)
	if e.Message != "" {
		field := e.MessageField
		if field == "" {
			field = "message"
		}
		buf.WriteByte(',')
		writeMember(&buf, field, e.Message)
	}
	for _, k := range slices.Sorted(maps.Keys(e.Fields)) {
		v, err := json.Marshal(e.Fields[k])
		if err != nil {
			return nil, err
		}
		buf.WriteByte(',')
		writeKey(&buf, k)
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func writeMember(buf *bytes.Buffer, key, value string) {
	writeKey(buf, key)
	v, _ := json.Marshal(value) // strings always encode
	buf.Write(v)
}

func writeKey(buf *bytes.Buffer, key string) {
	k, _ := json.Marshal(key) // strings always encode
	buf.Write(k)
	buf.WriteByte(':')
}
