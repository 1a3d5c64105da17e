package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// migrations[v] moves the schema from version v to v+1; {schema} stands for
// the quoted schema name. The schema version this binary knows is
// len(migrations). Append only: a released migration never changes.
var migrations = []string{
	`CREATE TABLE {schema}.kv (key bytea PRIMARY KEY, value bytea NOT NULL)`,
}

// migrateAttempts bounds the retries of a migration that raced another
// node's creating the same objects.
const migrateAttempts = 5

// statements holds the SQL the engine runs, with its schema name filled in.
type statements struct {
	beginView   string
	beginUpdate string
	get         string
	getMany     string
	// scan is indexed by [reverse][bounded]: bounded statements take an
	// exclusive upper bound; all take an inclusive lower bound and a limit.
	scan   [2][2]string
	upsert string
	delete string
}

// newStatements returns the engine's SQL for the given schema.
func newStatements(schema string) statements {
	kv := pgx.Identifier{schema, "kv"}.Sanitize()
	scan := func(order, upper, limit string) string {
		return "SELECT key, value FROM " + kv + " WHERE key >= $1" + upper + " ORDER BY key" + order + " LIMIT " + limit
	}
	return statements{
		beginView:   "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
		beginUpdate: "BEGIN ISOLATION LEVEL SERIALIZABLE",
		get:         "SELECT value FROM " + kv + " WHERE key = $1",
		getMany:     "SELECT key, value FROM " + kv + " WHERE key = ANY($1::bytea[])",
		scan: [2][2]string{
			{scan("", "", "$2"), scan("", " AND key < $2", "$3")},
			{scan(" DESC", "", "$2"), scan(" DESC", " AND key < $2", "$3")},
		},
		upsert: "INSERT INTO " + kv + " (key, value) SELECT * FROM unnest($1::bytea[], $2::bytea[])" +
			" ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		delete: "DELETE FROM " + kv + " WHERE key = ANY($1::bytea[])",
	}
}

// migrate creates the schema's objects if needed and applies the migrations
// the database lacks, returning the resulting schema version. Concurrent
// migrations from several nodes are serialized by a row lock on the version
// table; a node that loses a race creating the same objects tries again.
func (e *Engine) migrate(ctx context.Context, schema string) (int, error) {
	for attempt := 1; ; attempt++ {
		version, err := e.migrateOnce(ctx, schema)
		if err == nil || attempt == migrateAttempts || !isMigrationRace(err) {
			return version, err
		}
	}
}

// migrateOnce is one attempt of migrate.
func (e *Engine) migrateOnce(ctx context.Context, schema string) (int, error) {
	quoted := pgx.Identifier{schema}.Sanitize()
	versionTable := pgx.Identifier{schema, "schema_version"}.Sanitize()
	conn, err := e.pool.Acquire(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	for _, stmt := range []string{
		"CREATE SCHEMA IF NOT EXISTS " + quoted,
		"CREATE TABLE IF NOT EXISTS " + versionTable +
			" (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), version integer NOT NULL)",
		"INSERT INTO " + versionTable + " (version) VALUES (0) ON CONFLICT DO NOTHING",
	} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			return 0, fmt.Errorf("migrate: %w", err)
		}
	}
	var version int
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, "SELECT version FROM "+versionTable+" FOR UPDATE").Scan(&version); err != nil {
			return err
		}
		if version > len(migrations) {
			return fmt.Errorf("%w: database has schema version %d, this binary knows up to %d",
				ErrSchemaTooNew, version, len(migrations))
		}
		for ; version < len(migrations); version++ {
			if _, err := tx.Exec(ctx, strings.ReplaceAll(migrations[version], "{schema}", quoted)); err != nil {
				return fmt.Errorf("to version %d: %w", version+1, err)
			}
			if _, err := tx.Exec(ctx, "UPDATE "+versionTable+" SET version = $1", version+1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, ErrSchemaTooNew) {
		err = fmt.Errorf("migrate: %w", err)
	}
	return version, err
}

// isMigrationRace reports whether err is what PostgreSQL returns to the
// loser of two concurrent CREATE ... IF NOT EXISTS of the same object.
func isMigrationRace(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	switch pgErr.Code {
	case "23505", // unique_violation, on the system catalogs
		"42P06", // duplicate_schema
		"42P07", // duplicate_table
		"42710", // duplicate_object
		codeSerializationFailure, codeDeadlockDetected:
		return true
	}
	return false
}
