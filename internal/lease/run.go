package lease

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Run runs work while this owner holds the lease name, until work returns or
// ctx ends. It waits for the lease (trying every TTL/3), then calls work with
// a context derived from ctx and renews the lease every TTL/3. If the lease
// is lost (another owner holds it, or it could not be renewed before it
// expired), work's context is cancelled with cause ErrLost; Run waits for
// work to return and then waits for the lease again.
//
// When work returns by itself, Run releases the lease and returns work's
// error. When ctx ends, Run cancels work's context, waits for work to
// return, releases the lease and returns ctx's error.
func (m *Manager) Run(ctx context.Context, name string, work func(ctx context.Context) error) error {
	interval := m.ttl / 3
	for {
		start := time.Now()
		held, err := m.Acquire(ctx, name)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			m.logger.WarnContext(ctx, "lease: acquire failed", slog.String("lease", name), slog.Any("err", err))
		case held:
			m.logger.DebugContext(ctx, "lease: acquired", slog.String("lease", name), slog.String("owner", m.owner))
			if done, err := m.hold(ctx, name, start.Add(m.ttl), work); done {
				return err
			}
			m.logger.WarnContext(ctx, "lease: lost", slog.String("lease", name), slog.String("owner", m.owner))
		}
		if err := wait(ctx, interval); err != nil {
			return err
		}
	}
}

// hold runs work while renewing the lease name, held until expires. It
// reports whether Run is done, with Run's result, or false when the lease
// was lost and work has returned.
func (m *Manager) hold(ctx context.Context, name string, expires time.Time, work func(ctx context.Context) error) (bool, error) {
	workCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	result := make(chan error, 1)
	go func() { result <- work(workCtx) }()

	renew := time.NewTicker(m.ttl / 3)
	defer renew.Stop()
	expiry := time.NewTimer(time.Until(expires))
	defer expiry.Stop()
	for {
		select {
		case err := <-result:
			m.release(ctx, name)
			if ctx.Err() != nil {
				return true, ctx.Err()
			}
			return true, err
		case <-ctx.Done():
			cancel(context.Cause(ctx))
			<-result
			m.release(ctx, name)
			return true, ctx.Err()
		case <-expiry.C:
			cancel(ErrLost)
			<-result
			return false, nil
		case <-renew.C:
			start := time.Now()
			err := m.renewBefore(ctx, name, expires)
			if errors.Is(err, ErrNotHeld) {
				cancel(ErrLost)
				<-result
				return false, nil
			}
			if err != nil {
				m.logger.WarnContext(ctx, "lease: renew failed", slog.String("lease", name), slog.Any("err", err))
				continue
			}
			expires = start.Add(m.ttl)
			expiry.Reset(time.Until(expires))
		}
	}
}

// renewBefore renews the lease name, giving up when it expires.
func (m *Manager) renewBefore(ctx context.Context, name string, expires time.Time) error {
	ctx, cancel := context.WithDeadline(ctx, expires)
	defer cancel()
	return m.Renew(ctx, name)
}

// release releases the lease name after Run's work, even when ctx has ended.
func (m *Manager) release(ctx context.Context, name string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), m.ttl)
	defer cancel()
	if err := m.Release(ctx, name); err != nil {
		m.logger.WarnContext(ctx, "lease: release failed", slog.String("lease", name), slog.Any("err", err))
	}
}

// wait waits for d, or until ctx ends, returning ctx's error then.
func wait(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
