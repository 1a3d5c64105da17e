// Package apierr is the AWS error model shared by every service and protocol
// binding: a modeled error definition ([Def]) declared once per service, and the
// error value ([Error]) that a protocol binding serializes onto the wire.
//
// Services return *Error for anything the client should see; any other error
// reaching a binding is a server fault, logged and answered with a generic 500.
package apierr

import (
	"errors"
	"fmt"
)

// Fault says who is to blame for an error, as in smithy.ErrorFault.
type Fault uint8

const (
	// FaultClient marks errors caused by the request (4xx).
	FaultClient Fault = iota
	// FaultServer marks errors caused by the server (5xx).
	FaultServer
)

// Def is one modeled AWS error: its code, HTTP status and fault. Services
// declare their Defs once, in their errors.go.
type Def struct {
	// Code is the AWS error code, e.g. "ResourceNotFoundException".
	Code string
	// Status is the HTTP status the error is sent with.
	Status int
	// Fault is FaultClient for 4xx errors and FaultServer for 5xx.
	Fault Fault
	// Namespace, when set, overrides the binding's default namespace in
	// awsJson's "__type" (e.g. "com.amazon.coral.validate").
	Namespace string
}

// Error is an AWS API error as it appears on the wire.
type Error struct {
	Def
	// Message is the AWS-worded, user-visible message.
	Message string
	// MessageField is the JSON member that carries Message; "message" when empty.
	// TransactionCanceledException uses "Message".
	MessageField string
	// Fields are extra members serialized beside the message, such as
	// CancellationReasons or Item.
	Fields map[string]any
	// Err is the cause: logged, never serialized.
	Err error
}

// New returns an Error of this definition with the given message.
func (d Def) New(msg string) *Error { return &Error{Def: d, Message: msg} }

// Newf returns an Error of this definition with a formatted message.
func (d Def) Newf(format string, args ...any) *Error {
	return &Error{Def: d, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an Error of this definition with the given message and cause.
func (d Def) Wrap(err error, msg string) *Error { return &Error{Def: d, Message: msg, Err: err} }

// Is reports whether err is an *Error of this definition's code.
func (d Def) Is(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == d.Code
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the AWS error code.
func (e *Error) ErrorCode() string { return e.Code }

// ErrorMessage returns the user-visible message.
func (e *Error) ErrorMessage() string { return e.Message }

// With returns a copy of e with an extra member set.
func (e *Error) With(field string, value any) *Error {
	c := *e
	c.Fields = make(map[string]any, len(e.Fields)+1)
	for k, v := range e.Fields {
		c.Fields[k] = v
	}
	c.Fields[field] = value
	return &c
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Visible returns the error a protocol binding sends for err: the *Error in
// err's chain, or fallback when there is none (its cause is never sent).
// fault reports a server-side failure the binding must log: any error
// without an *Error, or one with FaultServer or a 5xx status.
func Visible(err error, fallback *Error) (e *Error, fault bool) {
	if e, ok := As(err); ok {
		return e, e.Fault == FaultServer || e.Status >= 500
	}
	return fallback, true
}
