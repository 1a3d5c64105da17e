package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
)

// PostForm is the signing part of an S3 browser-based upload (POST object)
// form: the x-amz-* fields and the policy exactly as sent. The signature
// covers the base64 policy text, not the request.
type PostForm struct {
	// Algorithm is x-amz-algorithm; it must be [Algorithm].
	Algorithm string
	// Credential is x-amz-credential, "akid/date/region/service/aws4_request".
	Credential string
	// Date is x-amz-date, ISO 8601 basic.
	Date string
	// Policy is the base64 policy document as sent.
	Policy string
	// Signature is x-amz-signature, lowercase hex.
	Signature string
	// SecurityToken is x-amz-security-token, if any.
	SecurityToken string
}

// VerifyPost checks the signature of a POST policy: hex(HMAC-SHA256(signing
// key, policy)), the signing key derived from the credential scope as for
// any SigV4 request. The request time is not checked against the clock (the
// policy's expiration bounds the form's life; the caller checks it), but the
// scope must name opts' region and service and the day of Date. Errors are
// [*Error] values as from [Verifier.Verify]; for ErrSignatureMismatch,
// StringToSign is the policy.
func (v *Verifier) VerifyPost(ctx context.Context, f PostForm, opts Options) (*Result, error) {
	if f.Algorithm != Algorithm {
		return nil, newError(ErrIncompleteSignature, `X-Amz-Algorithm only supports "`+Algorithm+`"`)
	}
	auth := &Authorization{Algorithm: Algorithm, Signature: f.Signature}
	if !auth.setCredential(f.Credential) {
		return nil, newError(ErrIncompleteSignature,
			`the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`)
	}
	if auth.AccessKeyID == "" {
		return nil, newError(ErrIncompleteSignature, "a non-empty Access Key (AKID) must be provided in the credential.")
	}
	t, ok := parseAmzDate(f.Date)
	if !ok {
		return nil, newError(ErrIncompleteSignature, "X-Amz-Date must be formated via ISO8601 Long format")
	}
	req := &signedRequest{auth: auth, amzDate: f.Date, time: t, token: f.SecurityToken}
	if err := req.checkScope(opts); err != nil {
		return nil, err
	}
	cred, err := v.lookup(ctx, auth.AccessKeyID)
	if err != nil {
		return nil, err
	}
	key := v.keys.get(keyID{secret: cred.SecretAccessKey, date: auth.Date, region: auth.Region, service: auth.Service})
	mac := hmac.New(sha256.New, key[:])
	mac.Write([]byte(f.Policy))
	var sum [sha256.Size]byte
	var want [2 * sha256.Size]byte
	hex.Encode(want[:], mac.Sum(sum[:0]))
	if subtle.ConstantTimeCompare(want[:], []byte(f.Signature)) != 1 {
		return nil, &Error{Kind: ErrSignatureMismatch, Message: msgSignatureMismatch, StringToSign: f.Policy}
	}
	if subtle.ConstantTimeCompare([]byte(f.SecurityToken), []byte(cred.SessionToken)) != 1 {
		return nil, newError(ErrInvalidToken, msgInvalidToken)
	}
	if !cred.Expires.IsZero() && !v.now().Before(cred.Expires) {
		return nil, newError(ErrExpiredToken, msgExpiredToken)
	}
	return &Result{AccessKeyID: auth.AccessKeyID, Region: auth.Region, Service: auth.Service, Time: t, Credential: cred}, nil
}
