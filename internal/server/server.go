// Package server is Fogbank's front door: the HTTP listener, the per-request
// plumbing (request id, panic recovery, access log, body limit), routing of
// AWS API requests to their protocol binding, and SigV4 authentication
// before any operation runs.
//
// Every request goes through [Server.ServeHTTP]:
//
//  1. a request id is assigned (x-amzn-RequestId on the response, request_id
//     in every log record of the request);
//  2. a deferred access-log line and a deferred panic recovery are armed;
//  3. the request is routed: GET /_fogbank/health, then bucket websites
//     (website.go) and the API Gateway data plane (gateway.go), anonymous
//     both, by Host or path prefix, then POST requests whose
//     X-Amz-Target prefix names a registered awsJson service, then requests
//     whose SigV4 credential scope names one; anything else is answered 404;
//  4. the request passes its service's admission gate, or is shed with the
//     service's throttling error (see admission.go and Options.Limits);
//     then the body is read up to Options.MaxRequestBody (413 beyond);
//  5. the signature is verified (skipped in dev mode) and the principal is
//     put in the context;
//  6. the protocol binding runs the operation and writes the response.
//
// The Date header is written by net/http on every response, errors included;
// SDKs correct their clock skew from it.
//
// Logging: one access-log line per request, at completion, at Debug level
// (per-request detail, as the house logging levels prescribe; run with
// --log-level debug to see it), carrying method, path, service, op,
// principal, status, error_code, bytes, duration and request_id. Server
// faults (a panic, a non-AWS error from an operation) are logged at Error
// with the request id, so an Info-level log shows every fault.
//
// Body limit: requests over MaxRequestBody are refused before the
// operation runs with HTTP 413 RequestEntityTooLargeException
// (com.amazon.coral.service). AWS does not document what DynamoDB answers
// above its 16 MB request limit; the code and message follow Lambda's
// ("Request must be smaller than N bytes for the Op operation.").
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/awsproto/awsjson"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/sigv4"
)

// Defaults of the Options fields.
const (
	// DefaultMaxRequestBody is DynamoDB's largest documented request
	// (BatchWriteItem, 16 MB), rounded up to 16 MiB.
	DefaultMaxRequestBody = 16 << 20
	// DefaultReadHeaderTimeout bounds how long a client may take to send
	// the request headers.
	DefaultReadHeaderTimeout = 10 * time.Second
	// DefaultIdleTimeout bounds how long an idle keep-alive connection is kept.
	DefaultIdleTimeout = 120 * time.Second
)

// JSONService is one awsJson API the server routes to.
type JSONService struct {
	// SigningName is the SigV4 service name requests must be scoped to,
	// e.g. "dynamodb".
	SigningName string
	// API is the operation table.
	API awsjson.Service
}

// Options configure a Server.
type Options struct {
	// Listen is the TCP address to listen on, host:port; port 0 picks a
	// free port. Required.
	Listen string
	// Listener, when not nil, is a socket already listening on Listen, for
	// Start to serve instead of opening one: bound early, it queues the
	// connections that arrive while the server is being built. The server
	// closes it.
	Listener net.Listener
	// Region is the region every request's credential scope must name.
	// Required unless Dev.
	Region string
	// Dev accepts any credentials, or none. The credential scope's access
	// key id, when present, still becomes the principal.
	Dev bool
	// Lookup finds the secret of an access key. Required unless Dev.
	Lookup sigv4.LookupFunc
	// Now is the clock signatures are checked against; time.Now when nil.
	Now func() time.Time
	// MaxRequestBody caps request bodies, in bytes; DefaultMaxRequestBody
	// when zero.
	MaxRequestBody int64
	// ReadHeaderTimeout and IdleTimeout configure the http.Server;
	// DefaultReadHeaderTimeout and DefaultIdleTimeout when zero.
	ReadHeaderTimeout, IdleTimeout time.Duration
	// JSONServices are the awsJson APIs served.
	JSONServices []JSONService
	// RESTServices are the restJson APIs served, routed by path prefix.
	RESTServices []RESTService
	// S3 serves the S3 API (restXml) when non-nil: requests signed for
	// "s3", and anonymous requests without X-Amz-Target. The front door
	// authenticates them and verifies the payload as it streams (see s3.go).
	S3 http.Handler
	// Gateway serves the API Gateway data plane when non-nil (see gateway.go).
	Gateway *Gateway
	// Website serves bucket websites when non-nil (see website.go).
	Website *Website
	// Limits bound each service's concurrent and queued requests (see
	// admission.go); zero fields are sized from the machine.
	Limits Limits
	// Logger receives the access log (Debug) and server faults (Error);
	// discarded when nil.
	Logger *slog.Logger
}

