package apigatewayv2

import (
	"crypto/rand"
	"encoding/json"
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

// idAlphabet is the alphabet of generated identifiers.
const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// newID returns a random identifier of n lower-case letters and digits,
// as AWS's API (10), route and integration (7) and deployment (6) ids.
func newID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}

// decode reads a JSON request body into v; an empty body leaves v alone.
func decode(r *restjson.Request, v any) error {
	if len(r.Body) == 0 {
		return nil
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		return errBadRequest.New("Invalid request body: " + jsonProblem(err))
	}
	return nil
}

// jsonProblem describes a JSON decoding error without Go type names.
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return "unexpected value for " + typeErr.Field
	}
	return "malformed JSON"
}
