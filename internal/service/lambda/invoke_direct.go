package lambda

import (
	"context"

	"github.com/fogbank/fogbank/internal/logging"
)

// DirectResult is the outcome of a RequestResponse invocation made by
// another Fogbank component (the API Gateway data plane).
type DirectResult struct {
	// Payload is the function's response, or the error document when
	// FunctionError is set.
	Payload []byte
	// FunctionError is "Unhandled" when the function failed (an error, a
	// crash or a timeout), "" otherwise.
	FunctionError string
	// ExecutedVersion is the version that ran.
	ExecutedVersion string
}

// InvokeDirect runs a function synchronously (RequestResponse) for an
// in-process caller. function is a name, a partial or full ARN, optionally
// with a ":qualifier" (version or alias). Errors are the Lambda API's (a
// missing function is ResourceNotFoundException, a throttle
// TooManyRequestsException); a failing function is a result, not an error.
// The invocation runs to the function's own timeout whatever ctx does, as
// on AWS; the caller owns its own waiting budget.
func (s *Service) InvokeDirect(ctx context.Context, function string, payload []byte) (DirectResult, error) {
	name, qualifier, err := parseFunctionName(function)
	if err != nil {
		return DirectResult{}, err
	}
	rec, err := s.invokedFunction(ctx, name)
	if err != nil {
		return DirectResult{}, err
	}
	vr, err := s.lookupVersion(rec, qualifier)
	if err != nil {
		return DirectResult{}, err
	}
	if len(payload) > maxSyncPayload {
		return DirectResult{}, errTooLarge.Newf("Request must be smaller than %d bytes for the InvokeFunction operation", maxSyncPayload)
	}
	inv := &invocation{id: newUUID(), arn: s.functionARN(name, qualifier), payload: payload, version: vr}
	release, err := s.acquireSlot(name, rec.Reserved)
	if err != nil {
		return DirectResult{}, err
	}
	defer release()
	ctx = logging.WithRequestID(ctx, inv.id)
	if err := s.run(context.WithoutCancel(ctx), inv); err != nil {
		return DirectResult{}, err
	}
	res := DirectResult{Payload: inv.output, ExecutedVersion: vr.Config.Version}
	if inv.functionError {
		res.FunctionError = "Unhandled"
	}
	return res, nil
}
