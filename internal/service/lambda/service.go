package lambda

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/logship"
	"github.com/fogbank/fogbank/internal/sandbox"
	"github.com/fogbank/fogbank/internal/storage"
)

// Defaults of the Options fields.
const (
	// DefaultIdleTimeout is how long a warm execution environment is kept.
	DefaultIdleTimeout = 5 * time.Minute
	// DefaultStopGrace is how long a runtime gets between SIGTERM and SIGKILL.
	DefaultStopGrace = 500 * time.Millisecond
	// NodePathEnvVar names the environment variable that, when
	// Options.NodePath is empty, gives the directory holding the
	// node_modules with the AWS SDK for JavaScript v3.
	NodePathEnvVar = "FOGBANK_LAMBDA_NODE_PATH"
	// DefaultAsyncRetryBase is the delay before the first retry of a failed
	// Event invocation; the second waits twice as long (as on AWS).
	DefaultAsyncRetryBase = time.Minute
	// AsyncRetryBaseEnvVar names the environment variable that, when
	// Options.AsyncRetryBase is zero, sets it (a Go duration such as
	// "50ms"; tests use it).
	AsyncRetryBaseEnvVar = "FOGBANK_LAMBDA_ASYNC_RETRY_BASE"
	// DefaultMaxEventAge is how long an Event invocation may wait in the
	// queue, retries included, unless the function's event invoke config
	// says otherwise.
	DefaultMaxEventAge = 6 * time.Hour
)

// MaxRequestBody is the largest Lambda API request body: a 50 MB zip,
// base64-encoded in CreateFunction's JSON, with room for the rest.
const MaxRequestBody = 70 << 20

// PathPrefixes are the API versions in Lambda's request paths.
var PathPrefixes = []string{"/2015-03-31/", "/2017-10-31/", "/2019-09-30/", "/2017-03-31/", "/2019-09-25/"}

// Credentials are the AWS credentials handed to an execution environment:
// temporary credentials of the function's role.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	// Expiration is when they stop being valid; an environment is retired
	// before that (see CredentialsDuration).
	Expiration time.Time
}

// CredentialsDuration is how long the credentials of an execution
// environment are valid, the longest an STS role session may last. An
// environment whose credentials would expire during an invocation (within
// the function's timeout plus credentialsMargin) is retired and replaced.
const CredentialsDuration = 12 * time.Hour

// credentialsMargin is how long before their expiry an environment's
// credentials stop being handed to an invocation, beyond its timeout.
const credentialsMargin = time.Minute

// Options configure the Lambda service.
type Options struct {
	// Engine stores function metadata. Required.
	Engine storage.Engine
	// Dir holds code packages, runtime shims and sandbox directories. Required.
	Dir string
	// Region and AccountID build ARNs and the functions' AWS_REGION. Required.
	Region, AccountID string
	// ServerAddr returns the server's listen address, host:port, from
	// which functions get AWS_ENDPOINT_URL; it is called at each cold
	// start, after the server listens. Required.
	ServerAddr func() string
	// Credentials issues the temporary credentials of a new execution
	// environment: a session of the role (the function's Role ARN) named
	// after the function, lasting CredentialsDuration. Required.
	Credentials func(ctx context.Context, role, sessionName string) (Credentials, error)
	// Python is the interpreter of the python runtimes; "python3" when empty.
	Python string
	// Node is the interpreter of the nodejs runtimes; "node" when empty.
	Node string
	// NodePath is the NODE_PATH of the nodejs runtimes (a node_modules
	// directory holding @aws-sdk/*); $FOGBANK_LAMBDA_NODE_PATH when empty.
	NodePath string
	// IdleTimeout is how long warm environments are kept; DefaultIdleTimeout when zero.
	IdleTimeout time.Duration
	// StopGrace is the SIGTERM-to-SIGKILL delay; DefaultStopGrace when zero.
	StopGrace time.Duration
	// LogSink receives each invocation's log (the group /aws/lambda/<name>);
	// logs are only returned by LogType Tail when nil.
	LogSink LogSink
	// AsyncRetryBase is the delay before the first retry of a failed Event
	// invocation, and the longest wait of a throttled one;
	// $FOGBANK_LAMBDA_ASYNC_RETRY_BASE or DefaultAsyncRetryBase when zero.
	AsyncRetryBase time.Duration
	// Logger receives service events; discarded when nil.
	Logger *slog.Logger
}

