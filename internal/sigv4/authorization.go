package sigv4

import (
	"net/http"
	"strings"
)

// Algorithm is the only signing algorithm this package verifies.
const Algorithm = "AWS4-HMAC-SHA256"

// terminator ends every valid credential scope.
const terminator = "aws4_request"

// Authorization is a parsed SigV4 authorization: the fields of an
// "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." header,
// or the equivalent presigned query parameters.
type Authorization struct {
	// Algorithm is the signing algorithm, always [Algorithm] once parsed.
	Algorithm string
	// AccessKeyID is the first element of the credential.
	AccessKeyID string
	// Date is the scope date, yyyymmdd.
	Date string
	// Region is the scope region, e.g. "us-east-1".
	Region string
	// Service is the scope service (signing name), e.g. "dynamodb".
	Service string
	// Terminator is the last scope element; valid requests use "aws4_request".
	Terminator string
	// SignedHeaders lists the signed header names as sent (normally
	// lowercase and sorted).
	SignedHeaders []string
	// Signature is the hex signature as sent.
	Signature string
}

// CredentialScope returns "date/region/service/terminator".
func (a *Authorization) CredentialScope() string {
	return a.Date + "/" + a.Region + "/" + a.Service + "/" + a.Terminator
}

// String formats a as an Authorization header value; ParseAuthorization
// parses it back to an equal value.
func (a *Authorization) String() string {
	return a.Algorithm + " Credential=" + a.AccessKeyID + "/" + a.CredentialScope() +
		", SignedHeaders=" + strings.Join(a.SignedHeaders, ";") +
		", Signature=" + a.Signature
}

// ParseAuthorization parses an "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
// Signature=..." header value. Errors are [*Error] values of kind
// [ErrIncompleteSignature] carrying AWS's message. It checks the form only:
// scope values, the signed header set and the signature are checked by Verify.
func ParseAuthorization(h string) (*Authorization, error) {
	return parseAuthorization(h, true)
}

// NonSigV4Authorization returns, for a request whose Authorization header
// is not an AWS4 signature (a bearer token, say), the
// [ErrIncompleteSignature] that API Gateway answers it with where it wants
// a signature: the parameters missing, or the field that is not a
// key=value pair. It returns nil when the header is absent or AWS4.
func NonSigV4Authorization(r *http.Request) error {
	h := r.Header.Get("Authorization")
	if h == "" || strings.HasPrefix(strings.TrimSpace(h), "AWS4-") {
		return nil
	}
	_, err := parseAuthorization(h, r.Header.Get("X-Amz-Date") != "" || r.Header.Get("Date") != "")
	return err
}

// parseAuthorization parses header value h. When haveDate is false, the
// missing-parameter message also reports the missing date header, as AWS
// does in the same sentence list.
func parseAuthorization(h string, haveDate bool) (*Authorization, error) {
	h = strings.TrimSpace(h)
	alg, rest, _ := strings.Cut(h, " ")
	params, err := authParams(h, rest)
	if err != nil {
		return nil, err
	}
	if msg := missingParams(params, haveDate); msg != "" {
		return nil, newError(ErrIncompleteSignature, msg+"Authorization="+h)
	}
	if alg != Algorithm {
		return nil, newError(ErrIncompleteSignature,
			"Unsupported AWS 'algorithm': '"+alg+"' (only "+Algorithm+" for now). ")
	}
	a := &Authorization{Algorithm: alg, Signature: params.signature}
	if params.signedHeaders != "" {
		a.SignedHeaders = strings.Split(params.signedHeaders, ";")
	}
	if !a.setCredential(params.credential) {
		return nil, newError(ErrIncompleteSignature,
			"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"+
				params.credential+"'")
	}
	return a, nil
}

// headerParams holds the Authorization header's key=value parameters.
type headerParams struct {
	credential, signedHeaders, signature string
	hasSignedHeaders                     bool
}

// authParams splits the comma-separated key=value list that follows the
// algorithm in header h. Unknown keys are ignored; a later duplicate wins.
func authParams(h, rest string) (headerParams, error) {
	var p headerParams
	for field := range strings.SplitSeq(rest, ",") {
		field = strings.Trim(field, " \t")
		if field == "" {
			continue
		}
		key, value, ok := strings.Cut(field, "=")
		if !ok {
			return p, newError(ErrIncompleteSignature, "'"+field+
				"' not a valid key=value pair (missing equal-sign) in Authorization header: '"+h+"'.")
		}
		switch key {
		case "Credential":
			p.credential = value
		case "SignedHeaders":
			p.signedHeaders, p.hasSignedHeaders = value, true
		case "Signature":
			p.signature = value
		}
	}
	return p, nil
}

// missingParams returns AWS's sentences for each missing parameter, or "".
func missingParams(p headerParams, haveDate bool) string {
	var msg string
	if p.credential == "" {
		msg += "Authorization header requires 'Credential' parameter. "
	}
	if p.signature == "" {
		msg += "Authorization header requires 'Signature' parameter. "
	}
	if !p.hasSignedHeaders {
		msg += "Authorization header requires 'SignedHeaders' parameter. "
	}
	if !haveDate {
		msg += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
	}
	return msg
}

// setCredential splits "akid/date/region/service/terminator" into a and
// reports whether it has exactly five elements. Trailing slashes (and
// blanks around them) are ignored, as AWS ignores trailing slashes.
func (a *Authorization) setCredential(cred string) bool {
	parts := strings.Split(strings.TrimRight(cred, "/ \t"), "/")
	if len(parts) != 5 {
		return false
	}
	a.AccessKeyID, a.Date, a.Region, a.Service, a.Terminator = parts[0], parts[1], parts[2], parts[3], parts[4]
	return true
}

// Scope reads the credential scope (access key, date, region, service) of r
// without verifying anything, for routing a request to its service before
// verification. It reads the Authorization header, or else the presigned
// X-Amz-Credential query parameter. For a presigned request only the
// credential fields of the result are set. ok is false when neither is
// present or parseable.
func Scope(r *http.Request) (Authorization, bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		a, err := ParseAuthorization(h)
		if err != nil {
			return Authorization{}, false
		}
		return *a, true
	}
	var a Authorization
	if r.URL == nil || !a.setCredential(r.URL.Query().Get(queryCredential)) {
		return Authorization{}, false
	}
	return a, true
}
