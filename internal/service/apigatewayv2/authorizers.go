package apigatewayv2

import (
	"context"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/docstore"
)

// Authorizer and authorization types.
const (
	authorizerJWT     = "JWT"
	authorizerRequest = "REQUEST"
	authNone          = "NONE"
	authJWT           = "JWT"
	authCustom        = "CUSTOM"
	authIAM           = "AWS_IAM"
	// defaultJWTIdentity is the identity source of a JWT authorizer.
	defaultJWTIdentity = "$request.header.Authorization"
	// maxAuthorizerTTL is the longest AuthorizerResultTtlInSeconds.
	maxAuthorizerTTL = 3600
)

func findAuthorizer(rec *apiRecord, id string) int {
	return slices.IndexFunc(rec.Authorizers, func(a Authorizer) bool { return a.AuthorizerID == id })
}

// applyAuthorizer copies the members an input carries onto a.
func applyAuthorizer(a *Authorizer, in AuthorizerInput) {
	setIf(&a.AuthorizerCredentialsArn, in.AuthorizerCredentialsArn)
	setIf(&a.AuthorizerPayloadFormatVersion, in.AuthorizerPayloadFormatVersion)
	setIf(&a.AuthorizerResultTTLInSeconds, in.AuthorizerResultTTLInSeconds)
	setIf(&a.AuthorizerType, in.AuthorizerType)
	setIf(&a.AuthorizerURI, in.AuthorizerURI)
	setIf(&a.EnableSimpleResponses, in.EnableSimpleResponses)
	setIf(&a.IdentityValidationExpression, in.IdentityValidationExpression)
	setIf(&a.Name, in.Name)
	if in.IdentitySource != nil {
		a.IdentitySource = in.IdentitySource
	}
	if in.JWTConfiguration != nil {
		a.JWTConfiguration = in.JWTConfiguration
	}
}

// validateAuthorizer checks an authorizer about to be stored.
func validateAuthorizer(a *Authorizer) error {
	if a.Name == "" {
		return errBadRequest.New("Name is required.")
	}
	for _, src := range a.IdentitySource {
		if !validIdentitySource(src) {
			return errBadRequest.Newf("Invalid identity source %q: use $request.header.<name>, $request.querystring.<name>, "+
				"$context.<name> or $stageVariables.<name>.", src)
		}
	}
	switch a.AuthorizerType {
	case authorizerJWT:
		return validateJWTAuthorizer(a)
	case authorizerRequest:
		return validateRequestAuthorizer(a)
	}
	return errBadRequest.New("Invalid authorizer type specified. Valid values are: [REQUEST, JWT].")
}

func validateJWTAuthorizer(a *Authorizer) error {
	if a.JWTConfiguration == nil || a.JWTConfiguration.Issuer == "" {
		return errBadRequest.New("JwtConfiguration with an Issuer is required for JWT authorizers.")
	}
	if len(a.IdentitySource) == 0 {
		a.IdentitySource = []string{defaultJWTIdentity}
	}
	if len(a.IdentitySource) != 1 || !strings.HasPrefix(a.IdentitySource[0], "$request.") {
		return errBadRequest.New("A JWT authorizer takes exactly one identity source, a request header or query string parameter.")
	}
	return nil
}

func validateRequestAuthorizer(a *Authorizer) error {
	switch {
	case a.AuthorizerURI == "":
		return errBadRequest.New("AuthorizerUri is required for REQUEST authorizers.")
	case a.AuthorizerPayloadFormatVersion != "1.0" && a.AuthorizerPayloadFormatVersion != "2.0":
		return errBadRequest.New("AuthorizerPayloadFormatVersion is required for REQUEST authorizers: 1.0 or 2.0.")
	case a.EnableSimpleResponses && a.AuthorizerPayloadFormatVersion != "2.0":
		return errBadRequest.New("EnableSimpleResponses is only supported with AuthorizerPayloadFormatVersion 2.0.")
	case a.AuthorizerResultTTLInSeconds < 0 || a.AuthorizerResultTTLInSeconds > maxAuthorizerTTL:
		return errBadRequest.Newf("AuthorizerResultTtlInSeconds must be between 0 and %d.", maxAuthorizerTTL)
	case a.AuthorizerResultTTLInSeconds > 0 && len(a.IdentitySource) == 0:
		return errBadRequest.New("IdentitySource is required when authorizer caching is enabled.")
	}
	return nil
}

