// Package awsjson is the awsJson1_0 / awsJson1_1 protocol binding: services
// describe their operations in a [Service] table keyed by the X-Amz-Target
// operation name, and the binding decodes requests, calls the operation and
// encodes the result or the AWS error.
package awsjson

import (
	"context"
	"encoding/json"
)

// Service is one awsJson API as the binding serves it.
type Service struct {
	// TargetPrefix is the X-Amz-Target prefix before the dot, e.g. "DynamoDB_20120810".
	TargetPrefix string
	// ContentType is the response content type, e.g. "application/x-amz-json-1.0".
	ContentType string
	// ErrorNamespace prefixes error codes in "__type" unless the error's
	// Def.Namespace overrides it, e.g. "com.amazonaws.dynamodb.v20120810".
	ErrorNamespace string
	// CRC32 adds the X-Amz-Crc32 header (DynamoDB sends it).
	CRC32 bool
	// Ops maps operation names (the part of X-Amz-Target after the dot) to handlers.
	Ops map[string]Op
}

// Op is one operation: it decodes its input from the JSON body and returns the
// output value to encode, or an error (an *apierr.Error for client-visible ones).
type Op struct {
	Call func(ctx context.Context, body []byte) (any, error)
}

// Operation adapts a typed operation method to an Op. The body is decoded
// into a new In with encoding/json; decode errors become
// SerializationException, or ValidationException when the error implements
// interface{ ValidationMessage() string }.
func Operation[In, Out any](fn func(context.Context, *In) (*Out, error)) Op {
	return Op{Call: func(ctx context.Context, body []byte) (any, error) {
		in := new(In)
		if len(body) > 0 {
			if err := json.Unmarshal(body, in); err != nil {
				return nil, decodeError(err)
			}
		}
		return fn(ctx, in)
	}}
}