// EnsureDefaults fills in the zero optional fields of o.
func (o *Options) EnsureDefaults() {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxRequestBody <= 0 {
		o.MaxRequestBody = DefaultMaxRequestBody
	}
	if o.ReadHeaderTimeout <= 0 {
		o.ReadHeaderTimeout = DefaultReadHeaderTimeout
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	o.Logger = logging.OrDiscard(o.Logger)
}

// Server is the front door. Build it with New, then Start it; Close stops
// it. ServeHTTP may also be used on its own (for example with httptest).
type Server struct {
	opts     Options
	logger   *slog.Logger
	verifier *sigv4.Verifier
	// byPrefix and bySigningName index the JSON services for routing.
	byPrefix      map[string]*jsonRoute
	bySigningName map[string]*jsonRoute
	// fallback writes errors for requests that reach no service.
	fallback *awsjson.Handler
	// rest are the restJson services, tried in order by path prefix.
	rest []*restRoute
	// admission gates each service's requests.
	admission *admission

	http      *http.Server
	ln        net.Listener
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// jsonRoute is a registered awsJson service.
type jsonRoute struct {
	signingName string
	handler     *awsjson.Handler
}

// New returns a Server over opts.
func New(opts Options) (*Server, error) {
	opts.EnsureDefaults()
	if !opts.Dev && (opts.Lookup == nil || opts.Region == "") {
		return nil, errors.New("server: Lookup and Region are required unless Dev")
	}
	s := &Server{
		opts:          opts,
		logger:        opts.Logger.With(logging.KeyComponent, "server"),
		verifier:      &sigv4.Verifier{Lookup: opts.Lookup, Now: opts.Now},
		byPrefix:      make(map[string]*jsonRoute),
		bySigningName: make(map[string]*jsonRoute),
		admission:     newAdmission(opts.Limits),
		fallback: awsjson.NewHandler(awsjson.Service{
			ContentType:    "application/json",
			ErrorNamespace: coralNamespace,
		}, opts.Logger),
	}
	for _, svc := range opts.JSONServices {
		if err := s.register(svc); err != nil {
			return nil, err
		}
	}
	if err := s.registerREST(opts.RESTServices); err != nil {
		return nil, err
	}
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: opts.ReadHeaderTimeout,
		IdleTimeout:       opts.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
	return s, nil
}

func (s *Server) register(svc JSONService) error {
	if svc.SigningName == "" || svc.API.TargetPrefix == "" {
		return errors.New("server: a JSON service needs a SigningName and a TargetPrefix")
	}
	if _, dup := s.byPrefix[svc.API.TargetPrefix]; dup {
		return fmt.Errorf("server: target prefix %q registered twice", svc.API.TargetPrefix)
	}
	route := &jsonRoute{signingName: svc.SigningName, handler: awsjson.NewHandler(svc.API, s.opts.Logger)}
	s.byPrefix[svc.API.TargetPrefix] = route
	if _, dup := s.bySigningName[svc.SigningName]; !dup {
		s.bySigningName[svc.SigningName] = route // the first service of a signing name owns it
	}
	return nil
}

// Start listens on Options.Listen (or takes Options.Listener) and serves in
// the background until Close.
func (s *Server) Start(ctx context.Context) error {
	ln := s.opts.Listener
	if ln == nil {
		var err error
		if ln, err = Listen(ctx, s.opts.Listen); err != nil {
			return err
		}
	}
	s.ln = ln
	s.wg.Go(func() {
		if err := s.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.logger.Error("serve failed", slog.Any(logging.KeyErr, err))
		}
	})
	return nil
}

// Listen opens a TCP socket listening on addr (host:port), for
// Options.Listener.
func Listen(ctx context.Context, addr string) (net.Listener, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("server: listen: %w", err)
	}
	return ln, nil
}

// Addr returns the address the server listens on, with the actual port
// when Options.Listen asked for port 0; "" before Start.
func (s *Server) Addr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Close stops accepting connections and waits for in-flight requests to
// finish; when ctx ends first, the remaining connections are closed. Later
// calls return the first call's result.
func (s *Server) Close(ctx context.Context) error {
	if s.ln == nil && s.opts.Listener == nil {
		return nil
	}
	s.closeOnce.Do(func() {
		if s.ln == nil { // never started: only the socket to close
			if err := s.opts.Listener.Close(); err != nil {
				s.closeErr = fmt.Errorf("server: close listener: %w", err)
			}
			return
		}
		if err := s.http.Shutdown(ctx); err != nil {
			s.closeErr = errors.Join(fmt.Errorf("server: shutdown: %w", err), s.http.Close())
		}
		s.wg.Wait()
	})
	return s.closeErr
}
