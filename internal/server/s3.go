package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/awsproto/awsjson"
	"github.com/fogbank/fogbank/internal/awsproto/restxml"
	"github.com/fogbank/fogbank/internal/awsproto/restxml/awschunked"
	"github.com/fogbank/fogbank/internal/identity"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/sigv2"
	"github.com/fogbank/fogbank/internal/sigv4"
)

// s3SigningName is S3's SigV4 service name.
const s3SigningName = "s3"

// Values of x-amz-content-sha256 (and of X-Amz-Content-Sha256 in a
// presigned query) other than a hex SHA-256.
const (
	unsignedPayload          = "UNSIGNED-PAYLOAD"
	streamingSigned          = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	streamingSignedTrailer   = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	streamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
	headerContentSHA256      = "X-Amz-Content-Sha256"
	headerDecodedLength      = "X-Amz-Decoded-Content-Length"
	maxAllowedSkewMillis     = 900000
	s3SignatureMismatchText  = "The request signature we calculated does not match the signature you provided. " +
		"Check your key and signing method."
)

// S3's front-door errors (PROTOCOLS.md §4.5 and §6).
var (
	errS3AccessDenied       = apierr.Def{Code: "AccessDenied", Status: http.StatusForbidden}
	errS3HeaderMalformed    = apierr.Def{Code: "AuthorizationHeaderMalformed", Status: http.StatusBadRequest}
	errS3QueryMalformed     = apierr.Def{Code: "AuthorizationQueryParametersError", Status: http.StatusBadRequest}
	errS3InvalidAccessKeyID = apierr.Def{Code: "InvalidAccessKeyId", Status: http.StatusForbidden}
	errS3InvalidToken       = apierr.Def{Code: "InvalidToken", Status: http.StatusBadRequest}
	errS3ExpiredToken       = apierr.Def{Code: "ExpiredToken", Status: http.StatusBadRequest}
	errS3SignatureMismatch  = apierr.Def{Code: "SignatureDoesNotMatch", Status: http.StatusForbidden}
	errS3TimeTooSkewed      = apierr.Def{Code: "RequestTimeTooSkewed", Status: http.StatusForbidden}
	errS3InvalidRequest     = apierr.Def{Code: "InvalidRequest", Status: http.StatusBadRequest}
	errS3InvalidArgument    = apierr.Def{Code: "InvalidArgument", Status: http.StatusBadRequest}
	errS3SHA256Mismatch     = apierr.Def{Code: "XAmzContentSHA256Mismatch", Status: http.StatusBadRequest}
	errS3IncompleteBody     = apierr.Def{Code: "IncompleteBody", Status: http.StatusBadRequest}
	errS3NotImplemented     = apierr.Def{Code: "NotImplemented", Status: http.StatusNotImplemented}
)

// isS3Request reports whether r is for S3: signed for the "s3" service, or
// carrying no SigV4 scope and no X-Amz-Target (anonymous path-style or
// virtual-host requests, which S3 answers AccessDenied outside dev mode).
func isS3Request(r *http.Request) bool {
	if scope, ok := sigv4.Scope(r); ok {
		return scope.Service == s3SigningName
	}
	return r.Header.Get(awsjson.HeaderTarget) == ""
}

// serveS3 authenticates an S3 request, wraps its body so that the payload
// is verified (and aws-chunked framing decoded) as it streams, and hands it
// to Options.S3. The body is never read whole by the front door. OPTIONS
// requests (CORS preflight) pass unauthenticated.
func (s *Server) serveS3(w http.ResponseWriter, r *http.Request, info *requestInfo) {
	info.service = s3SigningName
	info.writeError = func(w http.ResponseWriter, r *http.Request, err error) {
		restxml.WriteError(w, r, s.logger, err)
	}
	w.Header().Del(awsjson.HeaderRequestID)
	restxml.SetRequestID(w.Header(), logging.RequestID(r.Context()))
	r = r.WithContext(logging.WithAttrs(r.Context(), slog.String(logging.KeyService, s3SigningName)))
	release, admitted := s.admit(w, r, info)
	if !admitted {
		return
	}
	defer release()
	if r.Method == http.MethodOptions { // CORS preflight: browsers send no credentials
		s.opts.S3.ServeHTTP(w, r)
		return
	}
	principal, err := s.authenticateS3(r)
	if err != nil {
		info.writeError(w, r, err)
		return
	}
	if principal.AccessKeyID != "" {
		info.principal = principal.AccessKeyID
		ctx := identity.WithPrincipal(r.Context(), principal)
		r = r.WithContext(logging.WithAttrs(ctx, slog.String(logging.KeyPrincipal, principal.AccessKeyID)))
	}
	s.opts.S3.ServeHTTP(w, r)
}

