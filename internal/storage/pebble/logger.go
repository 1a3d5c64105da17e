package pebble

import (
	"context"
	"fmt"
	"log/slog"
)

// pebbleLogger adapts a slog.Logger to Pebble's Logger interface.
type pebbleLogger struct {
	logger *slog.Logger
}

// Infof logs one of Pebble's informational messages at Debug.
func (l pebbleLogger) Infof(format string, args ...any) {
	l.log(slog.LevelDebug, format, args)
}

// Errorf logs one of Pebble's error messages at Error.
func (l pebbleLogger) Errorf(format string, args ...any) {
	l.log(slog.LevelError, format, args)
}

// Fatalf logs a Pebble invariant failure at Error and panics: Pebble does not
// expect Fatalf to return, and continuing could corrupt the store.
func (l pebbleLogger) Fatalf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	l.logger.LogAttrs(context.Background(), slog.LevelError, msg, slog.String("source", "pebble"))
	panic("storage/pebble: fatal: " + msg)
}

// log formats and writes a message if the level is enabled.
func (l pebbleLogger) log(level slog.Level, format string, args []any) {
	ctx := context.Background()
	if !l.logger.Enabled(ctx, level) {
		return
	}
	l.logger.LogAttrs(ctx, level, fmt.Sprintf(format, args...), slog.String("source", "pebble"))
}
