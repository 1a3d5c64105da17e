package logging

import (
	"context"
	"log/slog"
	"slices"
)

// ctxKey is the context key of the request-scoped values.
type ctxKey struct{}

// values are the request-scoped values; each With... call copies them, so a
// context never sees a later change made through a derived one.
type values struct {
	requestID string
	attrs     []slog.Attr
}

func fromContext(ctx context.Context) values {
	if v, ok := ctx.Value(ctxKey{}).(*values); ok {
		return *v
	}
	return values{}
}

// WithRequestID returns a context carrying the request id; every record
// logged with it gets a request_id attribute.
func WithRequestID(ctx context.Context, id string) context.Context {
	v := fromContext(ctx)
	v.requestID = id
	return context.WithValue(ctx, ctxKey{}, &v)
}

// RequestID returns the request id carried by ctx, or "".
func RequestID(ctx context.Context) string { return fromContext(ctx).requestID }

// WithAttrs returns a context whose log records also carry attrs, after
// those already in ctx.
func WithAttrs(ctx context.Context, attrs ...slog.Attr) context.Context {
	v := fromContext(ctx)
	v.attrs = append(slices.Clip(v.attrs), attrs...)
	return context.WithValue(ctx, ctxKey{}, &v)
}
