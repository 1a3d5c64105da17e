// Package dynamodb is Fogbank's DynamoDB-compatible API: tables and items
// stored through the storage seam, served over the awsJson1_0 protocol.
package dynamodb

import (
	"log/slog"
	"time"

	"github.com/fogbank/fogbank/internal/awsproto/awsjson"
	"github.com/fogbank/fogbank/internal/storage"
)

// Options configure a Service.
type Options struct {
	// Engine stores tables and items.
	Engine storage.Engine
	// Region is the AWS region in ARNs, e.g. "us-east-1".
	Region string
	// AccountID is the 12-digit account id in ARNs.
	AccountID string
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// Logger receives the service's logs; discarded when nil.
	Logger *slog.Logger
}

// Service implements the DynamoDB operations.
type Service struct {
	opts Options
}

// New returns a Service over opts.Engine.
func New(opts Options) (*Service, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{opts: opts}, nil
}

// API returns the awsJson operation table that the front door serves.
func (s *Service) API() awsjson.Service {
	return awsjson.Service{
		TargetPrefix:   "DynamoDB_20120810",
		ContentType:    "application/x-amz-json-1.0",
		ErrorNamespace: "com.amazonaws.dynamodb.v20120810",
		CRC32:          true,
		Ops:            map[string]awsjson.Op{},
	}
}
