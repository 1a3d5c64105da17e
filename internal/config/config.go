// Package config is Fogbank's one configuration struct, its defaults, and
// the loader that merges its sources: defaults, then a JSON file, then
// FOGBANK_* environment variables, then command-line flags, each overriding
// the previous one.
//
// Config is immutable after Load. Secrets (the root access key) come only
// from the environment, never from a flag or the JSON file. The storage
// connection string is a flag like any other, so its password should come
// from PGPASSWORD or a pgpass file (read by the PostgreSQL driver); a
// password inside the string still works but is never echoed.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"
)

// Config is the whole configuration of a Fogbank server.
type Config struct {
	// Listen is the TCP address the server listens on, host:port. Port 0
	// picks a free port. Default "127.0.0.1:4566".
	Listen string `json:"listen"`
	// DataDir is the directory holding all persistent state (the storage
	// engine and the generated credentials file); created if missing.
	// Default "./.fogbank".
	DataDir string `json:"data_dir"`
	// Region is the AWS region the server presents itself as: it appears in
	// ARNs and must match the SigV4 credential scope. Default "us-east-1".
	Region string `json:"region"`
	// AccountID is the 12-digit AWS account id in ARNs. Default "000000000000".
	AccountID string `json:"account_id"`
	// Dev relaxes authentication for throwaway local use: any credentials,
	// or none, are accepted. Default false.
	Dev bool `json:"dev"`
	// LogLevel is the minimum level logged: "debug", "info", "warn" or
	// "error". Default "info".
	LogLevel string `json:"log_level"`
	// LogFormat is "text", "json" or "auto" (text when stderr is a terminal,
	// JSON otherwise). Default "auto".
	LogFormat string `json:"log_format"`
	// MaxRequestBody caps the size of one API request body, in bytes (JSON:
	// a string such as "16MiB"). Larger requests are refused with 413.
	// Default 16MiB, DynamoDB's largest documented request (BatchWriteItem).
	MaxRequestBody ByteSize `json:"max_request_body"`
	// ShutdownTimeout bounds the graceful drain of in-flight requests on
	// SIGINT or SIGTERM (JSON: a string such as "10s"). Default 10s.
	ShutdownTimeout Duration `json:"shutdown_timeout"`
	// Storage selects the storage engine. Empty means the embedded Pebble
	// engine in DataDir; a PostgreSQL connection string (postgres://...,
	// postgresql://... or libpq key=value pairs) means the PostgreSQL engine,
	// which several nodes can share. Its password is never logged; prefer
	// PGPASSWORD or a pgpass file over putting it here. Default "".
	Storage string `json:"storage"`
	// StorageSchema is the PostgreSQL schema (namespace) holding Fogbank's
	// tables when Storage names a PostgreSQL database: lower-case letters,
	// digits and underscores. Every node of one deployment uses the same.
	// Default "fogbank".
	StorageSchema string `json:"storage_schema"`
	// TTLInterval is how often the DynamoDB TTL sweeper looks for expired
	// items (JSON: a string such as "1s"). With several nodes one of them
	// sweeps at a time, under a lease. Default 1s.
	TTLInterval Duration `json:"ttl_interval"`
	// S3LifecycleInterval is how often the S3 lifecycle worker sweeps the
	// buckets' lifecycle rules (JSON: a string such as "1h"). With several
	// nodes one of them sweeps at a time, under a lease. Default 1h.
	S3LifecycleInterval Duration `json:"s3_lifecycle_interval"`
	// S3LifecycleDay is the length of the day S3 lifecycle rules count in
	// (JSON: a string such as "24h"); shorten it to watch objects expire in
	// tests. Default 24h.
	S3LifecycleDay Duration `json:"s3_lifecycle_day"`
	// MaxInFlight bounds the requests each service (DynamoDB, S3, Lambda,
	// the gateway, ...) serves at once; more wait in a queue. 0 sizes it
	// from the machine: 64 per CPU. Default 0.
	MaxInFlight int `json:"max_in_flight"`
	// MaxQueue bounds the requests of each service waiting for a slot;
	// beyond it requests are shed at once with the service's throttling
	// error. 0 means 4 per in-flight slot. Default 0.
	MaxQueue int `json:"max_queue"`
	// QueueTimeout is how long a request waits for a slot before it is
	// shed (JSON: a string such as "150ms"). Default 150ms.
	QueueTimeout Duration `json:"queue_timeout"`
	// RootAccessKeyID, with RootSecretAccessKey, sets the root credentials
	// explicitly instead of generating them on first start. Environment only
	// (FOGBANK_ROOT_ACCESS_KEY_ID). Default "": generate.
	RootAccessKeyID string `json:"-"`
	// RootSecretAccessKey is the secret of RootAccessKeyID. Environment only
	// (FOGBANK_ROOT_SECRET_ACCESS_KEY); never logged. Default "".
	RootSecretAccessKey string `json:"-"`
}

