package logs

import (
	"errors"
	"log/slog"
	"time"

	"github.com/fogbank/fogbank/internal/awsproto/awsjson"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/storage"
)

// Options configure a Service.
type Options struct {
	// Engine stores groups, streams and events. Required.
	Engine storage.Engine
	// Region and AccountID build ARNs. Required.
	Region, AccountID string
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// Logger receives the service's logs; discarded when nil.
	Logger *slog.Logger
}

// Service implements the CloudWatch Logs operations. It is safe for
// concurrent use.
type Service struct {
	opts   Options
	engine storage.Engine
}

// New returns a Service over opts.Engine.
func New(opts Options) (*Service, error) {
	if opts.Engine == nil || opts.Region == "" || opts.AccountID == "" {
		return nil, errors.New("logs: Engine, Region and AccountID are required")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Logger = logging.OrDiscard(opts.Logger)
	return &Service{opts: opts, engine: opts.Engine}, nil
}

// API returns the awsJson operation table that the front door serves.
func (s *Service) API() awsjson.Service {
	return awsjson.Service{
		TargetPrefix:   "Logs_20140328",
		ContentType:    "application/x-amz-json-1.1",
		ErrorNamespace: "com.amazonaws.logs",
		Ops: map[string]awsjson.Op{
			"CreateLogGroup":     awsjson.Operation(s.CreateLogGroup),
			"DeleteLogGroup":     awsjson.Operation(s.DeleteLogGroup),
			"DescribeLogGroups":  awsjson.Operation(s.DescribeLogGroups),
			"CreateLogStream":    awsjson.Operation(s.CreateLogStream),
			"DeleteLogStream":    awsjson.Operation(s.DeleteLogStream),
			"DescribeLogStreams": awsjson.Operation(s.DescribeLogStreams),
			"PutLogEvents":       awsjson.Operation(s.PutLogEvents),
			"GetLogEvents":       awsjson.Operation(s.GetLogEvents),
			"FilterLogEvents":    awsjson.Operation(s.FilterLogEvents),
		},
	}
}

// nowMillis returns the current time in epoch milliseconds.
func (s *Service) nowMillis() int64 { return s.opts.Now().UnixMilli() }

// groupARN returns the ARN of a log group, without the ":*" suffix.
func (s *Service) groupARN(group string) string {
	return "arn:aws:logs:" + s.opts.Region + ":" + s.opts.AccountID + ":log-group:" + group
}