// authenticateS3 verifies r's signature with S3's rules (SigV4, SigV2, or
// the policy signature of a POST upload form) and, for SigV4, replaces
// r.Body with a reader that verifies the payload against the signed
// payload hash.
func (s *Server) authenticateS3(r *http.Request) (identity.Principal, error) {
	switch {
	case sigv2.Is(r):
		return s.authenticateS3V2(r)
	case isPostUpload(r):
		return s.authenticatePost(r)
	}
	presigned := r.URL.Query().Has("X-Amz-Signature")
	payloadHash := r.Header.Get(headerContentSHA256)
	if presigned {
		payloadHash = r.URL.Query().Get(headerContentSHA256)
		if payloadHash == "" {
			payloadHash = unsignedPayload
		}
	}
	if s.opts.Dev {
		scope, _ := sigv4.Scope(r)
		return identity.Principal{AccessKeyID: scope.AccessKeyID}, wrapS3Payload(r, payloadHash, nil)
	}
	if payloadHash == "" && r.Header.Get("Authorization") != "" {
		return identity.Principal{}, errS3InvalidRequest.New("Missing required header for this request: x-amz-content-sha256")
	}
	opts := sigv4.Options{Service: s3SigningName, Region: s.opts.Region, SingleEncode: true}
	res, err := s.verifier.Verify(r.Context(), r, payloadHash, opts)
	if err != nil {
		return identity.Principal{}, s3AuthError(r, err, presigned)
	}
	if err := wrapS3Payload(r, payloadHash, chunkSigning(r, res)); err != nil {
		return identity.Principal{}, err
	}
	return principalOf(res), nil
}

// chunkSigning returns what the chunk signatures of r chain from.
func chunkSigning(r *http.Request, res *sigv4.Result) *awschunked.Signing {
	auth, ok := sigv4.Scope(r)
	if !ok {
		return nil
	}
	return &awschunked.Signing{
		Key:     awschunked.SigningKey(res.Credential.SecretAccessKey, auth.Date, auth.Region, auth.Service),
		AmzDate: r.Header.Get("X-Amz-Date"),
		Scope:   auth.CredentialScope(),
		Seed:    auth.Signature,
	}
}

// wrapS3Payload replaces r.Body with a verifying reader for payloadHash:
// aws-chunked decoding (chunk signatures checked when signing is set,
// trailers delivered into r.Trailer), or a SHA-256 check at EOF for a hex
// payload hash. UNSIGNED-PAYLOAD bodies pass through.
func wrapS3Payload(r *http.Request, payloadHash string, signing *awschunked.Signing) error {
	chunked := strings.HasPrefix(payloadHash, "STREAMING-") || hasToken(r.Header.Get("Content-Encoding"), "aws-chunked")
	switch {
	case chunked:
		return wrapChunked(r, payloadHash, signing)
	case isHexSHA256(payloadHash):
		r.Body = &sha256Body{ReadCloser: r.Body, want: payloadHash, hash: sha256.New()}
	case payloadHash == unsignedPayload || payloadHash == "":
	default:
		return errS3InvalidArgument.New("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, " +
			"STREAMING-UNSIGNED-PAYLOAD-TRAILER, or a valid sha256 value.")
	}
	return nil
}

// wrapChunked installs the aws-chunked decoder on r.
func wrapChunked(r *http.Request, payloadHash string, signing *awschunked.Signing) error {
	switch payloadHash {
	case streamingSigned, streamingSignedTrailer:
	case streamingUnsignedTrailer, unsignedPayload, "":
		signing = nil
	default:
		return errS3NotImplemented.Newf("x-amz-content-sha256 %s is not supported.", payloadHash)
	}
	decoded := int64(-1)
	if v := r.Header.Get(headerDecodedLength); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return errS3InvalidArgument.Newf("Invalid %s: %s", headerDecodedLength, v)
		}
		decoded = n
	}
	r.Trailer = http.Header{}
	r.Body = &chunkedBody{r: awschunked.NewReader(r.Body, signing, r.Trailer), closer: r.Body, want: decoded}
	r.ContentLength = decoded
	r.Header.Del(headerDecodedLength)
	if enc := withoutToken(r.Header.Get("Content-Encoding"), "aws-chunked"); enc != "" {
		r.Header.Set("Content-Encoding", enc)
	} else {
		r.Header.Del("Content-Encoding")
	}
	return nil
}

