package server

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/identity"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/sigv4"
)

// RESTService is one restJson API the server routes to by path prefix
// (e.g. Lambda's "/2015-03-31/" and its other API versions).
type RESTService struct {
	// SigningName is the SigV4 service name requests must be scoped to,
	// e.g. "lambda".
	SigningName string
	// PathPrefixes select the service's requests, e.g. "/2015-03-31/".
	PathPrefixes []string
	// MaxRequestBody caps this service's request bodies, in bytes;
	// Options.MaxRequestBody when zero.
	MaxRequestBody int64
	// API is the route table.
	API restjson.Service
}

// restRoute is a registered restJson service.
type restRoute struct {
	svc     RESTService
	handler *restjson.Handler
}

// registerREST adds the restJson services of opts to s.
func (s *Server) registerREST(svcs []RESTService) error {
	for _, svc := range svcs {
		if svc.SigningName == "" || len(svc.PathPrefixes) == 0 {
			return errors.New("server: a REST service needs a SigningName and PathPrefixes")
		}
		if svc.MaxRequestBody <= 0 {
			svc.MaxRequestBody = s.opts.MaxRequestBody
		}
		s.rest = append(s.rest, &restRoute{svc: svc, handler: restjson.NewHandler(svc.API, s.opts.Logger)})
	}
	return nil
}

// restRouteFor finds the restJson service whose path prefix r's path
// starts with, unless r's SigV4 scope names another service (an S3 bucket
// may be called "2015-03-31").
func (s *Server) restRouteFor(r *http.Request) (*restRoute, bool) {
	scope, signed := sigv4.Scope(r)
	for _, route := range s.rest {
		if signed && scope.Service != route.svc.SigningName {
			continue
		}
		for _, prefix := range route.svc.PathPrefixes {
			if strings.HasPrefix(r.URL.Path, prefix) {
				return route, true
			}
		}
	}
	return nil, false
}

// serveREST reads, authenticates and dispatches a restJson request.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request, info *requestInfo, route *restRoute) {
	op, _ := route.handler.Match(r)
	name := route.svc.SigningName
	info.service, info.op, info.writeError = name, op, route.handler.WriteError
	r = r.WithContext(logging.WithAttrs(r.Context(), slog.String(logging.KeyService, name), slog.String(logging.KeyOp, op)))
	release, admitted := s.admit(w, r, info)
	if !admitted {
		return
	}
	defer release()
	body, err := s.readBodyLimit(w, r, op, route.svc.MaxRequestBody)
	if err != nil {
		route.handler.WriteError(w, r, restError(err))
		return
	}
	principal, err := s.authenticate(r, body, name)
	if err != nil {
		route.handler.WriteError(w, r, restError(err))
		return
	}
	if principal.AccessKeyID != "" {
		info.principal = principal.AccessKeyID
		ctx := identity.WithPrincipal(r.Context(), principal)
		r = r.WithContext(logging.WithAttrs(ctx, slog.String(logging.KeyPrincipal, principal.AccessKeyID)))
	}
	route.handler.Serve(w, r, body)
}

// readBodyLimit is readBody with a per-service limit.
func (s *Server) readBodyLimit(w http.ResponseWriter, r *http.Request, op string, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, tooLarge(limit, op)
	}
	body, err := readAll(http.MaxBytesReader(w, r.Body, limit), make([]byte, 0, max(r.ContentLength+1, 512)))
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		return nil, tooLarge(limit, op)
	case err != nil:
		return nil, errIncompleteBody.Wrap(err, "Unable to read the request body.")
	}
	return body, nil
}

// restError turns a front-door error into its restJson form: without the
// awsJson namespace, and with 403 for authentication failures as Lambda
// and API Gateway answer them.
func restError(err error) error {
	e, ok := apierr.As(err)
	if !ok {
		return err
	}
	c := *e
	c.Namespace = ""
	switch e.Code {
	case errMissingAuth.Code, errIncompleteSignature.Code, errUnrecognizedClient.Code, errInvalidSignature.Code, errExpiredToken.Code:
		c.Status = http.StatusForbidden
	case errTooLarge.Code:
		c.Code = "RequestTooLargeException"
	}
	return &c
}
