// Package logging is Fogbank's log/slog setup: the handler choice (text or
// JSON, level), request-scoped values carried in a context (request id and
// log attributes), and a wrapping handler that adds those values to every
// record logged with a ...Context call.
//
// Library code takes a *slog.Logger in its Options and never calls
// slog.Default; only the composition root (app, cli) builds a logger with
// [New].
package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Common attribute keys, so that every component logs the same names.
const (
	// KeyRequestID is the request id assigned by the front door.
	KeyRequestID = "request_id"
	// KeyService is the AWS service a request was routed to, e.g. "dynamodb".
	KeyService = "service"
	// KeyOp is the AWS operation name, e.g. "GetItem".
	KeyOp = "op"
	// KeyPrincipal is the authenticated access key id.
	KeyPrincipal = "principal"
	// KeyComponent names the component that logged, e.g. "server".
	KeyComponent = "component"
	// KeyErr holds an error.
	KeyErr = "err"
)

// Format selects the log encoding.
type Format string

const (
	// FormatText is slog's key=value text encoding, for terminals.
	FormatText Format = "text"
	// FormatJSON is one JSON object per line, for log collectors.
	FormatJSON Format = "json"
)

// ParseLevel parses "debug", "info", "warn" or "error" (any case).
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.TrimSpace(s))); err != nil {
		return 0, fmt.Errorf("logging: level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

// New returns a logger writing to w in the given format at the given level,
// whose records carry the request-scoped attributes of their context.
func New(w io.Writer, format Format, level slog.Leveler) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	if format == FormatJSON {
		h = slog.NewJSONHandler(w, opts)
	} else {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(NewContextHandler(h))
}

// Discard returns a logger that drops everything, for nil Logger options.
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// OrDiscard returns l, or a discarding logger when l is nil.
func OrDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return Discard()
	}
	return l
}

// ContextHandler wraps a handler and adds the request id and attributes
// stored in the record's context (see [WithRequestID] and [WithAttrs]).
type ContextHandler struct {
	inner slog.Handler
}

// NewContextHandler returns a ContextHandler around inner.
func NewContextHandler(inner slog.Handler) *ContextHandler {
	return &ContextHandler{inner: inner}
}

// Enabled reports whether the inner handler handles level.
func (h *ContextHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

// Handle adds the context's attributes to r and passes it on.
func (h *ContextHandler) Handle(ctx context.Context, r slog.Record) error {
	if v, ok := ctx.Value(ctxKey{}).(*values); ok {
		if v.requestID != "" {
			r.AddAttrs(slog.String(KeyRequestID, v.requestID))
		}
		r.AddAttrs(v.attrs...)
	}
	return h.inner.Handle(ctx, r)
}

// WithAttrs returns a handler whose records also carry attrs.
func (h *ContextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &ContextHandler{inner: h.inner.WithAttrs(attrs)}
}

// WithGroup returns a handler that nests later attributes under name.
func (h *ContextHandler) WithGroup(name string) slog.Handler {
	return &ContextHandler{inner: h.inner.WithGroup(name)}
}

var _ slog.Handler = (*ContextHandler)(nil)
