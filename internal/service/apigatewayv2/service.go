package apigatewayv2

import (
	"errors"
	"log/slog"
	"time"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/storage"
)

// SigningName is the SigV4 service name of the API.
const SigningName = "apigateway"

// PathPrefixes select the API's requests.
var PathPrefixes = []string{"/v2/apis", "/v2/tags/"}

// timeFormat is the ISO 8601 form of the API's timestamps.
const timeFormat = "2006-01-02T15:04:05Z"

// Options configure the service.
type Options struct {
	// Engine stores the APIs. Required.
	Engine storage.Engine
	// AccountID appears in error messages. Required.
	AccountID string
	// Endpoint returns the ApiEndpoint of an API, e.g.
	// "http://abc123defg.execute-api.localhost:4566". Required.
	Endpoint func(apiID string) string
	// OnChange, when set, is called after every committed change to an
	// API (the data plane drops its routing snapshot).
	OnChange func(apiID string)
	// Now is the clock of CreatedDate stamps; time.Now when nil.
	Now func() time.Time
	// Logger receives service events; discarded when nil.
	Logger *slog.Logger
}

// Service is the apigatewayv2 API. It is safe for concurrent use.
type Service struct {
	opts   Options
	engine storage.Engine
	logger *slog.Logger
}

// New returns the service over opts.
func New(opts Options) (*Service, error) {
	if opts.Engine == nil || opts.AccountID == "" || opts.Endpoint == nil {
		return nil, errors.New("apigatewayv2: Engine, AccountID and Endpoint are required")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Logger = logging.OrDiscard(opts.Logger)
	return &Service{opts: opts, engine: opts.Engine, logger: opts.Logger}, nil
}

// now returns the current time as the API writes it.
func (s *Service) now() string { return s.opts.Now().UTC().Format(timeFormat) }

// changed tells the data plane that apiID changed.
func (s *Service) changed(apiID string) {
	if s.opts.OnChange != nil {
		s.opts.OnChange(apiID)
	}
}

// decode reads a JSON request body into v (an empty body leaves v alone);
// a malformed one is a BadRequestException.
func decode(r *restjson.Request, v any) error { return r.Decode(v, errBadRequest) }
