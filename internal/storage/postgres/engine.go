package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fogbank/fogbank/internal/storage"
)

// Defaults for the zero fields of Options.
const (
	// DefaultSchema is the PostgreSQL schema Fogbank's tables live in.
	DefaultSchema = "fogbank"
	// DefaultMaxConns caps the connection pool when neither Options nor the
	// connection string's pool_max_conns sets a size.
	DefaultMaxConns = 16
	// DefaultMaxAttempts is how many times Update runs a transaction that
	// keeps failing with serialization failures before giving up.
	DefaultMaxAttempts = 20
)

// Errors returned by Open.
var (
	// ErrUnreachable is returned when the database cannot be reached or
	// refuses the connection.
	ErrUnreachable = errors.New("storage/postgres: database unreachable")
	// ErrSchemaTooNew is returned when the database's schema was migrated by
	// a newer Fogbank than this one.
	ErrSchemaTooNew = errors.New("storage/postgres: database schema is newer than this binary supports")
)

// schemaName is what Options.Schema may hold: a plain lower-case SQL
// identifier.
var schemaName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`) })

// Options configures an Engine.
type Options struct {
	// Logger receives the engine's lifecycle messages. Nil discards them.
	Logger *slog.Logger
	// Schema is the PostgreSQL schema (namespace) that holds Fogbank's
	// tables, created if missing: lower-case letters, digits and
	// underscores. Empty means DefaultSchema. Tests give each engine its
	// own schema so that they can share one database.
	Schema string
	// MaxConns caps the number of pooled connections. Zero means the
	// connection string's pool_max_conns, or DefaultMaxConns without one.
	MaxConns int32
	// MaxAttempts is how many times Update runs a transaction that keeps
	// failing with serialization failures or deadlocks before it returns
	// storage.ErrConflict. Zero means DefaultMaxAttempts.
	MaxAttempts int

	// dial replaces the pool's network dialer; tests count round trips
	// through it.
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// EnsureDefaults fills in the zero fields of o with their defaults.
func (o *Options) EnsureDefaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Schema == "" {
		o.Schema = DefaultSchema
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
}

// Validate reports whether o's fields hold usable values.
func (o *Options) Validate() error {
	if !schemaName().MatchString(o.Schema) {
		return fmt.Errorf("storage/postgres: schema %q is not a lower-case SQL identifier", o.Schema)
	}
	if o.MaxConns < 0 {
		return fmt.Errorf("storage/postgres: negative MaxConns %d", o.MaxConns)
	}
	return nil
}

// Engine is a storage.Engine over a PostgreSQL-compatible database. It is
// safe for concurrent use.
type Engine struct {
	pool        *pgxpool.Pool
	logger      *slog.Logger
	sql         statements
	maxAttempts int
	priority    priority

	// background holds the goroutines that end finished transactions.
	background sync.WaitGroup

	calls storage.Calls
}

// Open connects to the database that connString names (a postgres:// URL or
// a key=value string, as libpq accepts), creates or migrates Fogbank's schema
// in it and returns the engine. It fails with ErrUnreachable when the
// database cannot be reached and with ErrSchemaTooNew when its schema is
// newer than this binary; ctx bounds the connection and migration.
func Open(ctx context.Context, connString string, opts Options) (*Engine, error) {
	opts.EnsureDefaults()
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	cfg, err := poolConfig(connString, opts)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("storage/postgres: %s", redact(err.Error(), connString))
	}
	target := describe(cfg, opts.Schema)
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("%w: %s: %s", ErrUnreachable, target, redact(err.Error(), connString))
	}
	e := &Engine{pool: pool, logger: opts.Logger, sql: newStatements(opts.Schema), maxAttempts: opts.MaxAttempts}
	version, err := e.migrate(ctx, opts.Schema)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("storage/postgres: %s: %w", target, err)
	}
	e.logger.InfoContext(ctx, "storage/postgres: opened", slog.String("database", target),
		slog.Int("schema_version", version), slog.Int("max_conns", int(cfg.MaxConns)))
	return e, nil
}

// poolConfig parses connString and applies opts to the pool configuration.
func poolConfig(connString string, opts Options) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("storage/postgres: parse connection string: %s", redact(err.Error(), connString))
	}
	switch {
	case opts.MaxConns > 0:
		cfg.MaxConns = opts.MaxConns
	case !strings.Contains(connString, "pool_max_conns"):
		cfg.MaxConns = DefaultMaxConns
	}
	if opts.dial != nil {
		cfg.ConnConfig.DialFunc = opts.dial
	}
	return cfg, nil
}

// describe names the database cfg points at, for logs and errors: user,
// host, port, database and schema, never the password.
func describe(cfg *pgxpool.Config, schema string) string {
	c := cfg.ConnConfig
	return fmt.Sprintf("user=%s host=%s port=%d database=%s schema=%s", c.User, c.Host, c.Port, c.Database, schema)
}

// RedactConnString returns connString with its password, if any, replaced by
// "xxxxx", for logs and messages: the user-info password of a URL and the
// password parameter of a URL's query or of key=value pairs.
func RedactConnString(connString string) string {
	if u, err := url.Parse(connString); err == nil && u.Scheme != "" {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		q := u.Query()
		if q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	return redact(connString, connString)
}

// passwordParam matches a password in a key=value connection string.
var passwordParam = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)(password\s*=\s*)('(\\.|[^'])*'|\S+)`) })

// redact removes the password that connString may hold from msg.
func redact(msg, connString string) string {
	msg = passwordParam().ReplaceAllString(msg, "${1}xxxxx")
	for _, pw := range passwords(connString) {
		msg = strings.ReplaceAll(msg, pw, "xxxxx")
	}
	return msg
}

// passwords returns the password strings connString holds, in the forms an
// error message might quote them.
func passwords(connString string) []string {
	var found []string
	if m := passwordParam().FindAllStringSubmatch(connString, -1); m != nil {
		for _, sub := range m {
			found = append(found, strings.Trim(sub[2], "'"))
		}
	}
	// The user-info of a URL: scheme://user:password@host.
	if _, rest, ok := strings.Cut(connString, "://"); ok {
		if userinfo, _, ok := strings.Cut(rest, "@"); ok {
			if _, pw, ok := strings.Cut(userinfo, ":"); ok && pw != "" {
				found = append(found, pw)
			}
		}
	}
	return found
}

// View runs fn against a consistent snapshot of the database: a REPEATABLE
// READ READ ONLY transaction. Writes through the transaction fail with
// storage.ErrReadOnly.
func (e *Engine) View(ctx context.Context, fn func(storage.ReadTx) error) error {
	if err := e.calls.Enter(ctx); err != nil {
		return err
	}
	defer e.calls.Leave()
	tx := &viewTx{reader: reader{conn: e.newTxConn(ctx, e.sql.beginView)}}
	err := fn(tx)
	tx.finish()
	if dbErr := tx.conn.err; dbErr != nil && err == nil {
		err = dbErr
	}
	tx.conn.end()
	return err
}

// Close waits for in-flight View and Update calls and for background
// rollbacks, then closes the connection pool. Later calls, Close included,
// return storage.ErrClosed.
func (e *Engine) Close() error {
	if err := e.calls.Close(); err != nil {
		return err
	}
	e.background.Wait()
	e.pool.Close()
	return nil
}

var _ storage.Engine = (*Engine)(nil)
