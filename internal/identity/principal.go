package identity

import "context"

// Principal is the caller a request was authenticated as.
type Principal struct {
	// AccessKeyID is the access key the request was signed with. In dev
	// mode it is whatever key the request named, verified or not.
	AccessKeyID string
	// ARN is the principal of temporary credentials,
	// arn:aws:sts::<account>:assumed-role/<role>/<session>; empty for the
	// root key and in dev mode.
	ARN string
}

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFromContext returns the principal carried by ctx; ok is false
// for an anonymous request.
func PrincipalFromContext(ctx context.Context) (p Principal, ok bool) {
	p, ok = ctx.Value(principalKey{}).(Principal)
	return p, ok
}
