package apigateway

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/docstore"
)

// Authorizer types.
const (
	authorizerToken   = "TOKEN"
	authorizerRequest = "REQUEST"
	authorizerCognito = "COGNITO_USER_POOLS"
)

// Authorizer limits and defaults.
const (
	defaultAuthorizerTTL = 300
	maxAuthorizerTTL     = 3600
	msgNoAuthorizer      = "Invalid Authorizer identifier specified"
)

// tokenSource is what a TOKEN authorizer's identity source must be.
var tokenSource = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^method\.request\.header\.[a-zA-Z0-9._-]+$`)
})

// requestSource is one identity source of a REQUEST authorizer.
var requestSource = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(method\.request\.(header|querystring)\.[a-zA-Z0-9._-]+|stageVariables\.[a-zA-Z0-9_]+|context\.[a-zA-Z0-9._]+)$`)
})

// CreateAuthorizer adds an authorizer to a REST API.
func (s *Service) CreateAuthorizer(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in Authorizer
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if err := validAuthorizer(&in); err != nil {
		return nil, err
	}
	in.ID = docstore.NewID(6)
	err := s.update(ctx, r.Label("restapi_id"), func(_ storage.Tx, rec *apiRecord) error {
		rec.Authorizers = append(rec.Authorizers, in)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusCreated, in)
}

// validAuthorizer checks a CreateAuthorizer input and fills in defaults.
func validAuthorizer(in *Authorizer) error {
	if in.Name == "" {
		return errBadRequest.New("Authorizer name must be non-empty")
	}
	if in.AuthorizerResultTTLInSeconds == nil {
		ttl := defaultAuthorizerTTL
		in.AuthorizerResultTTLInSeconds = &ttl
	}
	if ttl := *in.AuthorizerResultTTLInSeconds; ttl < 0 || ttl > maxAuthorizerTTL {
		return errBadRequest.New("Authorizer result TTL must be between 0 and 3600 seconds")
	}
	switch in.Type {
	case authorizerToken:
		if !tokenSource().MatchString(in.IdentitySource) {
			return errBadRequest.New("Invalid token source expression: " + in.IdentitySource +
				". The source must be a method request header, matching 'method.request.header.[a-zA-Z0-9._-]+'")
		}
		if in.IdentityValidationExpression != "" {
			if _, err := regexp.Compile(in.IdentityValidationExpression); err != nil {
				return errBadRequest.New("Invalid identity validation expression specified: " + in.IdentityValidationExpression)
			}
		}
	case authorizerRequest:
		for _, src := range splitSources(in.IdentitySource) {
			if !requestSource().MatchString(src) {
				return errBadRequest.New("Invalid identity source expression: " + src)
			}
		}
	case authorizerCognito:
		if len(in.ProviderARNs) == 0 {
			return errBadRequest.New("Provider ARNs must be specified for COGNITO_USER_POOLS authorizers")
		}
		in.IdentitySource = orDefault(in.IdentitySource, "method.request.header.Authorization")
		return nil
	default:
		return errBadRequest.New("Invalid authorizer type specified. Valid options are TOKEN,REQUEST,COGNITO_USER_POOLS")
	}
	if !strings.Contains(in.AuthorizerURI, lambdaInvocationPath) {
		return errBadRequest.New("Invalid Authorizer URI specified: " + in.AuthorizerURI)
	}
	return nil
}

// splitSources splits a comma-separated identity source.
func splitSources(s string) []string {
	var out []string
	for src := range strings.SplitSeq(s, ",") {
		if src = strings.TrimSpace(src); src != "" {
			out = append(out, src)
		}
	}
	return out
}

// GetAuthorizers lists a REST API's authorizers.
func (s *Service) GetAuthorizers(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	rec, err := s.view(ctx, r.Label("restapi_id"))
	if err != nil {
		return nil, err
	}
	return paged(r, rec.Authorizers)
}

// GetAuthorizer returns one authorizer.
func (s *Service) GetAuthorizer(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	rec, err := s.view(ctx, r.Label("restapi_id"))
	if err != nil {
		return nil, err
	}
	az := rec.authorizer(r.Label("authorizer_id"))
	if az == nil {
		return nil, notFound(msgNoAuthorizer)
	}
	return restjson.JSON(http.StatusOK, az)
}

// DeleteAuthorizer deletes an authorizer no method uses.
func (s *Service) DeleteAuthorizer(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	id := r.Label("authorizer_id")
	err := s.update(ctx, r.Label("restapi_id"), func(_ storage.Tx, rec *apiRecord) error {
		i := slices.IndexFunc(rec.Authorizers, func(a Authorizer) bool { return a.ID == id })
		if i < 0 {
			return notFound(msgNoAuthorizer)
		}
		for _, res := range rec.Resources {
			for verb, m := range res.ResourceMethods {
				if m.AuthorizerID == id {
					return errConflict.New("Cannot delete authorizer '" + rec.Authorizers[i].Name + "', is referenced in method: " + verb + " " + res.Path)
				}
			}
		}
		rec.Authorizers = slices.Delete(rec.Authorizers, i, i+1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &restjson.Response{Status: http.StatusAccepted}, nil
}

// checkAuthorizer verifies that a method's authorizer exists and suits
// its authorization type.
func checkAuthorizer(rec *apiRecord, m *Method) error {
	if m.AuthorizationType != authCustom && m.AuthorizationType != authCognito {
		return nil
	}
	az := rec.authorizer(m.AuthorizerID)
	if az == nil || (az.Type == authorizerCognito) != (m.AuthorizationType == authCognito) {
		return errBadRequest.New("Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.")
	}
	return nil
}