// chunkedBody decodes an aws-chunked body, turning framing and signature
// failures into S3 errors and checking the decoded length at EOF.
type chunkedBody struct {
	r         io.Reader
	closer    io.Closer
	want, got int64
}

func (b *chunkedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.got += int64(n)
	switch {
	case errors.Is(err, io.EOF) && b.want >= 0 && b.got != b.want:
		return n, errS3IncompleteBody.Newf("You did not provide the number of bytes specified by the %s header.", headerDecodedLength)
	case errors.Is(err, awschunked.ErrSignatureMismatch):
		return n, errS3SignatureMismatch.Wrap(err, s3SignatureMismatchText)
	case errors.Is(err, awschunked.ErrMalformed):
		return n, errS3IncompleteBody.Wrap(err, "The request body terminated unexpectedly.")
	}
	return n, err
}

func (b *chunkedBody) Close() error { return b.closer.Close() }

// sha256Body checks a body against its signed hex SHA-256 at EOF.
type sha256Body struct {
	io.ReadCloser
	want string
	hash hash.Hash
}

func (b *sha256Body) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.hash.Write(p[:n])
	if errors.Is(err, io.EOF) {
		if got := hex.EncodeToString(b.hash.Sum(nil)); got != b.want {
			return n, errS3SHA256Mismatch.New("The provided 'x-amz-content-sha256' header does not match what was computed.").
				With("ClientComputedContentSHA256", b.want).With("S3ComputedContentSHA256", got)
		}
	}
	return n, err
}

// s3AuthError maps a verification failure to S3's error.
func s3AuthError(r *http.Request, err error, presigned bool) error {
	var se *sigv4.Error
	if !errors.As(err, &se) {
		return err
	}
	scope, _ := sigv4.Scope(r)
	switch {
	case errors.Is(err, sigv4.ErrMissingAuth):
		return errS3AccessDenied.Wrap(err, "Access Denied")
	case errors.Is(err, sigv4.ErrIncompleteSignature), errors.Is(err, sigv4.ErrWrongScope):
		if presigned {
			return errS3QueryMalformed.Wrap(err, se.Message)
		}
		return errS3HeaderMalformed.Wrap(err, se.Message)
	case errors.Is(err, sigv4.ErrUnknownAccessKey):
		return errS3InvalidAccessKeyID.Wrap(err, "The AWS Access Key Id you provided does not exist in our records.").
			With("AWSAccessKeyId", scope.AccessKeyID)
	case errors.Is(err, sigv4.ErrInvalidToken):
		return errS3InvalidToken.Wrap(err, "The provided token is malformed or otherwise invalid.")
	case errors.Is(err, sigv4.ErrExpiredToken):
		return errS3ExpiredToken.Wrap(err, "The provided token has expired.")
	case errors.Is(err, sigv4.ErrRequestExpired) && presigned:
		return errS3AccessDenied.Wrap(err, "Request has expired").
			With("X-Amz-Expires", r.URL.Query().Get("X-Amz-Expires"))
	case errors.Is(err, sigv4.ErrRequestExpired):
		return errS3TimeTooSkewed.Wrap(err, "The difference between the request time and the current time is too large.").
			With("RequestTime", r.Header.Get("X-Amz-Date")).With("MaxAllowedSkewMilliseconds", maxAllowedSkewMillis)
	default: // signature mismatch
		return errS3SignatureMismatch.Wrap(err, s3SignatureMismatchText).
			With("AWSAccessKeyId", scope.AccessKeyID).With("SignatureProvided", scope.Signature).
			With("StringToSign", se.StringToSign).With("CanonicalRequest", se.CanonicalRequest)
	}
}