// EnsureDefaults fills in the zero optional fields of o.
func (o *Options) EnsureDefaults() {
	if o.Python == "" {
		o.Python = "python3"
	}
	if o.Node == "" {
		o.Node = "node"
	}
	if o.NodePath == "" {
		o.NodePath = os.Getenv(NodePathEnvVar)
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.StopGrace <= 0 {
		o.StopGrace = DefaultStopGrace
	}
	if o.AsyncRetryBase <= 0 {
		o.AsyncRetryBase, _ = time.ParseDuration(os.Getenv(AsyncRetryBaseEnvVar)) // invalid means unset
	}
	if o.AsyncRetryBase <= 0 {
		o.AsyncRetryBase = DefaultAsyncRetryBase
	}
	o.Logger = logging.OrDiscard(o.Logger)
}

// Service is the Lambda API. It is safe for concurrent use.
type Service struct {
	opts   Options
	engine storage.Engine
	logger *slog.Logger
	code   codeStore
	// runtimeDir holds the bootstrap shims (LAMBDA_RUNTIME_DIR).
	runtimeDir string
	// sandboxDir holds one directory per running environment.
	sandboxDir string
	pool       *sandbox.Pool[*environment]
	// shipper writes the function logs to Options.LogSink (nil without one).
	shipper *logship.Shipper
	// asyncWake tells the Event queue worker that an event was queued.
	asyncWake chan struct{}
	// runs counts the invocations holding a concurrency slot.
	runs sync.WaitGroup
	// functions caches the records of invoked functions by name
	// (*cachedFunction; see invokedFunction).
	functions sync.Map

	mu       sync.Mutex
	inFlight map[string]int            // running invocations by function name
	busy     map[*environment]struct{} // environments running an invocation
	closed   bool
}

// New returns the Lambda service over opts, writing the runtime shims
// under opts.Dir.
func New(opts Options) (*Service, error) {
	opts.EnsureDefaults()
	if opts.Engine == nil || opts.Dir == "" || opts.ServerAddr == nil || opts.Credentials == nil {
		return nil, errors.New("lambda: Engine, Dir, ServerAddr and Credentials are required")
	}
	s := &Service{
		opts:       opts,
		engine:     opts.Engine,
		logger:     opts.Logger,
		code:       codeStore{dir: opts.Dir},
		runtimeDir: filepath.Join(opts.Dir, "runtime"),
		sandboxDir: filepath.Join(opts.Dir, "sandboxes"),
		inFlight:   make(map[string]int),
		busy:       make(map[*environment]struct{}),
		asyncWake:  make(chan struct{}, 1),
	}
	// Sandboxes of a previous run are dead: their processes went with it.
	if err := os.RemoveAll(s.sandboxDir); err != nil {
		return nil, fmt.Errorf("lambda: %w", err)
	}
	if err := writeShims(s.runtimeDir); err != nil {
		return nil, err
	}
	s.pool = sandbox.NewPool(sandbox.PoolOptions[*environment]{IdleTimeout: opts.IdleTimeout, Stop: s.stopEnv})
	if opts.LogSink != nil {
		s.shipper = logship.New(opts.LogSink, opts.Logger)
	}
	return s, nil
}

// Close stops every execution environment (invocations still running end
// with an error) and writes the logs still queued. Stop the Event queue
// worker (RunAsync) first.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	busy := make([]*environment, 0, len(s.busy))
	for env := range s.busy {
		busy = append(busy, env)
	}
	s.mu.Unlock()
	s.pool.Close()
	var wg sync.WaitGroup
	for _, env := range busy {
		wg.Go(func() { env.rapi.Fail(errShutdown) })
	}
	wg.Wait()
	s.runs.Wait()
	s.shipper.Close()
	return nil
}

