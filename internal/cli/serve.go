package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/fogbank/fogbank/internal/app"
	"github.com/fogbank/fogbank/internal/config"
	"github.com/fogbank/fogbank/internal/logging"
)

// serve runs the server until ctx is cancelled, then shuts it down
// gracefully within the configured shutdown timeout.
func serve(ctx context.Context, args []string, e env) int {
	start := time.Now()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	configPath := fs.String("config", "", "JSON config file (fields as in config.Config, e.g. {\"region\":\"eu-west-1\"})")
	config.AddFlags(fs)
	if exit, ok := parseFlags(fs, args); !ok {
		return exit
	}
	cfg, err := config.Load(*configPath, e.lookupEnv, fs)
	if err != nil {
		fmt.Fprintf(e.stderr, "fogbank serve: %v\n", err)
		return exitUsage
	}
	logger, err := app.NewLogger(cfg, e.stderr)
	if err != nil {
		fmt.Fprintf(e.stderr, "fogbank serve: %v\n", err)
		return exitUsage
	}
	a, err := app.New(ctx, cfg, app.WithLogger(logger), app.WithNotice(e.stderr))
	if err != nil {
		logger.ErrorContext(ctx, "cannot start", slog.Any(logging.KeyErr, err))
		return startFailureCode(err)
	}
	if e.signals != nil {
		<-e.signals // so that a signal once serving shuts down gracefully
	}
	if err := a.Start(ctx); err != nil {
		logger.ErrorContext(ctx, "cannot start", slog.Any(logging.KeyErr, err))
		closeApp(ctx, a, cfg, logger)
		return exitFailure
	}
	logStarted(ctx, logger, a, cfg, time.Since(start))
	<-ctx.Done()
	logger.Info("shutting down")
	if !closeApp(ctx, a, cfg, logger) {
		return exitFailure
	}
	logger.Info("stopped")
	return exitOK
}

// startFailureCode returns the exit code for an error of app.New.
func startFailureCode(err error) int {
	switch {
	case errors.Is(err, app.ErrStorageUnreachable):
		return exitStorageUnreachable
	case errors.Is(err, app.ErrStorageSchemaTooNew):
		return exitStorageSchemaTooNew
	}
	return exitFailure
}

// logStarted writes the one startup line; startup is the time from the
// serve command's start to serving (process start-up not included).
func logStarted(ctx context.Context, logger *slog.Logger, a *app.App, cfg config.Config, startup time.Duration) {
	msg := "fogbank serving"
	if cfg.Dev {
		msg += " (dev mode: any credentials accepted)"
	}
	logger.InfoContext(ctx, msg,
		slog.String("addr", a.Addr()),
		slog.String("endpoint", "http://"+a.Addr()),
		slog.String("data_dir", cfg.DataDir),
		slog.String("storage", a.Storage()),
		slog.String("region", cfg.Region),
		slog.String("credentials_file", a.CredentialsFile()),
		slog.String("version", version()),
		slog.Duration("startup", startup),
	)
}

// closeApp drains and closes a within the shutdown timeout; ok is false if
// that failed.
func closeApp(ctx context.Context, a *app.App, cfg config.Config, logger *slog.Logger) (ok bool) {
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Duration(cfg.ShutdownTimeout))
	defer cancel()
	if err := a.Close(shutdownCtx); err != nil {
		logger.Error("shutdown failed", slog.Any(logging.KeyErr, err))
		return false
	}
	return true
}