// Log formats accepted in LogFormat.
const (
	// LogFormatAuto picks text on a terminal and JSON otherwise.
	LogFormatAuto = "auto"
	// LogFormatText is slog's text handler.
	LogFormatText = "text"
	// LogFormatJSON is slog's JSON handler.
	LogFormatJSON = "json"
)

// Default returns the complete default configuration.
func Default() Config {
	return Config{
		Listen:              "127.0.0.1:4566",
		DataDir:             "./.fogbank",
		Region:              "us-east-1",
		AccountID:           "000000000000",
		LogLevel:            "info",
		LogFormat:           LogFormatAuto,
		MaxRequestBody:      16 << 20,
		ShutdownTimeout:     Duration(10 * time.Second),
		StorageSchema:       "fogbank",
		TTLInterval:         Duration(time.Second),
		S3LifecycleInterval: Duration(time.Hour),
		S3LifecycleDay:      Duration(24 * time.Hour),
		QueueTimeout:        Duration(150 * time.Millisecond),
	}
}

// StorageKind names the storage engines Config.Storage selects.
type StorageKind int

// The storage engines.
const (
	// StoragePebble is the embedded engine in the data directory.
	StoragePebble StorageKind = iota
	// StoragePostgres is the PostgreSQL engine.
	StoragePostgres
	// storageUnknown is a Storage value that names no engine.
	storageUnknown
)

// StorageKind returns the engine that c.Storage selects.
func (c Config) StorageKind() StorageKind {
	s := strings.TrimSpace(c.Storage)
	switch {
	case s == "":
		return StoragePebble
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		return StoragePostgres
	case !strings.Contains(s, "://") && strings.Contains(s, "="):
		return StoragePostgres
	}
	return storageUnknown
}

// Validate reports every problem in c at once, joined with errors.Join.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("config: "+format, args...))
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		bad("listen %q: want host:port", c.Listen)
	}
	if strings.TrimSpace(c.DataDir) == "" {
		bad("data_dir must not be empty")
	}
	if !validRegion(c.Region) {
		bad("region %q: want a region name like us-east-1", c.Region)
	}
	if len(c.AccountID) != 12 || !onlyRunes(c.AccountID, isDigit) {
		bad("account_id %q: want 12 digits", c.AccountID)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		bad("log_level %q: want debug, info, warn or error", c.LogLevel)
	}
	switch c.LogFormat {
	case LogFormatAuto, LogFormatText, LogFormatJSON:
	default:
		bad("log_format %q: want auto, text or json", c.LogFormat)
	}
	if c.MaxRequestBody < 1<<10 {
		bad("max_request_body %s: want at least 1KiB", c.MaxRequestBody)
	}
	if c.ShutdownTimeout <= 0 {
		bad("shutdown_timeout %s: want a positive duration", c.ShutdownTimeout)
	}
	errs = append(errs, c.validateStorage()...)
	if c.TTLInterval <= 0 {
		bad("ttl_interval %s: want a positive duration", c.TTLInterval)
	}
	if c.S3LifecycleInterval <= 0 || c.S3LifecycleDay <= 0 {
		bad("s3_lifecycle_interval %s, s3_lifecycle_day %s: want positive durations", c.S3LifecycleInterval, c.S3LifecycleDay)
	}
	errs = append(errs, c.validateLimits()...)
	errs = append(errs, c.validateRootKey()...)
	return errors.Join(errs...)
}

