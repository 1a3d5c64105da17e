// Package authorizer holds the API Gateway authorizers that do not depend
// on the kind of API: a JWT verifier ([Verifier], the JWT authorizers of
// HTTP APIs, and the Cognito user pool authorizers of REST APIs, which
// accept any audience with JWTConfig.AnyAudience) over a
// [KeySource] of signing keys, and the Lambda authorizer machinery
// ([Caller]: a result cache keyed by identity values, response parsing for
// simple and IAM policy responses, policy evaluation against an
// execute-api ARN).
//
// Keys come through [KeySource] so that an in-process identity provider
// (the Cognito service, later) can serve its keys without HTTP; [OIDCKeys]
// fetches them over HTTP by OpenID discovery
// (<issuer>/.well-known/openid-configuration → jwks_uri), caching each
// issuer's set and fetching it again when a token names an unknown key id
// (at most once per MinRefresh).
//
// Verification: the signature with an asymmetric algorithm (RS*, PS*,
// ES*, EdDSA; "none" and HMAC are refused), exp and nbf with a small
// leeway, iss exactly, aud — or client_id when the token has no aud, as
// Cognito access tokens — among the configured audiences. Errors are
// [*Error] values carrying AWS's 401/403 distinction and the
// www-authenticate description.
package authorizer
