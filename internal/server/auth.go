package server

import (
	"errors"
	"net/http"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/identity"
	"github.com/fogbank/fogbank/internal/sigv4"
)

// coralNamespace is the "__type" namespace of the errors that AWS's
// request-handling framework (not the service) raises for awsJson APIs.
const coralNamespace = "com.amazon.coral.service"

// Front-door errors of the awsJson family, as DynamoDB sends them.
var (
	errMissingAuth         = apierr.Def{Code: "MissingAuthenticationTokenException", Status: http.StatusBadRequest, Namespace: coralNamespace}
	errIncompleteSignature = apierr.Def{Code: "IncompleteSignatureException", Status: http.StatusBadRequest, Namespace: coralNamespace}
	errUnrecognizedClient  = apierr.Def{Code: "UnrecognizedClientException", Status: http.StatusBadRequest, Namespace: coralNamespace}
	errInvalidSignature    = apierr.Def{Code: "InvalidSignatureException", Status: http.StatusBadRequest, Namespace: coralNamespace}
	errExpiredToken        = apierr.Def{Code: "ExpiredTokenException", Status: http.StatusBadRequest, Namespace: coralNamespace}
	// errTooLarge answers a body over Options.MaxRequestBody. AWS does not
	// document DynamoDB's answer; the code and wording follow Lambda's.
	errTooLarge = apierr.Def{Code: "RequestEntityTooLargeException", Status: http.StatusRequestEntityTooLarge, Namespace: coralNamespace}
	// errIncompleteBody answers a body that could not be read in full.
	errIncompleteBody = apierr.Def{Code: "SerializationException", Status: http.StatusBadRequest, Namespace: coralNamespace}
	// errUnroutable answers a request that names no service Fogbank serves.
	errUnroutable = apierr.Def{Code: "UnknownOperationException", Status: http.StatusNotFound, Namespace: coralNamespace}
	// errInternalFailure answers a panic.
	errInternalFailure = apierr.Def{Code: "InternalFailure", Status: http.StatusInternalServerError, Fault: apierr.FaultServer, Namespace: coralNamespace}
)

// authenticate verifies r's signature over body for the given signing name
// and returns the caller. In dev mode nothing is verified and the principal
// is the scope's access key id, if any.
func (s *Server) authenticate(r *http.Request, body []byte, signingName string) (identity.Principal, error) {
	res, err := s.VerifySigV4(r, sigv4.HashPayload(body), signingName)
	if err != nil {
		return identity.Principal{}, jsonAuthError(err)
	}
	return principalOf(res), nil
}

// VerifySigV4 checks r's SigV4 signature for signingName over a body
// whose SHA-256 is payloadHash, as the front door checks AWS API requests
// (the same verifier, credentials and region). In dev mode nothing is
// verified and the result names the scope's access key, if any. Package
// gateway checks AWS_IAM routes with it (package app wires it).
func (s *Server) VerifySigV4(r *http.Request, payloadHash, signingName string) (*sigv4.Result, error) {
	if s.opts.Dev {
		scope, _ := sigv4.Scope(r)
		return &sigv4.Result{AccessKeyID: scope.AccessKeyID, Region: scope.Region, Service: scope.Service}, nil
	}
	return s.verifier.Verify(r.Context(), r, payloadHash, sigv4.Options{Service: signingName, Region: s.opts.Region})
}

// principalOf is the caller of a verified request.
func principalOf(res *sigv4.Result) identity.Principal {
	return identity.Principal{AccessKeyID: res.AccessKeyID, ARN: res.Credential.ARN}
}

// jsonAuthError maps a verification failure to the awsJson family's error.
// Errors that are not *sigv4.Error (a failing credential store) stay
// server faults.
func jsonAuthError(err error) error {
	var se *sigv4.Error
	if !errors.As(err, &se) {
		return err
	}
	switch {
	case errors.Is(err, sigv4.ErrMissingAuth):
		return errMissingAuth.Wrap(err, se.Message)
	case errors.Is(err, sigv4.ErrIncompleteSignature):
		return errIncompleteSignature.Wrap(err, se.Message)
	case errors.Is(err, sigv4.ErrUnknownAccessKey), errors.Is(err, sigv4.ErrInvalidToken):
		return errUnrecognizedClient.Wrap(err, se.Message)
	case errors.Is(err, sigv4.ErrExpiredToken):
		return errExpiredToken.Wrap(err, se.Message)
	case errors.Is(err, sigv4.ErrSignatureMismatch) && se.CanonicalRequest != "":
		// DynamoDB tells the client what it should have signed.
		return errInvalidSignature.Wrap(err, se.Message+
			"\n\nThe Canonical String for this request should have been\n'"+se.CanonicalRequest+
			"'\n\nThe String-to-Sign should have been\n'"+se.StringToSign+"'\n")
	default: // signature mismatch, expired request, wrong scope
		return errInvalidSignature.Wrap(err, se.Message)
	}
}