// validIdentitySource checks one identity source expression.
func validIdentitySource(src string) bool {
	for _, prefix := range []string{"$request.header.", "$request.querystring.", "$context.", "$stageVariables."} {
		if name, ok := strings.CutPrefix(src, prefix); ok && name != "" {
			return true
		}
	}
	return false
}

// checkRouteAuthorization checks a route's authorization members against
// the API's authorizers.
func checkRouteAuthorization(rec *apiRecord, rt Route) error {
	want := ""
	switch rt.AuthorizationType {
	case authNone:
		if len(rt.AuthorizationScopes) > 0 {
			return errBadRequest.New("AuthorizationScopes are only supported with JWT authorizers.")
		}
		return nil
	case authJWT:
		want = authorizerJWT
	case authCustom:
		want = authorizerRequest
	case authIAM:
		if len(rt.AuthorizationScopes) > 0 {
			return errBadRequest.New("AuthorizationScopes are only supported with JWT authorizers.")
		}
		return nil
	default:
		return errBadRequest.New("Invalid authorization type specified. Valid values are: [NONE, AWS_IAM, CUSTOM, JWT].")
	}
	i := findAuthorizer(rec, rt.AuthorizerID)
	if i < 0 {
		return errBadRequest.Newf("Invalid authorizer id specified: %q.", rt.AuthorizerID)
	}
	if rec.Authorizers[i].AuthorizerType != want {
		return errBadRequest.Newf("Authorization type %s requires an authorizer of type %s.", rt.AuthorizationType, want)
	}
	if want != authorizerJWT && len(rt.AuthorizationScopes) > 0 {
		return errBadRequest.New("AuthorizationScopes are only supported with JWT authorizers.")
	}
	return nil
}

// CreateAuthorizer adds an authorizer to an API.
func (s *Service) CreateAuthorizer(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in AuthorizerInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	a := Authorizer{AuthorizerID: docstore.NewID(6)}
	applyAuthorizer(&a, in)
	if err := validateAuthorizer(&a); err != nil {
		return nil, err
	}
	return authorizers.add(ctx, s, r, a, nil)
}

// GetAuthorizer returns one authorizer.
func (s *Service) GetAuthorizer(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return authorizers.get(ctx, s, r)
}

// GetAuthorizers lists the authorizers of an API.
func (s *Service) GetAuthorizers(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return authorizers.list(ctx, s, r)
}

// UpdateAuthorizer changes the members the input carries.
func (s *Service) UpdateAuthorizer(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in AuthorizerInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	edit := func(_ *apiRecord, a *Authorizer) error {
		applyAuthorizer(a, in)
		return validateAuthorizer(a)
	}
	return authorizers.change(ctx, s, r, edit, func(rec *apiRecord, a Authorizer) error {
		for _, rt := range rec.Routes {
			if rt.AuthorizerID == a.AuthorizerID && rt.AuthorizationType != authNone {
				if err := checkRouteAuthorization(rec, rt); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// DeleteAuthorizer removes an authorizer no route uses.
func (s *Service) DeleteAuthorizer(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return authorizers.delete(ctx, s, r, func(_ storage.Tx, rec *apiRecord, id string) error {
		for _, rt := range rec.Routes {
			if rt.AuthorizerID == id && rt.AuthorizationType != authNone {
				return errConflict.Newf("Cannot delete authorizer '%s': it is used by route %s.", id, rt.RouteKey)
			}
		}
		return nil
	})
}

func authorizerNotFound(id string) error {
	return notFound("Authorizer", "Invalid Authorizer identifier specified "+id)
}
