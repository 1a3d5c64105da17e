package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/fogbank/fogbank/internal/logging"
)

// s3LifecycleLease names the lease under which one node at a time applies
// the S3 buckets' lifecycle rules.
const s3LifecycleLease = "s3/lifecycle"

// startS3Lifecycle runs the S3 lifecycle worker under its lease until ctx
// ends; the channel is closed when it has returned.
func (a *App) startS3Lifecycle(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	interval, day := time.Duration(a.cfg.S3LifecycleInterval), time.Duration(a.cfg.S3LifecycleDay)
	go func() {
		defer close(done)
		err := a.leases.Run(ctx, s3LifecycleLease, func(ctx context.Context) error {
			return a.s3.RunLifecycle(ctx, interval, day)
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			a.logger.ErrorContext(ctx, "background work stopped", slog.String("lease", s3LifecycleLease), slog.Any(logging.KeyErr, err))
		}
	}()
	return done
}
