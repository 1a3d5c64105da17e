package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// rollbackTimeout bounds the background ROLLBACK that ends a transaction
// after its caller has moved on.
const rollbackTimeout = 10 * time.Second

// txConn is the connection one transaction runs on. It is acquired, and the
// transaction begun, with the transaction's first exchange; a transaction
// that never talks to the database costs nothing.
type txConn struct {
	e     *Engine
	ctx   context.Context // the View or Update call's context
	begin string          // the BEGIN statement sent with the first exchange
	conn  *pgxpool.Conn   // nil until the first exchange
	// err is the first error of an exchange. The database aborts a
	// transaction whose statement failed, so later exchanges fail with it
	// and the transaction never commits.
	err error
}

// newTxConn returns the connection of a transaction begun with begin.
func (e *Engine) newTxConn(ctx context.Context, begin string) *txConn {
	return &txConn{e: e, ctx: ctx, begin: begin}
}

// exchange sends the statements queue adds in one round trip, preceded by
// the transaction's BEGIN on its first exchange, and hands their results to
// read in order. what names the operation in errors.
func (c *txConn) exchange(what string, queue func(*pgx.Batch), read func(pgx.BatchResults) error) error {
	if c.err != nil {
		return c.err
	}
	err := c.roundTrip(queue, read)
	if err != nil {
		c.err = fmt.Errorf("storage/postgres: %s: %w", what, err)
	}
	return c.err
}

// roundTrip is exchange without the error bookkeeping.
func (c *txConn) roundTrip(queue func(*pgx.Batch), read func(pgx.BatchResults) error) error {
	batch := &pgx.Batch{}
	first := c.conn == nil
	if first {
		conn, err := c.e.pool.Acquire(c.ctx)
		if err != nil {
			return err
		}
		c.conn = conn
		batch.Queue(c.begin)
	}
	queue(batch)
	results := c.conn.SendBatch(c.ctx, batch)
	err := func() error {
		if first {
			if _, err := results.Exec(); err != nil {
				return err
			}
		}
		return read(results)
	}()
	return errors.Join(err, results.Close())
}

// end ends the transaction without committing it and gives its connection
// back to the pool. A transaction still open on the database is rolled back
// on a background goroutine, so the caller does not wait for the round trip.
func (c *txConn) end() {
	conn := c.conn
	if conn == nil {
		return
	}
	c.conn = nil
	pg := conn.Conn().PgConn()
	if pg.IsClosed() || pg.IsBusy() || pg.TxStatus() == 'I' {
		conn.Release() // the pool discards a closed or busy connection
		return
	}
	ctx := context.WithoutCancel(c.ctx)
	c.e.background.Go(func() {
		defer conn.Release()
		ctx, cancel := context.WithTimeout(ctx, rollbackTimeout)
		defer cancel()
		if _, err := conn.Exec(ctx, "ROLLBACK"); err != nil {
			c.e.logger.WarnContext(ctx, "storage/postgres: rollback failed", slog.Any("err", err))
		}
	})
}
