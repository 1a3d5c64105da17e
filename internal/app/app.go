// Package app is Fogbank's composition root: the only package that knows
// every concrete component. New builds them in dependency order (storage
// engine, identity, services, front door), Start serves and starts the
// background work, and Close tears everything down in reverse order.
//
// New does what it can side by side, since every millisecond of a cold
// start counts: it binds the listening socket and prepares the S3 files
// while the store opens, and builds the services while the root key is
// stored (on a first start, that waits for the new store to be durable).
// The socket is bound first so that connections arriving during start-up
// wait in its queue until Start serves them; a health check answers only
// once everything is built.
//
// The storage engine is the embedded Pebble engine in the data directory, or
// the PostgreSQL engine when the config names a database; several nodes can
// share one such database. Background work (the DynamoDB TTL sweeper, the
// S3 lifecycle worker) runs under a lease (package lease), so that with several nodes one of them does
// it at a time.
//
// Both the fogbank binary (internal/cli) and the test harness
// (internal/fogtest) run the server through this package, so tests exercise
// the same wiring as production.
package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/fogbank/fogbank/internal/config"
	"github.com/fogbank/fogbank/internal/gateway"
	"github.com/fogbank/fogbank/internal/gateway/authorizer"
	"github.com/fogbank/fogbank/internal/identity"
	"github.com/fogbank/fogbank/internal/lease"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/metrics"
	"github.com/fogbank/fogbank/internal/server"
	"github.com/fogbank/fogbank/internal/service/apigateway"
	"github.com/fogbank/fogbank/internal/service/apigatewayv2"
	"github.com/fogbank/fogbank/internal/service/dynamodb"
	"github.com/fogbank/fogbank/internal/service/lambda"
	"github.com/fogbank/fogbank/internal/service/logs"
	"github.com/fogbank/fogbank/internal/service/s3"
	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/pebble"
	"github.com/fogbank/fogbank/internal/storage/postgres"
	"github.com/fogbank/fogbank/internal/website"
)

// StorageDirName is the data-directory subdirectory holding the storage
// engine's files.
const StorageDirName = "db"

// storageOpenTimeout bounds connecting to and migrating a PostgreSQL
// database at start-up.
const storageOpenTimeout = 30 * time.Second

// Errors New wraps when the storage engine cannot be opened.
var (
	// ErrStorageUnreachable: the configured database cannot be reached.
	ErrStorageUnreachable = postgres.ErrUnreachable
	// ErrStorageSchemaTooNew: the database was migrated by a newer Fogbank.
	ErrStorageSchemaTooNew = postgres.ErrSchemaTooNew
)

// App is a fully wired Fogbank server.
type App struct {
	cfg      config.Config
	logger   *slog.Logger
	engine   storage.Engine
	identity *identity.Store
	dynamodb *dynamodb.Service
	lambda   *lambda.Service
	logs     *logs.Service
	s3       *s3.Service
	// apigatewayv2 and gateway are the HTTP APIs' control and data planes;
	// apigateway is the REST APIs' control plane (gateway serves both).
	apigatewayv2 *apigatewayv2.Service
	apigateway   *apigateway.Service
	gateway      *gateway.Handler
	userPoolKeys authorizer.KeySource // Cognito user pools' keys, for the gateway
	website      *website.Handler     // bucket websites, over the S3 service
	metrics      *metrics.Registry
	server       *server.Server
	leases       *lease.Manager
	// stopBackground cancels the background work that Start began, and
	// background is closed when it has all returned; both nil before Start.
	stopBackground context.CancelFunc
	background     chan struct{}
}

// options are the optional inputs of New.
type options struct {
	logger       *slog.Logger
	notice       io.Writer
	userPoolKeys authorizer.KeySource // see WithUserPoolKeys
}

// Option customises New.
type Option func(*options)

// WithLogger sets the logger of every component, replacing the one built
// from the config's log level and format (on stderr).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithNotice sets where freshly generated root credentials are announced;
// os.Stderr by default.
func WithNotice(w io.Writer) Option { return func(o *options) { o.notice = w } }

// New validates cfg, binds the listening socket and builds every
// component; nothing is served until Start. On error, whatever was built is
// closed again.
func New(ctx context.Context, cfg config.Config, opts ...Option) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	o := options{notice: os.Stderr}
	for _, opt := range opts {
		opt(&o)
	}
	if o.logger == nil {
		l, err := NewLogger(cfg, os.Stderr)
		if err != nil {
			return nil, err
		}
		o.logger = l
	}
	a := &App{cfg: cfg, logger: o.logger, metrics: metrics.New(), userPoolKeys: o.userPoolKeys}
	if err := a.build(ctx, o); err != nil {
		return nil, errors.Join(err, a.closeServices(ctx), a.closeEngine())
	}
	return a, nil
}

