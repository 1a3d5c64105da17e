// Package fogtest is the test harness for everything above the storage
// engine: it runs the whole Fogbank app in-process on 127.0.0.1 with a
// temporary data directory and fixed, known root credentials, and hands out
// aws-sdk-go-v2 clients pointed at it.
//
//	func TestGetItemUnknownTable(t *testing.T) {
//		t.Parallel()
//		ddb := fogtest.Start(t).DynamoDB()
//		_, err := ddb.GetItem(t.Context(), &dynamodb.GetItemInput{...})
//		var rnf *types.ResourceNotFoundException
//		if !errors.As(err, &rnf) { ... }
//	}
//
// Each Start is independent (its own port and data directory), so tests may
// run in parallel. Server logs go to the test's output (t.Output), shown
// only when the test fails or with -v.
//
// The storage engine is the embedded Pebble engine, or PostgreSQL when the
// environment variable FOGBANK_TEST_STORAGE is "postgres": each server then
// gets a fresh schema of the test database that package pgtest names
// (FOGBANK_TEST_POSTGRES), dropped when the test ends. So
//
//	FOGBANK_TEST_STORAGE=postgres go test ./internal/service/dynamodb/...
//
// runs a package's server tests on PostgreSQL. WithStorageOf starts a
// second node on the same database.
package fogtest

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/fogbank/fogbank/internal/app"
	"github.com/fogbank/fogbank/internal/config"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/storage/postgres/pgtest"
)

// The fixed root credentials and region of every test server.
const (
	// AccessKeyID is the root access key id.
	AccessKeyID = "AKIAFOGBANKTESTROOT0"
	// SecretAccessKey is the root secret.
	SecretAccessKey = "fogbank/test/secret/key/0000000000000000"
	// Region is the server's region.
	Region = "us-east-1"
)

// closeTimeout bounds the graceful shutdown at test cleanup.
const closeTimeout = 10 * time.Second

// StorageEnvVar names the environment variable that picks the storage
// engine of test servers: "" or "pebble" for the embedded engine,
// "postgres" for a fresh schema of the pgtest database.
const StorageEnvVar = "FOGBANK_TEST_STORAGE"

// settings are what the Options change.
type settings struct {
	tb        testing.TB
	postgres  bool // PostgreSQL storage whatever StorageEnvVar says
	dataDir   string
	env       map[string]string
	configure []func(*config.Config)
	appOpts   []app.Option // extra options of app.New
}

// Option customises Start.
type Option func(*settings)

// WithDev starts the server in dev mode: any credentials, or none, are
// accepted.
func WithDev() Option { return func(s *settings) { s.env[config.EnvName("dev")] = "true" } }

// WithDataDir uses dir instead of a fresh t.TempDir, for example to start a
// second server on the data of a closed one (on PostgreSQL, the schema of
// the server that used dir before).
func WithDataDir(dir string) Option { return func(s *settings) { s.dataDir = dir } }

// WithConfig lets fn adjust the configuration before the app is built
// (after the environment has been applied).
func WithConfig(fn func(*config.Config)) Option {
	return func(s *settings) { s.configure = append(s.configure, fn) }
}

// WithStorageOf starts the server on the storage of other, as a second node
// of one deployment. Only PostgreSQL storage can be shared: with the
// embedded engine the test is skipped.
func WithStorageOf(other *Server) Option {
	return func(s *settings) {
		if other.cfg.StorageKind() != config.StoragePostgres {
			s.tb.Skipf("fogtest: several nodes need shared storage; set %s=postgres", StorageEnvVar)
		}
		s.env[config.EnvName("storage")] = other.cfg.Storage
		s.env[config.EnvName("storage-schema")] = other.cfg.StorageSchema
	}
}

// WithPostgres stores the server's data in a fresh schema of the pgtest
// database whatever StorageEnvVar says; the test is skipped when
// FOGBANK_TEST_POSTGRES is unset (and fails under CI=true).
func WithPostgres() Option { return func(s *settings) { s.postgres = true } }

// UsesPostgres reports whether test servers store their data in PostgreSQL
// (StorageEnvVar is "postgres").
func UsesPostgres() bool { return os.Getenv(StorageEnvVar) == "postgres" }

// schemas maps the data directory of each server started on PostgreSQL to
// its schema, so that a server started later WithDataDir finds the data of
// the one that used the directory before.
var schemas sync.Map

// storageEnv returns the environment that selects the storage engine
// StorageEnvVar asks for (PostgreSQL when postgres is set), for a server
// with the given data directory.
func storageEnv(tb testing.TB, dataDir string, postgres bool) map[string]string {
	tb.Helper()
	kind := os.Getenv(StorageEnvVar)
	if postgres {
		kind = "postgres"
	}
	switch kind {
	case "", "pebble":
		return nil
	case "postgres":
		connString := pgtest.ConnString(tb)
		schema, ok := schemas.Load(dataDir)
		if !ok {
			schema = pgtest.NewSchema(tb)
			schemas.Store(dataDir, schema)
		}
		return map[string]string{
			config.EnvName("storage"):        connString,
			config.EnvName("storage-schema"): schema.(string),
		}
	default:
		tb.Fatalf("fogtest: %s=%q: want pebble or postgres", StorageEnvVar, kind)
		return nil
	}
}