// validateStorage checks Storage and StorageSchema. Its errors never quote
// Storage, which may hold a password.
func (c Config) validateStorage() []error {
	var errs []error
	if c.StorageKind() == storageUnknown {
		errs = append(errs, errors.New("config: storage: want empty (the embedded engine in data_dir) "+
			"or a PostgreSQL connection string (postgres://..., postgresql://... or key=value pairs)"))
	}
	if !validSchema(c.StorageSchema) {
		errs = append(errs, fmt.Errorf("config: storage_schema %q: want 1 to 63 lower-case letters, digits and underscores, not starting with a digit", c.StorageSchema))
	}
	return errs
}

// validSchema reports whether s is a plain lower-case SQL identifier.
func validSchema(s string) bool {
	if s == "" || len(s) > 63 || isDigit(rune(s[0])) {
		return false
	}
	return onlyRunes(s, func(r rune) bool { return isLower(r) || isDigit(r) || r == '_' })
}

// validateLimits checks the admission-control limits.
func (c Config) validateLimits() []error {
	var errs []error
	if c.MaxInFlight < 0 {
		errs = append(errs, fmt.Errorf("config: max_in_flight %d: want 0 (sized from the machine) or more", c.MaxInFlight))
	}
	if c.MaxQueue < 0 {
		errs = append(errs, fmt.Errorf("config: max_queue %d: want 0 (4 per in-flight slot) or more", c.MaxQueue))
	}
	if c.QueueTimeout <= 0 {
		errs = append(errs, fmt.Errorf("config: queue_timeout %s: want a positive duration", c.QueueTimeout))
	}
	return errs
}

func (c Config) validateRootKey() []error {
	switch {
	case c.RootAccessKeyID == "" && c.RootSecretAccessKey == "":
		return nil
	case c.RootAccessKeyID == "" || c.RootSecretAccessKey == "":
		return []error{errors.New("config: FOGBANK_ROOT_ACCESS_KEY_ID and FOGBANK_ROOT_SECRET_ACCESS_KEY must be set together")}
	case len(c.RootAccessKeyID) < 16 || len(c.RootAccessKeyID) > 128 || !onlyRunes(c.RootAccessKeyID, isUpperOrDigit):
		return []error{errors.New("config: FOGBANK_ROOT_ACCESS_KEY_ID: want 16 to 128 upper-case letters and digits")}
	}
	return nil
}

// validRegion reports whether s looks like an AWS region name: two letters,
// one or more lowercase words and a number, joined by dashes (us-east-1,
// ap-southeast-2, us-gov-west-1). Checked by hand rather than with a regexp
// to keep process start-up free of regexp compilation.
func validRegion(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(parts[0]) != 2 || !onlyRunes(parts[0], isLower) {
		return false
	}
	last := parts[len(parts)-1]
	if last == "" || !onlyRunes(last, isDigit) {
		return false
	}
	for _, p := range parts[1 : len(parts)-1] {
		if p == "" || !onlyRunes(p, isLower) {
			return false
		}
	}
	return true
}

func onlyRunes(s string, ok func(rune) bool) bool {
	for _, r := range s {
		if !ok(r) {
			return false
		}
	}
	return true
}

func isDigit(r rune) bool        { return '0' <= r && r <= '9' }
func isLower(r rune) bool        { return 'a' <= r && r <= 'z' }
func isUpperOrDigit(r rune) bool { return 'A' <= r && r <= 'Z' || isDigit(r) }
