// Package pgtest opens PostgreSQL storage engines for tests, each in a fresh
// schema of one shared test database, so that tests (and test packages) can
// run in parallel without seeing each other's data.
//
// The database is named by the FOGBANK_TEST_POSTGRES environment variable
// (start one with .ci/postgres.sh). Without it tests are skipped, except
// under CI=true, where they fail: CI must not silently skip the engine.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/postgres"
)

// EnvVar names the environment variable holding the test database's
// connection string.
const EnvVar = "FOGBANK_TEST_POSTGRES"

// maxConns is the pool size of a test engine: enough for a View and an
// Update at once plus some concurrency, small enough for many parallel
// tests on one server.
const maxConns = 6

// ConnString returns the test database's connection string. It skips tb when
// EnvVar is unset, or fails it when CI=true.
func ConnString(tb testing.TB) string {
	tb.Helper()
	connString := os.Getenv(EnvVar)
	if connString == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s is not set; run: eval \"$(.ci/postgres.sh)\"", EnvVar)
		}
		tb.Skipf("%s is not set; run: eval \"$(.ci/postgres.sh)\"", EnvVar)
	}
	return connString
}

// NewSchema returns the name of a fresh schema for tb, dropped with
// everything in it when tb ends.
func NewSchema(tb testing.TB) string {
	tb.Helper()
	connString := ConnString(tb)
	var random [6]byte
	_, _ = rand.Read(random[:]) // crypto/rand.Read never fails
	schema := "test_" + hex.EncodeToString(random[:])
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := dropSchema(ctx, connString, schema); err != nil {
			tb.Errorf("pgtest: drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// dropSchema drops schema and everything in it, if it exists.
func dropSchema(ctx context.Context, connString, schema string) error {
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return err
	}
	_, err = conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
	return errors.Join(err, conn.Close(ctx))
}

// Open opens an engine over a fresh schema of the test database, logging to
// tb's output. opts' Schema, MaxConns and Logger are filled in when zero. The
// engine is closed, if it still is open, and its schema dropped when tb
// ends.
func Open(tb testing.TB, opts postgres.Options) *postgres.Engine {
	tb.Helper()
	connString := ConnString(tb)
	if opts.Schema == "" {
		opts.Schema = NewSchema(tb)
	}
	if opts.MaxConns == 0 {
		opts.MaxConns = maxConns
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	e, err := postgres.Open(tb.Context(), connString, opts)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		if err := e.Close(); err != nil && !errors.Is(err, storage.ErrClosed) {
			tb.Errorf("pgtest: Close: %v", err)
		}
	})
	return e
}