// build constructs the components in dependency order.
func (a *App) build(ctx context.Context, o options) error {
	if err := os.MkdirAll(a.cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("app: create data dir: %w", err)
	}
	// The socket and the S3 files do not need the store: open them (on a
	// first start, create and sync the master key) while the store opens.
	// Bound this early, the socket queues the connections that arrive
	// while the server is being built; Start serves them.
	awaitListener := goResult(func() (net.Listener, error) { return server.Listen(ctx, a.cfg.Listen) })
	defer a.closeUnusedListener(awaitListener)
	awaitS3Files := goResult(a.openS3Files)
	defer awaitS3Files() // not to leave it running if New fails before S3
	engine, err := a.openEngine(ctx)
	if err != nil {
		return err
	}
	a.engine = engine
	a.leases, err = lease.New(engine, lease.Options{Owner: nodeID(), Logger: a.component("lease")})
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	// Storing the root key waits for the store to be durable (on a first
	// start, for its creation): build the services meanwhile.
	awaitIdentity := goResult(func() (*identity.Store, error) { return a.newIdentity(ctx, engine, o) })
	s3Service, err := a.buildServices(engine, awaitS3Files)
	var idErr error
	a.identity, idErr = awaitIdentity()
	if err := errors.Join(err, idErr); err != nil {
		return err
	}
	ln, err := awaitListener()
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	a.server, err = server.New(server.Options{
		Listen:         a.cfg.Listen,
		Listener:       ln,
		Region:         a.cfg.Region,
		Dev:            a.cfg.Dev,
		Lookup:         newCredentialCache(a.identity.Lookup, time.Now).Lookup,
		MaxRequestBody: int64(a.cfg.MaxRequestBody),
		Limits:         server.Limits{MaxInFlight: a.cfg.MaxInFlight, MaxQueue: a.cfg.MaxQueue, QueueTimeout: time.Duration(a.cfg.QueueTimeout)},
		JSONServices:   []server.JSONService{{SigningName: "dynamodb", API: a.dynamodb.API()}, logsJSON(a.logs)},
		RESTServices:   append(lambdaREST(a.lambda), apiGatewayREST(a.apigatewayv2), restAPIsREST(a.apigateway)),
		S3:             s3Service,
		Gateway:        a.gatewayRoute(),
		Website:        a.websiteRoute(),
		Logger:         a.logger,
	})
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	return nil
}

// closeUnusedListener closes the socket that build opened unless the
// server, which then closes it, was built.
func (a *App) closeUnusedListener(awaitListener func() (net.Listener, error)) {
	if ln, err := awaitListener(); err == nil && a.server == nil {
		_ = ln.Close()
	}
}

// newIdentity opens the identity store, storing or generating the root key.
func (a *App) newIdentity(ctx context.Context, engine storage.Engine, o options) (*identity.Store, error) {
	store, err := identity.New(ctx, identity.Options{
		Engine:              engine,
		DataDir:             a.cfg.DataDir,
		RootAccessKeyID:     a.cfg.RootAccessKeyID,
		RootSecretAccessKey: a.cfg.RootSecretAccessKey,
		Notice:              o.notice,
		Logger:              a.component("identity"),
	})
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return store, nil
}

// buildServices builds the AWS services over engine, and the gateway and
// website data planes over them, S3 last since it waits for s3Files; it
// returns the S3 service.
func (a *App) buildServices(engine storage.Engine, s3Files func() (s3Files, error)) (*s3.Service, error) {
	var err error
	a.dynamodb, err = dynamodb.New(dynamodb.Options{
		Engine:    engine,
		Region:    a.cfg.Region,
		AccountID: a.cfg.AccountID,
		Logger:    a.component("dynamodb"),
	})
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	if a.logs, err = a.newLogs(engine); err != nil {
		return nil, err
	}
	if a.lambda, err = a.newLambda(engine); err != nil {
		return nil, err
	}
	if err := a.newRESTAPIs(engine); err != nil {
		return nil, err
	}
	if err := a.newAPIGateway(engine); err != nil {
		return nil, err
	}
	files, err := s3Files()
	if err != nil {
		return nil, err
	}
	s3Service, err := a.newS3(engine, files)
	if err != nil {
		return nil, err
	}
	if err := a.newWebsite(s3Service); err != nil {
		return nil, err
	}
	return s3Service, nil
}

