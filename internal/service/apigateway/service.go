package apigateway

import (
	"errors"
	"log/slog"
	"time"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/storage"
)

// SigningName is the SigV4 service name of the API (shared with apigatewayv2).
const SigningName = "apigateway"

// PathPrefixes select the API's requests.
var PathPrefixes = []string{"/restapis"}

// Options configure the service.
type Options struct {
	// Engine stores the APIs. Required.
	Engine storage.Engine
	// OnChange, when set, is called after every committed change to a
	// REST API (the data plane drops its routing snapshot).
	OnChange func(apiID string)
	// Now is the clock of createdDate stamps; time.Now when nil.
	Now func() time.Time
	// Logger receives service events; discarded when nil.
	Logger *slog.Logger
}

// Service is the apigateway (REST APIs) API. It is safe for concurrent use.
type Service struct {
	opts   Options
	engine storage.Engine
	logger *slog.Logger
}

// New returns the service over opts.
func New(opts Options) (*Service, error) {
	if opts.Engine == nil {
		return nil, errors.New("apigateway: Engine is required")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Logger = logging.OrDiscard(opts.Logger)
	return &Service{opts: opts, engine: opts.Engine, logger: opts.Logger}, nil
}

// API returns the restJson route table of the service.
func (s *Service) API() restjson.Service {
	const (
		api    = "/restapis/{restapi_id}"
		res    = api + "/resources/{resource_id}"
		method = res + "/methods/{http_method}"
	)
	return restjson.Service{Routes: []restjson.Route{
		{Method: "POST", Pattern: "/restapis", Op: "CreateRestApi", Call: s.CreateRestApi},
		{Method: "GET", Pattern: "/restapis", Op: "GetRestApis", Call: s.GetRestApis},
		{Method: "GET", Pattern: api, Op: "GetRestApi", Call: s.GetRestApi},
		{Method: "PATCH", Pattern: api, Op: "UpdateRestApi", Call: s.UpdateRestApi},
		{Method: "DELETE", Pattern: api, Op: "DeleteRestApi", Call: s.DeleteRestApi},
		{Method: "GET", Pattern: api + "/resources", Op: "GetResources", Call: s.GetResources},
		{Method: "GET", Pattern: res, Op: "GetResource", Call: s.GetResource},
		{Method: "POST", Pattern: res, Op: "CreateResource", Call: s.CreateResource},
		{Method: "DELETE", Pattern: res, Op: "DeleteResource", Call: s.DeleteResource},
		{Method: "PUT", Pattern: method, Op: "PutMethod", Call: s.PutMethod},
		{Method: "GET", Pattern: method, Op: "GetMethod", Call: s.GetMethod},
		{Method: "DELETE", Pattern: method, Op: "DeleteMethod", Call: s.DeleteMethod},
		{Method: "PUT", Pattern: method + "/responses/{status_code}", Op: "PutMethodResponse", Call: s.PutMethodResponse},
		{Method: "PUT", Pattern: method + "/integration", Op: "PutIntegration", Call: s.PutIntegration},
		{Method: "GET", Pattern: method + "/integration", Op: "GetIntegration", Call: s.GetIntegration},
		{Method: "DELETE", Pattern: method + "/integration", Op: "DeleteIntegration", Call: s.DeleteIntegration},
		{Method: "PUT", Pattern: method + "/integration/responses/{status_code}", Op: "PutIntegrationResponse", Call: s.PutIntegrationResponse},
		{Method: "POST", Pattern: api + "/authorizers", Op: "CreateAuthorizer", Call: s.CreateAuthorizer},
		{Method: "GET", Pattern: api + "/authorizers", Op: "GetAuthorizers", Call: s.GetAuthorizers},
		{Method: "GET", Pattern: api + "/authorizers/{authorizer_id}", Op: "GetAuthorizer", Call: s.GetAuthorizer},
		{Method: "DELETE", Pattern: api + "/authorizers/{authorizer_id}", Op: "DeleteAuthorizer", Call: s.DeleteAuthorizer},
		{Method: "POST", Pattern: api + "/deployments", Op: "CreateDeployment", Call: s.CreateDeployment},
		{Method: "GET", Pattern: api + "/deployments", Op: "GetDeployments", Call: s.GetDeployments},
		{Method: "GET", Pattern: api + "/deployments/{deployment_id}", Op: "GetDeployment", Call: s.GetDeployment},
		{Method: "POST", Pattern: api + "/stages", Op: "CreateStage", Call: s.CreateStage},
		{Method: "GET", Pattern: api + "/stages", Op: "GetStages", Call: s.GetStages},
		{Method: "GET", Pattern: api + "/stages/{stage_name}", Op: "GetStage", Call: s.GetStage},
		{Method: "PATCH", Pattern: api + "/stages/{stage_name}", Op: "UpdateStage", Call: s.UpdateStage},
		{Method: "DELETE", Pattern: api + "/stages/{stage_name}", Op: "DeleteStage", Call: s.DeleteStage},
	}}
}

// now returns the current time as the API writes it (epoch seconds).
func (s *Service) now() int64 { return s.opts.Now().Unix() }

// changed tells the data plane that apiID changed.
func (s *Service) changed(apiID string) {
	if s.opts.OnChange != nil {
		s.opts.OnChange(apiID)
	}
}

// decode reads a JSON request body into v (an empty body leaves v alone);
// a malformed one is a BadRequestException.
func decode(r *restjson.Request, v any) error { return r.Decode(v, errBadRequest) }

// orDefault returns v, or def when v is empty.
func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
