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
	// Address is the host[:port] that DescribeEndpoints advertises; when
	// empty, dynamodb.<Region>.amazonaws.com.
	Address string
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// Logger receives the service's logs; discarded when nil.
	Logger *slog.Logger
}

// Service implements the DynamoDB operations.
type Service struct {
	opts  Options
	meta  metaCache
	stats statsCache
	work  indexWork
}

// New returns a Service over opts.Engine.
func New(opts Options) (*Service, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Address == "" {
		opts.Address = "dynamodb." + opts.Region + ".amazonaws.com"
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
		Ops: map[string]awsjson.Op{
			"CreateTable":           awsjson.Operation(s.CreateTable),
			"DescribeTable":         awsjson.Operation(s.DescribeTable),
			"ListTables":            awsjson.Operation(s.ListTables),
			"UpdateTable":           awsjson.Operation(s.UpdateTable),
			"DeleteTable":           awsjson.Operation(s.DeleteTable),
			"TagResource":           awsjson.Operation(s.TagResource),
			"UntagResource":         awsjson.Operation(s.UntagResource),
			"ListTagsOfResource":    awsjson.Operation(s.ListTagsOfResource),
			"DescribeLimits":        awsjson.Operation(s.DescribeLimits),
			"DescribeEndpoints":     awsjson.Operation(s.DescribeEndpoints),
			"PutItem":               awsjson.Operation(s.PutItem),
			"GetItem":               awsjson.Operation(s.GetItem),
			"UpdateItem":            awsjson.Operation(s.UpdateItem),
			"DeleteItem":            awsjson.Operation(s.DeleteItem),
			"BatchGetItem":          awsjson.Operation(s.BatchGetItem),
			"BatchWriteItem":        awsjson.Operation(s.BatchWriteItem),
			"TransactGetItems":      awsjson.Operation(s.TransactGetItems),
			"TransactWriteItems":    awsjson.Operation(s.TransactWriteItems),
			"Query":                 awsjson.Operation(s.Query),
			"Scan":                  awsjson.Operation(s.Scan),
			"UpdateTimeToLive":      awsjson.Operation(s.UpdateTimeToLive),
			"DescribeTimeToLive":    awsjson.Operation(s.DescribeTimeToLive),
			"ExecuteStatement":      awsjson.Operation(s.ExecuteStatement),
			"BatchExecuteStatement": awsjson.Operation(s.BatchExecuteStatement),
			"ExecuteTransaction":    awsjson.Operation(s.ExecuteTransaction),
		},
	}
}