// Server is a running in-process Fogbank.
type Server struct {
	tb        testing.TB
	cfg       config.Config
	appOpts   []app.Option
	app       *app.App
	transport *http.Transport
}

// Start builds and starts the whole app and registers its Close with
// tb.Cleanup. It fails the test if the server cannot start.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	st := settings{tb: tb, env: map[string]string{
		config.EnvName("listen"):                 "127.0.0.1:0",
		config.EnvName("region"):                 Region,
		config.EnvName("log-level"):              "debug",
		config.EnvName("root-access-key-id"):     AccessKeyID,
		config.EnvName("root-secret-access-key"): SecretAccessKey,
	}}
	for _, opt := range opts {
		opt(&st)
	}
	if st.dataDir == "" {
		st.dataDir = tb.TempDir()
	}
	if _, shared := st.env[config.EnvName("storage")]; !shared {
		maps.Copy(st.env, storageEnv(tb, st.dataDir, st.postgres))
	}
	st.env[config.EnvName("data-dir")] = st.dataDir
	cfg, err := config.Load("", func(k string) (string, bool) { v, ok := st.env[k]; return v, ok }, nil)
	if err != nil {
		tb.Fatalf("fogtest: %v", err)
	}
	for _, fn := range st.configure {
		fn(&cfg)
	}
	s := &Server{tb: tb, cfg: cfg, appOpts: st.appOpts, transport: http.DefaultTransport.(*http.Transport).Clone()}
	s.start()
	tb.Cleanup(s.Close)
	return s
}

// start builds the app from s.cfg and starts it, failing the test on error.
func (s *Server) start() {
	s.tb.Helper()
	if err := s.tryStart(); err != nil {
		s.tb.Fatalf("fogtest: %v", err)
	}
}

// tryStart builds the app from s.cfg and starts it.
func (s *Server) tryStart() error {
	ctx := context.Background()
	opts := append([]app.Option{app.WithLogger(logging.New(s.tb.Output(), logging.FormatText, logLevel(s.cfg))),
		app.WithNotice(s.tb.Output())}, s.appOpts...)
	a, err := app.New(ctx, s.cfg, opts...)
	if err != nil {
		return err
	}
	if err := a.Start(ctx); err != nil {
		return errors.Join(err, a.Close(ctx))
	}
	s.app = a
	return nil
}

func logLevel(cfg config.Config) slog.Level {
	l, _ := logging.ParseLevel(cfg.LogLevel) // validated by config.Load
	return l
}

// Close shuts the server down (idempotent). Start registers it as a test
// cleanup; call it directly to close early, e.g. before reopening the data
// directory with WithDataDir.
func (s *Server) Close() {
	s.tb.Helper()
	if s.app == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	err := s.app.Close(ctx)
	s.app = nil
	s.transport.CloseIdleConnections()
	if err != nil {
		s.tb.Errorf("fogtest: close: %v", err)
	}
}

// Restart closes the server and starts it again on the same data directory
// and, when it is still free, the same address; clients made before keep
// working. Its URL may change if the port was taken meanwhile.
func (s *Server) Restart() {
	s.tb.Helper()
	addr := s.Addr()
	s.Close()
	s.cfg.Listen = addr
	if s.tryStart() == nil {
		return
	}
	s.cfg.Listen = "127.0.0.1:0"
	s.start()
}

// Addr returns the host:port the server listens on; only valid while the
// server runs (not after Close).
func (s *Server) Addr() string { return s.app.Addr() }

// URL returns the server's base URL, e.g. "http://127.0.0.1:40123".
func (s *Server) URL() string { return "http://" + s.Addr() }

// DataDir returns the server's data directory.
func (s *Server) DataDir() string { return s.cfg.DataDir }

// Config returns the configuration the server runs with.
func (s *Server) Config() config.Config { return s.cfg }

// HTTPClient returns the HTTP client the SDK clients use; its idle
// connections are closed with the server.
func (s *Server) HTTPClient() *http.Client { return &http.Client{Transport: s.transport} }

// AWSConfig returns an SDK config for this server: the root credentials,
// the region and the server's URL as BaseEndpoint. It reads nothing from
// the environment or ~/.aws.
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
		BaseEndpoint: aws.String(s.URL()),
		HTTPClient:   s.HTTPClient(),
	}
}

// DynamoDB returns a DynamoDB client for this server; optFns adjust it
// (e.g. o.RetryMaxAttempts = 1).
func (s *Server) DynamoDB(optFns ...func(*dynamodb.Options)) *dynamodb.Client {
	return dynamodb.NewFromConfig(s.AWSConfig(), optFns...)
}

// Lambda returns a Lambda client for this server; optFns adjust it.
func (s *Server) Lambda(optFns ...func(*lambda.Options)) *lambda.Client {
	return lambda.NewFromConfig(s.AWSConfig(), optFns...)
}

// Logs returns a CloudWatch Logs client for this server; optFns adjust it.
func (s *Server) Logs(optFns ...func(*cloudwatchlogs.Options)) *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(s.AWSConfig(), optFns...)
}
