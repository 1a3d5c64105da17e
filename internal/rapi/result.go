package rapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
)

// Header and trailer names of the result endpoints.
const (
	headerErrorType = "Lambda-Runtime-Function-Error-Type"
	trailerErrBody  = "Lambda-Runtime-Function-Error-Body"
)

// handleResponse accepts the function's result.
func (s *Server) handleResponse(w http.ResponseWriter, r *http.Request) {
	s.acceptResult(w, r, false)
}

// handleError accepts the function's error.
func (s *Server) handleError(w http.ResponseWriter, r *http.Request) {
	s.acceptResult(w, r, true)
}

// acceptResult validates the request id, reads the body and completes the
// current invocation with it.
func (s *Server) acceptResult(w http.ResponseWriter, r *http.Request, isError bool) {
	id := r.PathValue("id")
	p, ok := s.validate(w, id)
	if !ok {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxResponseSize))
	var res Result
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		res = tooLargeResult()
	case err != nil:
		writeRuntimeError(w, http.StatusBadRequest, "InvalidRequest", "unable to read the request body")
		return
	default:
		res = resultOf(r, body, isError)
	}
	if !s.complete(p, res) {
		s.validate(w, id) // answers with why it is no longer current
		return
	}
	if res.ErrorType == ErrorTypeResponseTooLarge {
		writeRuntimeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			"Exceeded maximum allowed payload size (6291556 bytes).")
		return
	}
	writeAccepted(w)
}

// validate returns the current invocation when it has the given id, or
// answers the runtime with the reason it does not.
func (s *Server) validate(w http.ResponseWriter, id string) (*pending, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.current != nil && s.current.inv.RequestID == id:
		return s.current, true
	case slices.Contains(s.expired, id):
		writeRuntimeError(w, http.StatusForbidden, "Runtime.InvokeTimeout", "Invoke timeout: the result arrived after the invocation ended")
	case s.current == nil && id != "":
		writeRuntimeError(w, http.StatusForbidden, "InvalidStateTransition", "State transition from Ready to InvocationResponse failed for runtime. Error: State transition is not allowed")
	default:
		writeRuntimeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
	}
	return nil, false
}

// complete hands res to p's invoker if p is still current.
func (s *Server) complete(p *pending, res Result) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current != p {
		return false
	}
	s.current = nil
	p.done <- res
	return true
}

func tooLargeResult() Result {
	body, _ := json.Marshal(runtimeError{
		ErrorMessage: "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
		ErrorType:    ErrorTypeResponseTooLarge,
	})
	return Result{Payload: body, ContentType: "application/json", ErrorType: ErrorTypeResponseTooLarge}
}

// resultOf builds the Result of a fully read /response or /error request,
// honouring aws-lambda-go's error trailers on /response.
func resultOf(r *http.Request, body []byte, isError bool) Result {
	res := Result{Payload: body, ContentType: r.Header.Get("Content-Type")}
	if typ := r.Trailer.Get(headerErrorType); typ != "" && !isError {
		res.ErrorType = typ
		if b, err := base64.StdEncoding.DecodeString(r.Trailer.Get(trailerErrBody)); err == nil && len(b) > 0 {
			res.Payload = b
		}
		return res
	}
	if !isError {
		return res
	}
	res.ErrorType = r.Header.Get(headerErrorType)
	if res.ErrorType == "" {
		var e struct {
			ErrorType string `json:"errorType"`
		}
		_ = json.Unmarshal(body, &e) // an opaque body keeps the default type
		res.ErrorType = e.ErrorType
	}
	if res.ErrorType == "" {
		res.ErrorType = "Unhandled"
	}
	return res
}

// handleInitError marks the environment dead with the runtime's init error.
func (s *Server) handleInitError(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxResponseSize))
	if err != nil {
		writeRuntimeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "the init error body is too large")
		return
	}
	res := resultOf(r, body, true)
	s.Fail(&InitError{Type: res.ErrorType, Body: body})
	writeAccepted(w)
}