// openEngine opens the storage engine the config selects.
func (a *App) openEngine(ctx context.Context) (storage.Engine, error) {
	logger := a.component("storage")
	if a.cfg.StorageKind() == config.StoragePostgres {
		ctx, cancel := context.WithTimeout(ctx, storageOpenTimeout)
		defer cancel()
		engine, err := postgres.Open(ctx, a.cfg.Storage, postgres.Options{Logger: logger, Schema: a.cfg.StorageSchema})
		if err != nil {
			return nil, fmt.Errorf("app: %w", err)
		}
		return engine, nil
	}
	engine, err := pebble.Open(filepath.Join(a.cfg.DataDir, StorageDirName), pebble.Options{Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return engine, nil
}

// goResult runs f in a new goroutine and returns a function that waits for
// its results.
func goResult[T any](f func() (T, error)) func() (T, error) {
	var v T
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		v, err = f()
	}()
	return func() (T, error) {
		<-done
		return v, err
	}
}

// nodeID returns an owner id for this process's leases, unique among the
// nodes sharing a database: host name, process id and a random suffix.
func nodeID() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown-host"
	}
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), rand.Text()[:8])
}

func (a *App) component(name string) *slog.Logger {
	return a.logger.With(logging.KeyComponent, name)
}

// Start serves in the background on the socket New bound, and starts the
// background work.
func (a *App) Start(ctx context.Context) error {
	if err := a.server.Start(ctx); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	a.startBackground(ctx)
	return nil
}

// ttlLease names the lease under which one node at a time sweeps expired
// DynamoDB items.
const ttlLease = "dynamodb/ttl"

// startBackground starts the work that runs beside the requests, each unit
// under its lease, until Close.
func (a *App) startBackground(ctx context.Context) {
	ctx, a.stopBackground = context.WithCancel(context.WithoutCancel(ctx))
	a.background = make(chan struct{})
	interval := time.Duration(a.cfg.TTLInterval)
	go func() {
		defer close(a.background)
		collector := a.startS3Collector(ctx)
		defer func() { <-collector }()
		lifecycle := a.startS3Lifecycle(ctx)
		defer func() { <-lifecycle }()
		lambdaAsync := a.startLambdaAsync(ctx)
		defer func() { <-lambdaAsync }()
		err := a.leases.Run(ctx, ttlLease, func(ctx context.Context) error {
			return a.dynamodb.RunTTL(ctx, interval)
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			a.logger.ErrorContext(ctx, "background work stopped", slog.String("lease", ttlLease), slog.Any(logging.KeyErr, err))
		}
	}()
}

// stopBackgroundWork cancels the background work and waits for it, which
// releases its leases so that another node can take them at once.
func (a *App) stopBackgroundWork() {
	if a.stopBackground == nil {
		return
	}
	a.stopBackground()
	<-a.background
	a.stopBackground = nil
}

// Addr returns the address the server listens on, with the actual port
// when the config asked for port 0.
func (a *App) Addr() string { return a.server.Addr() }

// Config returns the configuration the app runs with.
func (a *App) Config() config.Config { return a.cfg }

// RootAccessKeyID returns the root access key id (never the secret).
func (a *App) RootAccessKeyID() string { return a.identity.Root().AccessKeyID }

// CredentialsFile returns the path of the shared-credentials file holding
// the root key.
func (a *App) CredentialsFile() string {
	return filepath.Join(a.cfg.DataDir, identity.CredentialsFileName)
}

// Storage describes the storage engine for logs: the Pebble directory, or
// the PostgreSQL connection string with its password redacted and the
// schema.
func (a *App) Storage() string {
	if a.cfg.StorageKind() == config.StoragePostgres {
		return postgres.RedactConnString(a.cfg.Storage) + " schema=" + a.cfg.StorageSchema
	}
	return "pebble:" + filepath.Join(a.cfg.DataDir, StorageDirName)
}

// Close stops the server, draining in-flight requests until ctx ends, stops
// the background work and then closes the storage engine.
func (a *App) Close(ctx context.Context) error {
	var err error
	if a.server != nil {
		err = a.server.Close(ctx)
	}
	a.stopBackgroundWork()
	return errors.Join(err, a.closeServices(ctx), a.closeEngine())
}

// closeServices stops the services' own background work (function
// sandboxes, index backfills) before the engine they write to closes.
func (a *App) closeServices(ctx context.Context) error {
	var err error
	if a.dynamodb != nil {
		err = a.dynamodb.Close(ctx)
	}
	err = errors.Join(err, a.closeLambda())
	a.closeGateway()
	return err
}

func (a *App) closeEngine() error {
	if a.engine == nil {
		return nil
	}
	err := a.engine.Close()
	a.engine = nil
	if err != nil {
		return fmt.Errorf("app: close storage: %w", err)
	}
	return nil
}

// NewLogger builds the logger the config asks for, writing to w: its level,
// and text or JSON (auto: text when w is a terminal).
func NewLogger(cfg config.Config, w io.Writer) (*slog.Logger, error) {
	level, err := logging.ParseLevel(cfg.LogLevel)
	if err != nil {
		return nil, err
	}
	format := logging.FormatJSON
	if cfg.LogFormat == config.LogFormatText || (cfg.LogFormat == config.LogFormatAuto && isTerminal(w)) {
		format = logging.FormatText
	}
	return logging.New(w, format, level), nil
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
