// Package sigv2 verifies S3's legacy AWS Signature Version 2 on incoming
// requests: query-string authentication (presigned URLs with
// AWSAccessKeyId, Expires and Signature, what AWS CLI v1's `aws s3 presign`
// produces), the "Authorization: AWS AKID:signature" header, and the SigV2
// signature of a POST policy (base64 HMAC-SHA1 of the policy text).
//
// The string to sign is S3's: the method, Content-MD5, Content-Type, the
// date (Expires for a presigned URL; empty when x-amz-date is sent), the
// canonicalized x-amz-* headers (for a presigned URL also x-amz-* query
// parameters, which botocore moves there), and the canonicalized resource
// with the subresources S3 signs. The caller supplies the candidate
// resource paths ("/bucket/key" as sent), since only it knows how a
// virtual host maps to a bucket.
//
// Failures are [*Error] values whose Kind is one of the Err* sentinels;
// protocol bindings map them to S3's error codes. Like package sigv4, it
// neither reads bodies nor evaluates policy.
package sigv2
