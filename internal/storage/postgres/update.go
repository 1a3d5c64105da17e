package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/fogbank/fogbank/internal/storage"
)

// SQLSTATE codes after which a transaction is run again.
const (
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
)

// Backoff between the attempts of a conflicting Update: a random pause of up
// to backoffBase doubled per attempt, and never more than backoffMax.
const (
	backoffBase = 2 * time.Millisecond
	backoffMax  = 200 * time.Millisecond
)

// Update runs fn in a SERIALIZABLE transaction and returns once it has
// committed. Its writes are buffered and sent with the COMMIT. If fn returns
// an error nothing is written and that error is returned. When the database
// aborts the transaction with a serialization failure or a deadlock, fn runs
// again after a jittered backoff; after Options.MaxAttempts attempts Update
// returns an error that wraps storage.ErrConflict.
func (e *Engine) Update(ctx context.Context, fn func(storage.Tx) error) error {
	if err := e.calls.Enter(ctx); err != nil {
		return err
	}
	defer e.calls.Leave()
	for attempt := 1; ; attempt++ {
		err := e.prioritized(ctx, attempt, fn)
		if !isRetryable(err) {
			return err
		}
		if attempt >= e.maxAttempts {
			return fmt.Errorf("storage/postgres: update: %w after %d attempts: %v", storage.ErrConflict, attempt, err)
		}
		e.logger.DebugContext(ctx, "storage/postgres: retrying conflicting transaction",
			slog.Int("attempt", attempt), slog.Any("err", err))
		if err := pause(ctx, backoff(attempt)); err != nil {
			return err
		}
	}
}

// prioritized runs an attempt of an Update: after priorityAfter conflicts
// with the node's priority when it is free, else after yielding to the
// transaction that holds it.
func (e *Engine) prioritized(ctx context.Context, attempt int, fn func(storage.Tx) error) error {
	if attempt > priorityAfter {
		if release, ok := e.priority.take(); ok {
			defer release()
			return e.attempt(ctx, fn)
		}
	}
	e.priority.yield(ctx)
	return e.attempt(ctx, fn)
}

// attempt runs fn once in a new transaction and commits it.
func (e *Engine) attempt(ctx context.Context, fn func(storage.Tx) error) error {
	tx := &updateTx{reader: reader{conn: e.newTxConn(ctx, e.sql.beginUpdate)}, writes: map[string]write{}}
	defer tx.conn.end()
	err := fn(tx)
	tx.finish()
	// A failed statement aborted the transaction whatever fn made of its
	// error: retry it when the database asks to, and never commit it.
	if dbErr := tx.conn.err; dbErr != nil && (err == nil || isRetryable(dbErr)) {
		err = dbErr
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return err
	}
	return tx.commit()
}

// isRetryable reports whether err means the database aborted a transaction
// that may succeed if run again.
func isRetryable(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	return pgErr.Code == codeSerializationFailure || pgErr.Code == codeDeadlockDetected
}

// backoff returns the pause before the attempt after the given one: random,
// up to a bound that doubles with each attempt (full jitter).
func backoff(attempt int) time.Duration {
	bound := backoffMax
	if attempt < 20 && backoffBase<<attempt < backoffMax {
		bound = backoffBase << attempt
	}
	return rand.N(bound) + time.Millisecond/4
}

// pause waits for d or until ctx ends, returning ctx's error then.
func pause(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
