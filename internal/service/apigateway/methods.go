package apigateway

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/storage"
)

// Method authorization types.
const (
	authNone    = "NONE"
	authIAM     = "AWS_IAM"
	authCustom  = "CUSTOM"
	authCognito = "COGNITO_USER_POOLS"
)

// Integration types the data plane serves.
const (
	typeAWSProxy  = "AWS_PROXY"
	typeHTTPProxy = "HTTP_PROXY"
	typeMock      = "MOCK"
)

// Integration timeout bounds, in milliseconds.
const (
	minTimeoutMillis     = 50
	defaultTimeoutMillis = 29000
)

// httpMethods are the methods a resource may have.
var httpMethods = []string{"GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "ANY"}

// lambdaInvocationPath marks a Lambda invocation URI:
// arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations.
const lambdaInvocationPath = ":lambda:path/2015-03-31/functions/"

// PutMethod adds a method to a resource.
func (s *Service) PutMethod(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in PutMethodInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	verb := r.Label("http_method")
	if err := validMethod(verb, &in); err != nil {
		return nil, err
	}
	m := &Method{APIKeyRequired: in.APIKeyRequired, AuthorizationScopes: in.AuthorizationScopes,
		AuthorizationType: in.AuthorizationType, AuthorizerID: in.AuthorizerID, HTTPMethod: verb,
		OperationName: in.OperationName, RequestModels: in.RequestModels, RequestParameters: in.RequestParameters}
	err := s.update(ctx, r.Label("restapi_id"), func(_ storage.Tx, rec *apiRecord) error {
		res := rec.resource(r.Label("resource_id"))
		switch {
		case res == nil:
			return notFound(msgNoResource)
		case res.ResourceMethods[verb] != nil:
			return errConflict.New("Method already exists for this resource")
		}
		if err := checkAuthorizer(rec, m); err != nil {
			return err
		}
		if res.ResourceMethods == nil {
			res.ResourceMethods = make(map[string]*Method)
		}
		res.ResourceMethods[verb] = m
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusCreated, m)
}

// validMethod checks a PutMethod verb and input.
func validMethod(verb string, in *PutMethodInput) error {
	if !slices.Contains(httpMethods, verb) {
		return errBadRequest.New("Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY")
	}
	switch in.AuthorizationType {
	case authNone, authIAM:
		in.AuthorizerID = ""
	case authCustom, authCognito: // checkAuthorizer checks the authorizer
	default:
		return errBadRequest.New("Invalid authorization type specified. Valid options are NONE,AWS_IAM,CUSTOM,COGNITO_USER_POOLS")
	}
	return nil
}

// GetMethod returns one method with its integration and responses.
func (s *Service) GetMethod(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	m, err := s.method(ctx, r)
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusOK, m)
}

// DeleteMethod removes a method from its resource.
func (s *Service) DeleteMethod(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	err := s.updateMethod(ctx, r, func(res *Resource, _ *Method) error {
		delete(res.ResourceMethods, r.Label("http_method"))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &restjson.Response{Status: http.StatusNoContent}, nil
}

// PutMethodResponse declares a status code of a method.
func (s *Service) PutMethodResponse(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in MethodResponse
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	in.StatusCode = r.Label("status_code")
	if !validStatus(in.StatusCode) {
		return nil, errBadRequest.New("Invalid status code specified: " + in.StatusCode)
	}
	err := s.updateMethod(ctx, r, func(_ *Resource, m *Method) error {
		if m.MethodResponses[in.StatusCode] != nil {
			return errConflict.New("Response already exists for this resource")
		}
		if m.MethodResponses == nil {
			m.MethodResponses = make(map[string]*MethodResponse)
		}
		m.MethodResponses[in.StatusCode] = &in
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusCreated, in)
}

// PutIntegration sets a method's integration (AWS_PROXY to a Lambda
// function, HTTP_PROXY to a URL, or MOCK).
func (s *Service) PutIntegration(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in PutIntegrationInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	integ, err := newIntegration(in)
	if err != nil {
		return nil, err
	}
	err = s.updateMethod(ctx, r, func(res *Resource, m *Method) error {
		integ.CacheNamespace = orDefault(integ.CacheNamespace, res.ID)
		m.MethodIntegration = integ
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusCreated, integ)
}

// newIntegration validates a PutIntegration input.
func newIntegration(in PutIntegrationInput) (*Integration, error) {
	integ := &Integration{CacheKeyParameters: in.CacheKeyParameters, CacheNamespace: in.CacheNamespace,
		ContentHandling: in.ContentHandling, Credentials: in.Credentials, HTTPMethod: in.IntegrationHTTPMethod,
		PassthroughBehavior: orDefault(in.PassthroughBehavior, "WHEN_NO_MATCH"), RequestParameters: in.RequestParameters,
		RequestTemplates: in.RequestTemplates, TimeoutInMillis: defaultTimeoutMillis, Type: in.Type, URI: in.URI}
	if integ.CacheKeyParameters == nil {
		integ.CacheKeyParameters = []string{}
	}
	if in.TimeoutInMillis != nil {
		if *in.TimeoutInMillis < minTimeoutMillis || *in.TimeoutInMillis > defaultTimeoutMillis {
			return nil, errBadRequest.New("Timeout should be between 50 ms and 29000 ms")
		}
		integ.TimeoutInMillis = *in.TimeoutInMillis
	}
	switch in.Type {
	case typeMock:
		integ.HTTPMethod, integ.URI = "", ""
	case typeAWSProxy:
		if in.IntegrationHTTPMethod == "" {
			return nil, errBadRequest.New("Enumeration value for HttpMethod must be non-empty")
		}
		if !strings.Contains(in.URI, lambdaInvocationPath) || !strings.HasSuffix(in.URI, "/invocations") {
			return nil, errBadRequest.New("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.")
		}
	case typeHTTPProxy:
		if in.IntegrationHTTPMethod == "" {
			return nil, errBadRequest.New("Enumeration value for HttpMethod must be non-empty")
		}
		if !strings.HasPrefix(in.URI, "http://") && !strings.HasPrefix(in.URI, "https://") {
			return nil, errBadRequest.New("Invalid HTTP endpoint specified for URI")
		}
		integ.ConnectionType = orDefault(in.ConnectionType, "INTERNET")
	case "AWS", "HTTP":
		return nil, errBadRequest.New("Fogbank does not support integration type " + in.Type + " yet; use AWS_PROXY, HTTP_PROXY or MOCK.")
	case "":
		return nil, errBadRequest.New("Enumeration value for IntegrationType must be non-empty")
	default:
		return nil, errBadRequest.New("Invalid integration type specified. Valid options are HTTP,AWS,MOCK,HTTP_PROXY,AWS_PROXY")
	}
	return integ, nil
}

// GetIntegration returns a method's integration.
func (s *Service) GetIntegration(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	m, err := s.method(ctx, r)
	if err != nil {
		return nil, err
	}
	if m.MethodIntegration == nil {
		return nil, notFound(msgNoIntegration)
	}
	return restjson.JSON(http.StatusOK, m.MethodIntegration)
}

// DeleteIntegration removes a method's integration.
func (s *Service) DeleteIntegration(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	err := s.updateMethod(ctx, r, func(_ *Resource, m *Method) error {
		if m.MethodIntegration == nil {
			return notFound(msgNoIntegration)
		}
		m.MethodIntegration = nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &restjson.Response{Status: http.StatusNoContent}, nil
}

// PutIntegrationResponse maps an integration's answer onto one of the
// method's declared responses.
func (s *Service) PutIntegrationResponse(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in IntegrationResponse
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	in.StatusCode = r.Label("status_code")
	err := s.updateMethod(ctx, r, func(_ *Resource, m *Method) error {
		switch {
		case m.MethodIntegration == nil:
			return notFound(msgNoIntegration)
		case m.MethodResponses[in.StatusCode] == nil:
			return notFound(msgNoResponse)
		}
		if m.MethodIntegration.IntegrationResponses == nil {
			m.MethodIntegration.IntegrationResponses = make(map[string]*IntegrationResponse)
		}
		m.MethodIntegration.IntegrationResponses[in.StatusCode] = &in
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusCreated, in)
}

// method reads the method a request names.
func (s *Service) method(ctx context.Context, r *restjson.Request) (*Method, error) {
	rec, err := s.view(ctx, r.Label("restapi_id"))
	if err != nil {
		return nil, err
	}
	res := rec.resource(r.Label("resource_id"))
	if res == nil {
		return nil, notFound(msgNoResource)
	}
	m := res.ResourceMethods[r.Label("http_method")]
	if m == nil {
		return nil, notFound(msgNoMethod)
	}
	return m, nil
}

// updateMethod runs fn on the method a request names, in a transaction.
func (s *Service) updateMethod(ctx context.Context, r *restjson.Request, fn func(res *Resource, m *Method) error) error {
	return s.update(ctx, r.Label("restapi_id"), func(_ storage.Tx, rec *apiRecord) error {
		res := rec.resource(r.Label("resource_id"))
		if res == nil {
			return notFound(msgNoResource)
		}
		m := res.ResourceMethods[r.Label("http_method")]
		if m == nil {
			return notFound(msgNoMethod)
		}
		return fn(res, m)
	})
}

// validStatus reports whether s is an HTTP status code 100..599.
func validStatus(s string) bool {
	return len(s) == 3 && s[0] >= '1' && s[0] <= '5' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9'
}