// isHexSHA256 reports whether s is 64 lowercase hex digits.
func isHexSHA256(s string) bool {
	if len(s) != sha256.Size*2 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// hasToken reports whether the comma-separated list has token.
func hasToken(list, token string) bool {
	for t := range strings.SplitSeq(list, ",") {
		if strings.EqualFold(strings.TrimSpace(t), token) {
			return true
		}
	}
	return false
}

// withoutToken returns the comma-separated list without token.
func withoutToken(list, token string) string {
	var kept []string
	for t := range strings.SplitSeq(list, ",") {
		if t = strings.TrimSpace(t); t != "" && !strings.EqualFold(t, token) {
			kept = append(kept, t)
		}
	}
	return strings.Join(kept, ",")
}

// s3VirtualHostDomains are the host suffixes under which <bucket>.<domain>
// names a bucket, as the S3 service's DefaultDomains; SigV2 signs the
// bucket of a virtual-host request in its resource path.
var s3VirtualHostDomains = []string{"s3.localhost", "localhost"}

// Front-door errors of SigV2 and POST uploads.
var (
	errS3MalformedPOST = apierr.Def{Code: "MalformedPOSTRequest", Status: http.StatusBadRequest}
	errS3PreDataTooBig = apierr.Def{Code: "MaxPostPreDataLengthExceeded", Status: http.StatusBadRequest}
)

// authenticateS3V2 verifies a SigV2 request (a presigned URL with
// AWSAccessKeyId, Expires and Signature, or an "AWS AKID:signature"
// header). Its body is not signed and passes through unverified.
func (s *Server) authenticateS3V2(r *http.Request) (identity.Principal, error) {
	auth, err := sigv2.Parse(r)
	if s.opts.Dev {
		var akid string
		if err == nil {
			akid = auth.AccessKeyID
		}
		return identity.Principal{AccessKeyID: akid}, wrapS3Payload(r, "", nil)
	}
	if err != nil {
		return identity.Principal{}, s3V2Error(r, nil, err)
	}
	v := &sigv2.Verifier{Lookup: s.verifier.Lookup, Now: s.verifier.Now, MaxSkew: s.verifier.MaxSkew}
	cred, err := v.Verify(r.Context(), r, auth, v2Resources(r))
	if err != nil {
		return identity.Principal{}, s3V2Error(r, auth, err)
	}
	return identity.Principal{AccessKeyID: auth.AccessKeyID, ARN: cred.ARN}, wrapS3Payload(r, "", nil)
}

// v2Resources returns the candidate SigV2 resource paths of r: for a
// virtual-host request "/<bucket>" and the path, then the path as sent.
func v2Resources(r *http.Request) []string {
	path := r.URL.EscapedPath()
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	for _, domain := range s3VirtualHostDomains {
		if bucket, ok := strings.CutSuffix(strings.ToLower(host), "."+domain); ok && bucket != "" {
			return []string{"/" + bucket + path, path}
		}
	}
	return []string{path}
}

// s3V2Error maps a SigV2 failure to S3's error; auth is nil when the
// authorization could not be parsed.
func s3V2Error(r *http.Request, auth *sigv2.Auth, err error) error {
	var se *sigv2.Error
	if !errors.As(err, &se) {
		return err
	}
	switch {
	case errors.Is(err, sigv2.ErrMalformed) && strings.HasPrefix(r.Header.Get("Authorization"), "AWS "):
		return errS3InvalidArgument.Wrap(err, se.Message).
			With("ArgumentName", "Authorization").With("ArgumentValue", r.Header.Get("Authorization"))
	case errors.Is(err, sigv2.ErrMalformed):
		return errS3AccessDenied.Wrap(err, se.Message)
	case errors.Is(err, sigv2.ErrExpired):
		exp, _ := strconv.ParseInt(auth.Expires, 10, 64)
		return errS3AccessDenied.Wrap(err, se.Message).
			With("Expires", time.Unix(exp, 0).UTC().Format(time.RFC3339)).
			With("ServerTime", time.Now().UTC().Format(time.RFC3339))
	case errors.Is(err, sigv2.ErrTimeSkewed):
		return errS3TimeTooSkewed.Wrap(err, se.Message).With("MaxAllowedSkewMilliseconds", maxAllowedSkewMillis)
	case errors.Is(err, sigv2.ErrUnknownAccessKey):
		return errS3InvalidAccessKeyID.Wrap(err, se.Message).With("AWSAccessKeyId", auth.AccessKeyID)
	case errors.Is(err, sigv2.ErrInvalidToken):
		return errS3InvalidToken.Wrap(err, se.Message)
	case errors.Is(err, sigv2.ErrExpiredToken):
		return errS3ExpiredToken.Wrap(err, se.Message)
	default:
		return signatureMismatch(err, auth.AccessKeyID, se.StringToSign, auth.Signature)
	}
}

// signatureMismatch is S3's SignatureDoesNotMatch for a SigV2 request or a
// POST policy, with the string the server signed and its bytes in hex.
func signatureMismatch(err error, accessKeyID, stringToSign, provided string) error {
	return errS3SignatureMismatch.Wrap(err, s3SignatureMismatchText).
		With("AWSAccessKeyId", accessKeyID).With("StringToSign", stringToSign).
		With("SignatureProvided", provided).With("StringToSignBytes", hexBytes(stringToSign))
}

// hexBytes formats s as two lowercase hex digits a byte, space-separated.
func hexBytes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(hex.EncodeToString([]byte{s[i]}))
	}
	return b.String()
}