// API returns the restJson route table of the service.
func (s *Service) API() restjson.Service {
	const fn = "/2015-03-31/functions/{FunctionName}"
	const eic = "/2019-09-25/functions/{FunctionName}/event-invoke-config"
	return restjson.Service{
		MessageFields: messageFields,
		Routes: []restjson.Route{
			{Method: "POST", Pattern: "/2015-03-31/functions", Op: "CreateFunction", Call: s.CreateFunction},
			{Method: "GET", Pattern: "/2015-03-31/functions", Op: "ListFunctions", Call: s.ListFunctions},
			{Method: "GET", Pattern: fn, Op: "GetFunction", Call: s.GetFunction},
			{Method: "DELETE", Pattern: fn, Op: "DeleteFunction", Call: s.DeleteFunction},
			{Method: "GET", Pattern: fn + "/configuration", Op: "GetFunctionConfiguration", Call: s.GetFunctionConfiguration},
			{Method: "PUT", Pattern: fn + "/configuration", Op: "UpdateFunctionConfiguration", Call: s.UpdateFunctionConfiguration},
			{Method: "PUT", Pattern: fn + "/code", Op: "UpdateFunctionCode", Call: s.UpdateFunctionCode},
			{Method: "POST", Pattern: fn + "/invocations", Op: "Invoke", Call: s.Invoke},
			{Method: "POST", Pattern: fn + "/versions", Op: "PublishVersion", Call: s.PublishVersion},
			{Method: "GET", Pattern: fn + "/versions", Op: "ListVersionsByFunction", Call: s.ListVersionsByFunction},
			{Method: "POST", Pattern: fn + "/aliases", Op: "CreateAlias", Call: s.CreateAlias},
			{Method: "GET", Pattern: fn + "/aliases", Op: "ListAliases", Call: s.ListAliases},
			{Method: "GET", Pattern: fn + "/aliases/{Name}", Op: "GetAlias", Call: s.GetAlias},
			{Method: "PUT", Pattern: fn + "/aliases/{Name}", Op: "UpdateAlias", Call: s.UpdateAlias},
			{Method: "DELETE", Pattern: fn + "/aliases/{Name}", Op: "DeleteAlias", Call: s.DeleteAlias},
			{Method: "POST", Pattern: fn + "/policy", Op: "AddPermission", Call: s.AddPermission},
			{Method: "GET", Pattern: fn + "/policy", Op: "GetPolicy", Call: s.GetPolicy},
			{Method: "DELETE", Pattern: fn + "/policy/{StatementId}", Op: "RemovePermission", Call: s.RemovePermission},
			{Method: "PUT", Pattern: "/2017-10-31/functions/{FunctionName}/concurrency", Op: "PutFunctionConcurrency", Call: s.PutFunctionConcurrency},
			{Method: "DELETE", Pattern: "/2017-10-31/functions/{FunctionName}/concurrency", Op: "DeleteFunctionConcurrency", Call: s.DeleteFunctionConcurrency},
			{Method: "GET", Pattern: "/2019-09-30/functions/{FunctionName}/concurrency", Op: "GetFunctionConcurrency", Call: s.GetFunctionConcurrency},
			{Method: "PUT", Pattern: eic, Op: "PutFunctionEventInvokeConfig", Call: s.PutFunctionEventInvokeConfig},
			{Method: "POST", Pattern: eic, Op: "UpdateFunctionEventInvokeConfig", Call: s.UpdateFunctionEventInvokeConfig},
			{Method: "GET", Pattern: eic, Op: "GetFunctionEventInvokeConfig", Call: s.GetFunctionEventInvokeConfig},
			{Method: "DELETE", Pattern: eic, Op: "DeleteFunctionEventInvokeConfig", Call: s.DeleteFunctionEventInvokeConfig},
			{Method: "GET", Pattern: eic + "/list", Op: "ListFunctionEventInvokeConfigs", Call: s.ListFunctionEventInvokeConfigs},
		},
	}
}

// endpointURL turns a listen address into a URL a local process can reach:
// an unspecified host becomes 127.0.0.1.
func endpointURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// newRevisionID returns a fresh RevisionId (a UUID).
func newRevisionID() string { return newUUID() }

// newUUID returns a random version-4 UUID.
func newUUID() string { return uuid.NewString() }

// lastModified formats t as Lambda's LastModified.
func lastModified(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000-0700") }
