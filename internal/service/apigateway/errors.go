package apigateway

import (
	"net/http"

	"github.com/fogbank/fogbank/internal/apierr"
)

// The errors of the apigateway API, as the SDK models them.
var (
	errBadRequest = apierr.Def{Code: "BadRequestException", Status: http.StatusBadRequest}
	errNotFound   = apierr.Def{Code: "NotFoundException", Status: http.StatusNotFound}
	errConflict   = apierr.Def{Code: "ConflictException", Status: http.StatusConflict}
)

// AWS's NotFoundException messages, one per kind of resource.
const (
	msgNoRestAPI     = "Invalid REST API identifier specified"
	msgNoResource    = "Invalid Resource identifier specified"
	msgNoMethod      = "Invalid Method identifier specified"
	msgNoIntegration = "No integration defined for method"
	msgNoResponse    = "Invalid Response status code specified"
	msgNoStage       = "Invalid Stage identifier specified"
	msgNoDeployment  = "Invalid Deployment identifier specified"
)

// notFound is a NotFoundException with one of the messages above.
func notFound(msg string) error { return errNotFound.New(msg) }