// maxPostPreData bounds the form fields before the file of a POST upload.
const maxPostPreData = 20480

// isPostUpload reports whether r is a browser-based upload: a POST with a
// multipart/form-data body and no other authentication.
func isPostUpload(r *http.Request) bool {
	if r.Method != http.MethodPost || r.Header.Get("Authorization") != "" || r.URL.Query().Has("X-Amz-Signature") {
		return false
	}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mediaType == "multipart/form-data"
}

// authenticatePost verifies the policy signature of a POST upload: SigV4
// (x-amz-algorithm, x-amz-credential, x-amz-date, x-amz-signature) or SigV2
// (AWSAccessKeyId, signature), over the policy field as sent. The form
// fields before the file are read here and replayed to the S3 service,
// which evaluates the policy's conditions; the file is never buffered.
// A form without any signing field is anonymous, which no bucket allows.
func (s *Server) authenticatePost(r *http.Request) (identity.Principal, error) {
	if s.opts.Dev {
		return identity.Principal{}, nil
	}
	fields, err := peekPostFields(r)
	if err != nil {
		return identity.Principal{}, err
	}
	if _, v2 := fields["awsaccesskeyid"]; v2 {
		return s.verifyPostV2(r, fields)
	}
	for _, name := range []string{"x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"} {
		if _, ok := fields[name]; ok {
			return s.verifyPostV4(r, fields)
		}
	}
	return identity.Principal{}, errS3AccessDenied.New("Access Denied")
}

// verifyPostV4 checks a SigV4-signed POST policy.
func (s *Server) verifyPostV4(r *http.Request, fields map[string]string) (identity.Principal, error) {
	if err := requireFields(fields, "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Signature", "Policy"); err != nil {
		return identity.Principal{}, err
	}
	form := sigv4.PostForm{
		Algorithm: fields["x-amz-algorithm"], Credential: fields["x-amz-credential"], Date: fields["x-amz-date"],
		Policy: fields["policy"], Signature: fields["x-amz-signature"], SecurityToken: fields["x-amz-security-token"],
	}
	opts := sigv4.Options{Service: s3SigningName, Region: s.opts.Region}
	res, err := s.verifier.VerifyPost(r.Context(), form, opts)
	if err == nil {
		return principalOf(res), nil
	}
	var se *sigv4.Error
	if !errors.As(err, &se) {
		return identity.Principal{}, err
	}
	akid, _, _ := strings.Cut(form.Credential, "/")
	switch {
	case errors.Is(err, sigv4.ErrIncompleteSignature), errors.Is(err, sigv4.ErrWrongScope):
		name, value := "X-Amz-Credential", form.Credential
		switch {
		case strings.Contains(se.Message, "X-Amz-Algorithm"):
			name, value = "X-Amz-Algorithm", form.Algorithm
		case strings.Contains(se.Message, "X-Amz-Date"):
			name, value = "X-Amz-Date", form.Date
		}
		return identity.Principal{}, errS3InvalidArgument.Wrap(err, se.Message).With("ArgumentName", name).With("ArgumentValue", value)
	case errors.Is(err, sigv4.ErrUnknownAccessKey):
		return identity.Principal{}, errS3InvalidAccessKeyID.Wrap(err, "The AWS Access Key Id you provided does not exist in our records.").
			With("AWSAccessKeyId", akid)
	case errors.Is(err, sigv4.ErrInvalidToken):
		return identity.Principal{}, errS3InvalidToken.Wrap(err, "The provided token is malformed or otherwise invalid.")
	case errors.Is(err, sigv4.ErrExpiredToken):
		return identity.Principal{}, errS3ExpiredToken.Wrap(err, "The provided token has expired.")
	default:
		return identity.Principal{}, signatureMismatch(err, akid, form.Policy, form.Signature)
	}
}

