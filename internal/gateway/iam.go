package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/sigv4"
)

// SigningName is the SigV4 signing name of requests to AWS_IAM routes.
const SigningName = "execute-api"

// authIAM is the authorization type of routes and methods that need a
// SigV4 signature.
const authIAM = "AWS_IAM"

// iamCaller is who signed a request to an AWS_IAM route.
type iamCaller struct {
	accessKey, accountID string
	// callerID is the account id for the root key and
	// <role>:<session> for role sessions.
	callerID string
	userARN  string
}

// iamAuthorize verifies the request's SigV4 signature (Authorization
// header or presigned query) for execute-api with the front door's
// verifier; false when it refused the request (and answered it). The body
// is read here, as its hash is signed, and put back for the integration;
// internal and tooLarge are the API kind's answers to a failing verifier
// and a body over MaxPayload. IAM policies are not evaluated: any valid
// signature of a known key is allowed.
func (h *Handler) iamAuthorize(w http.ResponseWriter, in *incoming, internal, tooLarge responder) bool {
	ctx := in.r.Context()
	if h.opts.VerifySigV4 == nil {
		h.logger.WarnContext(ctx, "AWS_IAM route without a SigV4 verifier")
		internal.write(w, in.r)
		return false
	}
	if refuseNonSigV4(w, in.r) {
		return false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, in.r.Body, MaxPayload))
	if err != nil {
		tooLarge.write(w, in.r)
		return false
	}
	in.r.Body = io.NopCloser(bytes.NewReader(body))
	res, err := h.opts.VerifySigV4(in.r, sigv4.HashPayload(body))
	if err != nil {
		refusal, ok := iamRefusal(err)
		if !ok {
			h.logger.ErrorContext(ctx, "verify signature", slog.Any(logging.KeyErr, err))
			internal.write(w, in.r)
			return false
		}
		refusal.write(w, in.r)
		return false
	}
	in.auth = &authResult{iam: h.callerOf(res)}
	return true
}

// iamRefusal is API Gateway's answer to a signature that does not verify:
// 403 with AWS's message and x-amzn-ErrorType; false for an error that is
// not the request's (a failing credential store).
func iamRefusal(err error) (restResponse, bool) {
	var se *sigv4.Error
	if !errors.As(err, &se) {
		return restResponse{}, false
	}
	msg, errorType := se.Message, "InvalidSignatureException"
	switch {
	case errors.Is(err, sigv4.ErrMissingAuth):
		return restMissingToken, true
	case errors.Is(err, sigv4.ErrIncompleteSignature):
		errorType = "IncompleteSignatureException"
	case errors.Is(err, sigv4.ErrUnknownAccessKey), errors.Is(err, sigv4.ErrInvalidToken):
		errorType = "AccessDeniedException"
	case errors.Is(err, sigv4.ErrExpiredToken):
		errorType = "ExpiredTokenException"
	case errors.Is(err, sigv4.ErrSignatureMismatch) && se.CanonicalRequest != "":
		// API Gateway, like DynamoDB, tells what it expected signed.
		msg += "\n\nThe Canonical String for this request should have been\n'" + se.CanonicalRequest +
			"'\n\nThe String-to-Sign should have been\n'" + se.StringToSign + "'\n"
	}
	return restResponse{http.StatusForbidden, messageJSON(msg), errorType}, true
}

// refuseNonSigV4 answers a request whose Authorization header is there but
// is not a signature (a bearer token sent to an AWS_IAM route, say) as API
// Gateway does: 403 IncompleteSignatureException naming what a signature
// lacks. It reports whether it answered.
func refuseNonSigV4(w http.ResponseWriter, r *http.Request) bool {
	err := sigv4.NonSigV4Authorization(r)
	if err == nil {
		return false
	}
	refusal, _ := iamRefusal(err) // always a *sigv4.Error
	refusal.write(w, r)
	return true
}

// messageJSON is {"message":msg}.
func messageJSON(msg string) string {
	b, _ := json.Marshal(map[string]string{"message": msg}) // a string map always encodes
	return string(b)
}

// callerOf describes the signer of a verified request: the root key is
// the account (arn:aws:iam::<account>:root), a role session its
// assumed-role ARN with <role>:<session> as caller (AWS puts the role's
// unique id, AROA..., before the colon; Fogbank keeps no role ids).
func (h *Handler) callerOf(res *sigv4.Result) *iamCaller {
	c := &iamCaller{accessKey: res.AccessKeyID, accountID: h.opts.AccountID, callerID: h.opts.AccountID,
		userARN: "arn:aws:iam::" + h.opts.AccountID + ":root"}
	a, err := arn.Parse(res.Credential.ARN)
	if err != nil {
		return c
	}
	c.accountID, c.userARN = a.AccountID, a.String()
	if parts := strings.Split(a.Resource, "/"); len(parts) == 3 && parts[0] == "assumed-role" {
		c.callerID = parts[1] + ":" + parts[2]
	}
	return c
}

// iamV2 is requestContext.authorizer.iam of payload 2.0 events.
type iamV2 struct {
	AccessKey       string  `json:"accessKey"`
	AccountID       string  `json:"accountId"`
	CallerID        string  `json:"callerId"`
	CognitoIdentity *string `json:"cognitoIdentity"`
	PrincipalOrgID  *string `json:"principalOrgId"`
	UserARN         string  `json:"userArn"`
	UserID          string  `json:"userId"`
}

// v2 is the caller as payload 2.0 events carry it.
func (c *iamCaller) v2() *iamV2 {
	return &iamV2{AccessKey: c.accessKey, AccountID: c.accountID, CallerID: c.callerID, UserARN: c.userARN, UserID: c.callerID}
}

// requestIdentity is requestContext.identity of payload 1.0 and REST events:
// the caller's members are set for AWS_IAM routes, null otherwise.
func (in *incoming) requestIdentity() identityV1 {
	id := identityV1{SourceIP: in.sourceIP, UserAgent: in.r.UserAgent()}
	if in.auth == nil || in.auth.iam == nil {
		return id
	}
	c := in.auth.iam
	id.AccessKey, id.AccountID, id.Caller, id.User, id.UserArn = &c.accessKey, &c.accountID, &c.callerID, &c.callerID, &c.userARN
	return id
}
