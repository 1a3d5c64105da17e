package awsjson

import (
	"errors"
	"net/http"

	"github.com/fogbank/fogbank/internal/apierr"
)

// Protocol-level errors shared by every awsJson service (the Coral framework's).
var (
	// ErrSerialization is a body that is not valid JSON for the operation's input.
	ErrSerialization = apierr.Def{Code: "SerializationException", Status: http.StatusBadRequest, Namespace: "com.amazon.coral.service"}
	// ErrValidation is an input that breaks a modeled constraint.
	ErrValidation = apierr.Def{Code: "ValidationException", Status: http.StatusBadRequest, Namespace: "com.amazon.coral.validate"}
	// ErrUnknownOperation is an X-Amz-Target naming no operation.
	ErrUnknownOperation = apierr.Def{Code: "UnknownOperationException", Status: http.StatusBadRequest, Namespace: "com.amazon.coral.service"}
	// ErrInternal is the generic answer to a server fault; its cause is only logged.
	ErrInternal = apierr.Def{Code: "InternalServerError", Status: http.StatusInternalServerError, Fault: apierr.FaultServer}
)

// validationMessager is implemented by decode errors that AWS reports as
// ValidationException rather than SerializationException.
type validationMessager interface{ ValidationMessage() string }

func decodeError(err error) error {
	if e, ok := apierr.As(err); ok {
		return e
	}
	var vm validationMessager
	if errors.As(err, &vm) {
		return ErrValidation.Wrap(err, vm.ValidationMessage())
	}
	return ErrSerialization.Wrap(err, "Start of structure or map found where not expected.")
}
