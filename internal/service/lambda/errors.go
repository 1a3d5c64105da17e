package lambda

import (
	"net/http"

	"github.com/fogbank/fogbank/internal/apierr"
)

// The errors of the Lambda API, as modeled by AWS.
var (
	errNotFound         = apierr.Def{Code: "ResourceNotFoundException", Status: http.StatusNotFound}
	errConflict         = apierr.Def{Code: "ResourceConflictException", Status: http.StatusConflict}
	errInvalidParameter = apierr.Def{Code: "InvalidParameterValueException", Status: http.StatusBadRequest}
	errValidation       = apierr.Def{Code: "ValidationException", Status: http.StatusBadRequest}
	errInvalidContent   = apierr.Def{Code: "InvalidRequestContentException", Status: http.StatusBadRequest}
	errTooLarge         = apierr.Def{Code: "RequestTooLargeException", Status: http.StatusRequestEntityTooLarge}
	errTooManyRequests  = apierr.Def{Code: "TooManyRequestsException", Status: http.StatusTooManyRequests}
	errPrecondition     = apierr.Def{Code: "PreconditionFailedException", Status: http.StatusPreconditionFailed}
	errService          = apierr.Def{Code: "ServiceException", Status: http.StatusInternalServerError, Fault: apierr.FaultServer}
)

// messageFields lists the errors whose message member is "Message"; the
// others use "message".
var messageFields = map[string]string{
	errNotFound.Code: "Message",
	errService.Code:  "Message",
}

// functionNotFound is the ResourceNotFoundException for a function ARN.
func functionNotFound(arn string) error {
	return errNotFound.New("Function not found: " + arn)
}
