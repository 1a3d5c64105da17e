// Package sigv4 verifies AWS Signature Version 4 on incoming HTTP requests.
//
// It is the server half of SigV4: given a request signed by an AWS SDK (or any
// other SigV4 signer), [Verifier.Verify] rebuilds the canonical request and the
// string to sign, derives the signing key from the secret that
// [Verifier.Lookup] returns for the access key, and compares signatures in
// constant time. Both forms of SigV4 are accepted: the Authorization header
// and presigned query parameters (X-Amz-Signature and friends, used by S3).
// [Verifier.VerifyPost] checks the other SigV4 S3 knows: the signature of a
// browser upload form's policy (post.go).
//
// What it is not: it does not read or hash request bodies (the caller passes
// the payload hash, see [HashPayload]), it does not decode aws-chunked
// streaming bodies, it does not evaluate IAM policy, and it does not know the
// wire error format of any protocol. Failures are [*Error] values whose Kind
// is one of the Err* sentinels and whose Message holds the text AWS sends to
// clients; protocol bindings map the Kind to their own error code.
//
// Canonicalisation follows the AWS documentation and the aws-c-auth signing
// test suite (testdata/aws-signing-test-suite): non-S3 services URI-encode
// the escaped path a second time after removing dot segments and empty
// segments; S3 ([Options].SingleEncode) uses the escaped path as sent.
//
// Temporary credentials: a [Credential] with a SessionToken accepts only
// requests carrying that token (X-Amz-Security-Token, header or presigned
// query; [ErrInvalidToken] otherwise), and one with Expires is refused
// with [ErrExpiredToken] from then on.
//
// A [Verifier] caches derived signing keys, so it must not be copied after
// first use. It is safe for concurrent use. The package has a single mutex
// (the key cache), so there is no lock order to observe.
package sigv4
