package logs

import (
	"net/http"

	"github.com/fogbank/fogbank/internal/apierr"
)

// The errors of the CloudWatch Logs API.
var (
	errNotFound      = apierr.Def{Code: "ResourceNotFoundException", Status: http.StatusBadRequest}
	errAlreadyExists = apierr.Def{Code: "ResourceAlreadyExistsException", Status: http.StatusBadRequest}
	errInvalidParam  = apierr.Def{Code: "InvalidParameterException", Status: http.StatusBadRequest}
)

// AWS's fixed messages.
const (
	msgGroupNotFound  = "The specified log group does not exist."
	msgStreamNotFound = "The specified log stream does not exist."
	msgGroupExists    = "The specified log group already exists"
	msgStreamExists   = "The specified log stream already exists"
	msgBadToken       = "The specified nextToken is invalid."
)
