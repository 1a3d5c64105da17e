package apigatewayv2

import (
	"net/http"

	"github.com/fogbank/fogbank/internal/apierr"
)

// The errors of the apigatewayv2 API, as the SDK models them.
var (
	errBadRequest = apierr.Def{Code: "BadRequestException", Status: http.StatusBadRequest}
	errNotFound   = apierr.Def{Code: "NotFoundException", Status: http.StatusNotFound}
	errConflict   = apierr.Def{Code: "ConflictException", Status: http.StatusConflict}
)

// notFound is AWS's NotFoundException for one kind of resource, e.g.
// "Invalid API identifier specified 000000000000:abc".
func notFound(resourceType, msg string) error {
	return errNotFound.New(msg).With("ResourceType", resourceType)
}