// verifyPostV2 checks a SigV2-signed POST policy.
func (s *Server) verifyPostV2(r *http.Request, fields map[string]string) (identity.Principal, error) {
	if err := requireFields(fields, "AWSAccessKeyId", "Signature", "Policy"); err != nil {
		return identity.Principal{}, err
	}
	akid, policy, sig := fields["awsaccesskeyid"], fields["policy"], fields["signature"]
	v := &sigv2.Verifier{Lookup: s.verifier.Lookup, Now: s.verifier.Now}
	cred, err := v.VerifyPost(r.Context(), akid, policy, sig, fields["x-amz-security-token"])
	if err != nil {
		auth := &sigv2.Auth{AccessKeyID: akid, Signature: sig}
		return identity.Principal{}, s3V2Error(r, auth, err)
	}
	return identity.Principal{AccessKeyID: akid, ARN: cred.ARN}, nil
}

// requireFields answers S3's InvalidArgument for the first of names (as S3
// spells them) that the form lacks.
func requireFields(fields map[string]string, names ...string) error {
	for _, name := range names {
		if fields[strings.ToLower(name)] == "" {
			return errS3InvalidArgument.Newf("Bucket POST must contain a field named '%s'.  "+
				"If it is specified, please check the order of the fields.", name).
				With("ArgumentName", name).With("ArgumentValue", "")
		}
	}
	return nil
}

// peekPostFields reads the form fields of r before the part named "file"
// (names lowercased, first occurrence kept) and replaces r.Body with one
// that replays every byte read, so the S3 service parses the whole form.
func peekPostFields(r *http.Request) (map[string]string, error) {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return nil, errS3MalformedPOST.New("The body of your POST request is not well-formed multipart/form-data.")
	}
	body := r.Body
	rec := &recordingReader{r: body}
	defer func() {
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(rec.buf.Bytes()), body), body}
	}()
	fields := map[string]string{}
	mr := multipart.NewReader(rec, params["boundary"])
	size := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return fields, nil
		}
		if err != nil {
			return nil, postFormError(err)
		}
		name := part.FormName()
		if strings.EqualFold(name, "file") {
			return fields, nil
		}
		value, err := io.ReadAll(io.LimitReader(part, int64(maxPostPreData-size+1)))
		if err != nil {
			return nil, postFormError(err)
		}
		if size += len(name) + len(value); size > maxPostPreData {
			return nil, postFormError(errPeekOverflow)
		}
		if _, seen := fields[strings.ToLower(name)]; !seen {
			fields[strings.ToLower(name)] = string(value)
		}
	}
}

// maxPostPeek bounds what the front door keeps of a POST form: the fields,
// their part headers and the multipart reader's read-ahead.
const maxPostPeek = maxPostPreData + 64<<10

// errPeekOverflow stops a form whose part headers outgrow maxPostPeek.
var errPeekOverflow = errors.New("server: POST form fields too large")

// postFormError is S3's answer to a form that cannot be read.
func postFormError(err error) error {
	if errors.Is(err, errPeekOverflow) {
		return errS3PreDataTooBig.Wrap(err, "Your POST request fields preceeding the upload file was too large.").
			With("MaxPostPreDataLengthBytes", maxPostPreData)
	}
	return errS3MalformedPOST.Wrap(err, "The body of your POST request is not well-formed multipart/form-data.")
}

// recordingReader keeps a copy of every byte read through it, up to
// maxPostPeek.
type recordingReader struct {
	r   io.Reader
	buf bytes.Buffer
}

func (rr *recordingReader) Read(p []byte) (int, error) {
	if rr.buf.Len() >= maxPostPeek {
		return 0, errPeekOverflow
	}
	n, err := rr.r.Read(p[:min(len(p), maxPostPeek-rr.buf.Len())])
	rr.buf.Write(p[:n])
	return n, err
}
