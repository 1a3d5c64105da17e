package sigv4

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Presigned query parameter names.
const (
	queryAlgorithm     = "X-Amz-Algorithm"
	queryCredential    = "X-Amz-Credential"
	queryDate          = "X-Amz-Date"
	queryExpires       = "X-Amz-Expires"
	querySignedHeaders = "X-Amz-SignedHeaders"
	querySignature     = "X-Amz-Signature"
	querySecurityToken = "X-Amz-Security-Token"
)

// maxPresignExpiry is the longest X-Amz-Expires AWS accepts: one week.
const maxPresignExpiry = 604800

// isPresigned reports whether query q carries presigned SigV4 parameters.
func isPresigned(q url.Values) bool {
	return q.Has(querySignature) || q.Has(queryCredential) || q.Has(queryAlgorithm)
}

// parsePresigned reads the presigned SigV4 parameters of query q. Error
// messages are S3's, the service that uses presigned requests.
func parsePresigned(q url.Values) (*signedRequest, error) {
	for _, name := range []string{queryAlgorithm, queryCredential, querySignature, queryDate, querySignedHeaders, queryExpires} {
		if q.Get(name) == "" {
			return nil, newError(ErrIncompleteSignature, "Query-string authentication version 4 requires the "+
				"X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, "+
				"and X-Amz-Expires parameters.")
		}
	}
	if q.Get(queryAlgorithm) != Algorithm {
		return nil, newError(ErrIncompleteSignature, `X-Amz-Algorithm only supports "`+Algorithm+`"`)
	}
	auth := &Authorization{
		Algorithm:     Algorithm,
		SignedHeaders: strings.Split(q.Get(querySignedHeaders), ";"),
		Signature:     q.Get(querySignature),
	}
	if !auth.setCredential(q.Get(queryCredential)) {
		return nil, newError(ErrIncompleteSignature, "Error parsing the X-Amz-Credential parameter; "+
			`the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`)
	}
	amzDate := q.Get(queryDate)
	t, ok := parseAmzDate(amzDate)
	if !ok {
		return nil, newError(ErrIncompleteSignature, `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`)
	}
	expires, err := parseExpires(q.Get(queryExpires))
	if err != nil {
		return nil, err
	}
	return &signedRequest{
		auth:      auth,
		amzDate:   amzDate,
		time:      t,
		expires:   expires,
		presigned: true,
		token:     q.Get(querySecurityToken),
	}, nil
}

// parseExpires parses X-Amz-Expires, 0 to 604800 seconds.
func parseExpires(s string) (time.Duration, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil:
		return 0, newError(ErrIncompleteSignature, "X-Amz-Expires should be a number")
	case n < 0:
		return 0, newError(ErrIncompleteSignature, "X-Amz-Expires must be non-negative")
	case n > maxPresignExpiry:
		return 0, newError(ErrIncompleteSignature, "X-Amz-Expires must be less than a week (in seconds) that is 604800")
	}
	return time.Duration(n) * time.Second, nil
}
