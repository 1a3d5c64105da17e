package apigatewayv2

import (
	"context"
	"net/http"
	"slices"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/storage"
)

// maxCorsAge is the largest MaxAge of a CorsConfiguration.
const maxCorsAge = 86400

// validateCors checks a CorsConfiguration; nil is none.
func validateCors(c *Cors) error {
	if c == nil {
		return nil
	}
	if c.MaxAge != nil && (*c.MaxAge < -1 || *c.MaxAge > maxCorsAge) {
		return errBadRequest.Newf("Invalid MaxAge %d: it must be between -1 and %d.", *c.MaxAge, maxCorsAge)
	}
	if c.AllowCredentials != nil && *c.AllowCredentials && slices.Contains(c.AllowOrigins, "*") {
		return errBadRequest.New("allow-credentials is not supported when allow-origins is *.")
	}
	return nil
}

// DeleteCorsConfiguration removes an API's CorsConfiguration.
func (s *Service) DeleteCorsConfiguration(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	err := s.update(ctx, r.Label("ApiId"), func(_ storage.Tx, rec *apiRecord) error {
		rec.API.CorsConfiguration = nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &restjson.Response{Status: http.StatusNoContent}, nil
}
