package sigv4

import "errors"

// Error kinds. Every error that Verify returns because of the request (as
// opposed to a failing Lookup) is an [*Error] whose Kind is one of these, so
// callers classify with errors.Is(err, sigv4.ErrSignatureMismatch).
var (
	// ErrMissingAuth means the request carries neither an AWS4 Authorization
	// header nor presigned query parameters.
	ErrMissingAuth = errors.New("sigv4: missing authentication")
	// ErrIncompleteSignature means the Authorization header or the presigned
	// query is malformed: a missing parameter, an unsupported algorithm, a
	// credential that is not five slash-separated elements, a missing or
	// badly formatted date, or an invalid X-Amz-Expires.
	ErrIncompleteSignature = errors.New("sigv4: incomplete signature")
	// ErrUnknownAccessKey means Lookup does not know the access key id.
	ErrUnknownAccessKey = errors.New("sigv4: unknown access key")
	// ErrInvalidToken means the session token carried by the request does not
	// match the credential's (missing, different, or present for a
	// credential without one).
	ErrInvalidToken = errors.New("sigv4: invalid security token")
	// ErrExpiredToken means the request carries the right session token
	// for a temporary credential that has expired ([Credential].Expires).
	ErrExpiredToken = errors.New("sigv4: expired security token")
	// ErrSignatureMismatch means the signature does not match the request,
	// or the host header is not among the signed headers.
	ErrSignatureMismatch = errors.New("sigv4: signature mismatch")
	// ErrRequestExpired means the request time is outside the allowed clock
	// skew, or a presigned request is past its X-Amz-Expires.
	ErrRequestExpired = errors.New("sigv4: request expired")
	// ErrWrongScope means the credential scope does not match the request:
	// wrong region or service, a terminator other than aws4_request, or a
	// scope date that differs from the request date.
	ErrWrongScope = errors.New("sigv4: wrong credential scope")
)

// AWS-worded messages that clients see.
const (
	msgMissingAuth       = "Request is missing Authentication Token"
	msgInvalidToken      = "The security token included in the request is invalid."
	msgExpiredToken      = "The security token included in the request is expired"
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgHostNotSigned = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
)

// Error is a verification failure. Kind is one of the Err* sentinels and
// Message is the text AWS returns for it (for example DynamoDB's
// InvalidSignatureException message). For ErrSignatureMismatch,
// CanonicalRequest and StringToSign hold what the server computed, which
// DynamoDB appends to the message and S3 returns in its own elements; they
// are empty for other kinds.
type Error struct {
	Kind             error
	Message          string
	CanonicalRequest string
	StringToSign     string
}

// Error returns the kind and the message.
func (e *Error) Error() string { return e.Kind.Error() + ": " + e.Message }

// Is reports whether target is e's Kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// newError returns an *Error of the given kind.
func newError(kind error, msg string) *Error { return &Error{Kind: kind, Message: msg} }
