package apigatewayv2

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/docstore"
)

// Integration types served, and the HTTP APIs' timeout bounds.
const (
	typeAWSProxy         = "AWS_PROXY"
	typeHTTPProxy        = "HTTP_PROXY"
	minTimeoutMillis     = 50
	maxHTTPTimeoutMillis = 30000
)

// applyIntegration copies the members an input carries onto integ.
func applyIntegration(integ *Integration, in IntegrationInput) {
	setIf(&integ.ConnectionType, in.ConnectionType)
	setIf(&integ.CredentialsArn, in.CredentialsArn)
	setIf(&integ.Description, in.Description)
	setIf(&integ.IntegrationMethod, in.IntegrationMethod)
	setIf(&integ.IntegrationType, in.IntegrationType)
	setIf(&integ.IntegrationURI, in.IntegrationURI)
	setIf(&integ.PayloadFormatVersion, in.PayloadFormatVersion)
	setIf(&integ.TimeoutInMillis, in.TimeoutInMillis)
	if in.RequestParameters != nil {
		integ.RequestParameters = in.RequestParameters
	}
	if in.ResponseParameters != nil {
		integ.ResponseParameters = in.ResponseParameters
	}
}

// validateIntegration checks an integration of an HTTP API, filling in
// the defaults of its type.
func validateIntegration(integ *Integration) error {
	if integ.TimeoutInMillis < minTimeoutMillis || integ.TimeoutInMillis > maxHTTPTimeoutMillis {
		return errBadRequest.Newf("Invalid timeout %d ms: it must be between %d and %d ms.",
			integ.TimeoutInMillis, minTimeoutMillis, maxHTTPTimeoutMillis)
	}
	switch integ.IntegrationType {
	case typeAWSProxy:
		return validateLambdaIntegration(integ)
	case typeHTTPProxy:
		return validateHTTPIntegration(integ)
	case "":
		return errBadRequest.New("IntegrationType is required.")
	default:
		return errBadRequest.Newf("Fogbank supports the integration types AWS_PROXY and HTTP_PROXY, not %s.", integ.IntegrationType)
	}
}

func validateLambdaIntegration(integ *Integration) error {
	if !strings.HasPrefix(integ.IntegrationURI, "arn:") {
		return errBadRequest.New("Invalid integration URI specified: an AWS_PROXY integration needs a Lambda function ARN.")
	}
	integ.PayloadFormatVersion = orDefault(integ.PayloadFormatVersion, "2.0")
	integ.IntegrationMethod = orDefault(integ.IntegrationMethod, http.MethodPost)
	if integ.PayloadFormatVersion != "1.0" && integ.PayloadFormatVersion != "2.0" {
		return errBadRequest.New("Invalid payload format version specified. Valid values are: [1.0, 2.0].")
	}
	return nil
}

func validateHTTPIntegration(integ *Integration) error {
	u, err := url.Parse(integ.IntegrationURI)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errBadRequest.New("Invalid integration URI specified: an HTTP_PROXY integration needs an http(s) URL.")
	}
	if integ.IntegrationMethod == "" {
		return errBadRequest.New("IntegrationMethod is required for HTTP_PROXY integrations.")
	}
	if integ.PayloadFormatVersion = orDefault(integ.PayloadFormatVersion, "1.0"); integ.PayloadFormatVersion != "1.0" {
		return errBadRequest.New("Invalid payload format version specified: HTTP_PROXY integrations use 1.0.")
	}
	return nil
}

func findIntegration(rec *apiRecord, id string) int {
	return slices.IndexFunc(rec.Integrations, func(i Integration) bool { return i.IntegrationID == id })
}

// CreateIntegration adds an integration to an API.
func (s *Service) CreateIntegration(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in IntegrationInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	integ := Integration{ConnectionType: "INTERNET", IntegrationID: docstore.NewID(7), TimeoutInMillis: maxHTTPTimeoutMillis}
	applyIntegration(&integ, in)
	if err := validateIntegration(&integ); err != nil {
		return nil, err
	}
	return integrations.add(ctx, s, r, integ, nil)
}

// GetIntegration returns one integration.
func (s *Service) GetIntegration(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return integrations.get(ctx, s, r)
}

// GetIntegrations lists the integrations of an API.
func (s *Service) GetIntegrations(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return integrations.list(ctx, s, r)
}

// UpdateIntegration changes the members the input carries.
func (s *Service) UpdateIntegration(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in IntegrationInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return integrations.change(ctx, s, r, func(_ *apiRecord, integ *Integration) error {
		applyIntegration(integ, in)
		return validateIntegration(integ)
	}, nil)
}

// DeleteIntegration removes an integration no route targets.
func (s *Service) DeleteIntegration(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return integrations.delete(ctx, s, r, func(_ storage.Tx, rec *apiRecord, id string) error {
		for _, rt := range rec.Routes {
			if rt.Target == targetPrefix+id {
				return errConflict.Newf("Cannot delete integration %s: route %s (%s) targets it.", id, rt.RouteID, rt.RouteKey)
			}
		}
		return nil
	})
}

func integrationNotFound(id string) error {
	return notFound("Integration", "Invalid Integration identifier specified "+id)
}
