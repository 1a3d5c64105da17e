package server

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/google/uuid"

	"github.com/fogbank/fogbank/internal/awsproto/awsjson"
	"github.com/fogbank/fogbank/internal/identity"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/sigv4"
)

// HealthPath answers GET with 200 {"status":"ok"} once the server serves.
const HealthPath = "/_fogbank/health"

// requestInfo is what routing learns about a request, for the access log.
type requestInfo struct {
	service, op, principal string
	// writeError writes an error in the routed protocol's encoding.
	writeError func(w http.ResponseWriter, r *http.Request, err error)
}

// ServeHTTP serves one request through the whole front door.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := newRequestID()
	awsjson.SetRequestID(w.Header(), id)
	r = r.WithContext(logging.WithRequestID(r.Context(), id))
	rec := &recorder{ResponseWriter: w}
	info := &requestInfo{writeError: s.fallback.WriteError}
	defer s.logAccess(r, rec, info, start)
	defer s.recoverPanic(rec, r, info)
	s.route(rec, r, info)
}

// route dispatches r to the health check or to an AWS service.
func (s *Server) route(w http.ResponseWriter, r *http.Request, info *requestInfo) {
	if r.URL.Path == HealthPath && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"ok"}`)
		return
	}
	if isRuntimeRequest(r) {
		s.serveRuntime(w)
		return
	}
	if bucket, base, path, ok := s.websiteTarget(r); ok {
		s.serveWebsite(w, r, info, bucket, base, path)
		return
	}
	if apiID, rawPath, ok := s.gatewayTarget(r); ok {
		s.serveGateway(w, r, info, apiID, rawPath)
		return
	}
	if route, ok := s.restRouteFor(r); ok {
		s.serveREST(w, r, info, route)
		return
	}
	if route, op, ok := s.jsonRouteFor(r); ok {
		s.serveJSON(w, r, info, route, op)
		return
	}
	if s.opts.S3 != nil && isS3Request(r) {
		s.serveS3(w, r, info)
		return
	}
	info.writeError(w, r, errUnroutable.Newf("No Fogbank service handles %s %s: send an AWS API request with "+
		"X-Amz-Target or a SigV4 credential scope naming a supported service.", r.Method, r.URL.Path))
}

// serveJSON reads, authenticates and dispatches an awsJson request.
func (s *Server) serveJSON(w http.ResponseWriter, r *http.Request, info *requestInfo, route *jsonRoute, op string) {
	info.service, info.op, info.writeError = route.signingName, op, route.handler.WriteError
	r = r.WithContext(logging.WithAttrs(r.Context(), slog.String(logging.KeyService, route.signingName), slog.String(logging.KeyOp, op)))
	release, admitted := s.admit(w, r, info)
	if !admitted {
		return
	}
	defer release()
	body, err := s.readBody(w, r, op)
	if err != nil {
		route.handler.WriteError(w, r, err)
		return
	}
	principal, err := s.authenticate(r, body, route.signingName)
	if err != nil {
		route.handler.WriteError(w, r, err)
		return
	}
	if principal.AccessKeyID != "" {
		info.principal = principal.AccessKeyID
		ctx := identity.WithPrincipal(r.Context(), principal)
		r = r.WithContext(logging.WithAttrs(ctx, slog.String(logging.KeyPrincipal, principal.AccessKeyID)))
	}
	route.handler.Serve(w, r, body)
}

// readBody reads the whole body, refusing more than MaxRequestBody bytes.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, op string) ([]byte, error) {
	limit := s.opts.MaxRequestBody
	if r.ContentLength > limit {
		return nil, tooLarge(limit, op)
	}
	size := int64(512)
	if r.ContentLength > 0 {
		size = r.ContentLength + 1 // +1 lets ReadFrom see EOF without growing
	}
	buf := make([]byte, 0, size)
	body, err := readAll(http.MaxBytesReader(w, r.Body, limit), buf)
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		return nil, tooLarge(limit, op)
	case err != nil:
		return nil, errIncompleteBody.Wrap(err, "Unable to read the request body.")
	}
	return body, nil
}

func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func tooLarge(limit int64, op string) error {
	if op == "" {
		return errTooLarge.Newf("Request must be smaller than %d bytes.", limit+1)
	}
	return errTooLarge.Newf("Request must be smaller than %d bytes for the %s operation.", limit+1, op)
}

// recoverPanic turns a panic in routing or an operation into a 500
// InternalFailure, logging the stack at Error.
func (s *Server) recoverPanic(w *recorder, r *http.Request, info *requestInfo) {
	v := recover()
	if v == nil {
		return
	}
	if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
		panic(v) // net/http's way to abort a response; it handles it itself
	}
	s.logger.ErrorContext(r.Context(), "panic serving request",
		slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
	if w.status != 0 {
		return // the response is already under way; net/http closes the connection
	}
	info.writeError(w, r, errInternalFailure.New("Internal failure. Please try your request again."))
}

// logAccess writes the one access-log line of a request, at Debug.
func (s *Server) logAccess(r *http.Request, w *recorder, info *requestInfo, start time.Time) {
	if !s.logger.Enabled(r.Context(), slog.LevelDebug) {
		return // skip making the attributes
	}
	s.logger.DebugContext(r.Context(), "request",
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String(logging.KeyService, info.service),
		slog.String(logging.KeyOp, info.op),
		slog.String(logging.KeyPrincipal, info.principal),
		slog.Int("status", w.statusCode()),
		slog.String("error_code", w.Header().Get(awsjson.HeaderErrorType)),
		slog.Int64("bytes", w.bytes),
		slog.Duration("duration", time.Since(start)),
	)
}

// recorder remembers the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// ReadFrom passes io.Copy through to the underlying writer's ReadFrom, so
// that a response copied from a file is sent with sendfile.
func (w *recorder) ReadFrom(src io.Reader) (int64, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	var n int64
	var err error
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(src)
	} else {
		n, err = io.Copy(struct{ io.Writer }{w.ResponseWriter}, src)
	}
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *recorder) statusCode() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// newRequestID returns a random UUID (version 4) string.
func newRequestID() string { return uuid.NewString() }

// jsonRouteFor finds the awsJson service of a POST request: by the
// X-Amz-Target prefix, or else by the SigV4 credential scope's service (the
// binding then answers a missing or foreign target itself). op is the
// target's operation name, "" when there is none.
func (s *Server) jsonRouteFor(r *http.Request) (route *jsonRoute, op string, ok bool) {
	if r.Method != http.MethodPost {
		return nil, "", false
	}
	prefix, op, _ := awsjson.SplitTarget(r.Header.Get(awsjson.HeaderTarget))
	if route, ok := s.byPrefix[prefix]; ok {
		return route, op, true
	}
	if scope, ok := sigv4.Scope(r); ok {
		if route, ok := s.bySigningName[scope.Service]; ok {
			return route, op, true
		}
	}
	return nil, "", false
}
