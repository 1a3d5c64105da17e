package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// EnvPrefix starts the name of every environment variable Load reads.
const EnvPrefix = "FOGBANK_"

// setting is one configuration field that the environment or a flag can
// set, addressed by its flag-style name ("data-dir").
type setting struct {
	name  string
	usage string
	// secret settings come only from the environment: no flag is registered.
	secret bool
	set    func(c *Config, value string) error
	get    func(c Config) string
}

// settings lists every field settable from the environment or flags.
var settings = []setting{
	str("listen", "address to listen on, host:port", func(c *Config) *string { return &c.Listen }),
	str("data-dir", "directory holding all persistent state", func(c *Config) *string { return &c.DataDir }),
	str("region", "AWS region the server presents", func(c *Config) *string { return &c.Region }),
	str("account-id", "12-digit AWS account id in ARNs", func(c *Config) *string { return &c.AccountID }),
	{
		name:  "dev",
		usage: "accept any credentials (throwaway local use only)",
		set: func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("config: dev %q: want true or false", v)
			}
			c.Dev = b
			return nil
		},
		get: func(c Config) string { return strconv.FormatBool(c.Dev) },
	},
	str("log-level", "minimum log level: debug, info, warn or error", func(c *Config) *string { return &c.LogLevel }),
	str("log-format", "log format: auto, text or json", func(c *Config) *string { return &c.LogFormat }),
	{
		name:  "max-request-body",
		usage: "largest accepted request body, e.g. 16MiB",
		set:   func(c *Config, v string) error { return c.MaxRequestBody.Set(v) },
		get:   func(c Config) string { return c.MaxRequestBody.String() },
	},
	{
		name:  "shutdown-timeout",
		usage: "how long a graceful shutdown waits for in-flight requests, e.g. 10s",
		set:   func(c *Config, v string) error { return c.ShutdownTimeout.Set(v) },
		get:   func(c Config) string { return c.ShutdownTimeout.String() },
	},
	str("storage", "storage engine: empty for the embedded engine in --data-dir, or a PostgreSQL "+
		"connection string such as postgres://user@host:5432/db (password from PGPASSWORD or ~/.pgpass)",
		func(c *Config) *string { return &c.Storage }),
	str("storage-schema", "PostgreSQL schema holding Fogbank's tables (all nodes use the same)",
		func(c *Config) *string { return &c.StorageSchema }),
	{
		name:  "ttl-interval",
		usage: "how often the DynamoDB TTL sweeper runs, e.g. 1s",
		set:   func(c *Config, v string) error { return c.TTLInterval.Set(v) },
		get:   func(c Config) string { return c.TTLInterval.String() },
	},
	{
		name:  "s3-lifecycle-interval",
		usage: "how often the S3 lifecycle worker applies the buckets' lifecycle rules, e.g. 1h",
		set:   func(c *Config, v string) error { return c.S3LifecycleInterval.Set(v) },
		get:   func(c Config) string { return c.S3LifecycleInterval.String() },
	},
	{
		name:  "s3-lifecycle-day",
		usage: "length of the day S3 lifecycle rules count in (shorten it for tests), e.g. 24h",
		set:   func(c *Config, v string) error { return c.S3LifecycleDay.Set(v) },
		get:   func(c Config) string { return c.S3LifecycleDay.String() },
	},
	integer("max-in-flight", "requests each service serves at once (0: 64 per CPU)", func(c *Config) *int { return &c.MaxInFlight }),
	integer("max-queue", "requests of each service waiting for a slot before excess is shed (0: 4 per slot)",
		func(c *Config) *int { return &c.MaxQueue }),
	{
		name:  "queue-timeout",
		usage: "how long a request waits for a slot before it is shed with a throttling error, e.g. 150ms",
		set:   func(c *Config, v string) error { return c.QueueTimeout.Set(v) },
		get:   func(c Config) string { return c.QueueTimeout.String() },
	},
	secretStr("root-access-key-id", func(c *Config) *string { return &c.RootAccessKeyID }),
	secretStr("root-secret-access-key", func(c *Config) *string { return &c.RootSecretAccessKey }),
}

func str(name, usage string, field func(*Config) *string) setting {
	return setting{
		name:  name,
		usage: usage,
		set:   func(c *Config, v string) error { *field(c) = v; return nil },
		get:   func(c Config) string { return *field(&c) },
	}
}

func integer(name, usage string, field func(*Config) *int) setting {
	return setting{
		name:  name,
		usage: usage,
		set: func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return fmt.Errorf("config: %s %q: want an integer", name, v)
			}
			*field(c) = n
			return nil
		},
		get: func(c Config) string { return strconv.Itoa(*field(&c)) },
	}
}

func secretStr(name string, field func(*Config) *string) setting {
	s := str(name, "", field)
	s.secret = true
	s.get = func(Config) string { return "" }
	return s
}

// EnvName maps a setting's flag-style name to its environment variable:
// "data-dir" becomes FOGBANK_DATA_DIR. It is the one mapping between the
// two sources.
func EnvName(name string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// AddFlags registers a flag for every non-secret setting on fs. The
// defaults shown in help are those of Default; only flags that are set
// explicitly override the other sources in Load.
func AddFlags(fs *flag.FlagSet) {
	def := Default()
	for _, s := range settings {
		if s.secret {
			continue
		}
		if s.name == "dev" {
			fs.Bool(s.name, def.Dev, s.usage)
			continue
		}
		fs.String(s.name, s.get(def), s.usage)
	}
}

// Load builds a Config from, in increasing precedence: Default, the JSON
// file at path (skipped when path is ""; unknown fields are an error), the
// FOGBANK_* variables found by lookupEnv (nil for none; usually
// os.LookupEnv), and the flags of fs that were set explicitly (nil for
// none; fs must have been prepared with AddFlags and parsed). The result is
// validated.
func Load(path string, lookupEnv func(string) (string, bool), fs *flag.FlagSet) (Config, error) {
	c := Default()
	if path != "" {
		if err := c.readFile(path); err != nil {
			return Config{}, err
		}
	}
	var errs []error
	if lookupEnv != nil {
		errs = append(errs, c.applyEnv(lookupEnv)...)
	}
	if fs != nil {
		errs = append(errs, c.applyFlags(fs)...)
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

func (c *Config) readFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: read %s: %w", path, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(c); err != nil {
		return fmt.Errorf("config: parse %s: %w", path, err)
	}
	return nil
}

func (c *Config) applyEnv(lookupEnv func(string) (string, bool)) []error {
	var errs []error
	for _, s := range settings {
		v, ok := lookupEnv(EnvName(s.name))
		if !ok {
			continue
		}
		if err := s.set(c, v); err != nil {
			errs = append(errs, fmt.Errorf("%w (from %s)", err, EnvName(s.name)))
		}
	}
	return errs
}

func (c *Config) applyFlags(fs *flag.FlagSet) []error {
	byName := make(map[string]setting, len(settings))
	for _, s := range settings {
		if !s.secret {
			byName[s.name] = s
		}
	}
	var errs []error
	fs.Visit(func(f *flag.Flag) {
		s, ok := byName[f.Name]
		if !ok {
			return
		}
		if err := s.set(c, f.Value.String()); err != nil {
			errs = append(errs, fmt.Errorf("%w (from --%s)", err, f.Name))
		}
	})
	return errs
}
