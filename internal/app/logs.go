package app

import (
	"context"
	"fmt"

	"github.com/fogbank/fogbank/internal/logship"
	"github.com/fogbank/fogbank/internal/server"
	"github.com/fogbank/fogbank/internal/service/logs"
	"github.com/fogbank/fogbank/internal/storage"
)

// newLogs builds the CloudWatch Logs service.
func (a *App) newLogs(engine storage.Engine) (*logs.Service, error) {
	svc, err := logs.New(logs.Options{Engine: engine, Region: a.cfg.Region, AccountID: a.cfg.AccountID,
		Logger: a.component("logs")})
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return svc, nil
}

// logsJSON is the server registration of the CloudWatch Logs API.
func logsJSON(svc *logs.Service) server.JSONService {
	return server.JSONService{SigningName: "logs", API: svc.API()}
}

// logSink writes the Lambda service's function logs and the gateway's
// access logs to the logs service.
type logSink struct{ logs *logs.Service }

// Append implements logship.Sink.
func (s logSink) Append(ctx context.Context, batches []logship.Batch) error {
	out := make([]logs.StreamEvents, len(batches))
	for i, b := range batches {
		events := make([]logs.Event, len(b.Events))
		for j, e := range b.Events {
			events[j] = logs.Event{Timestamp: e.Timestamp, Message: e.Message}
		}
		out[i] = logs.StreamEvents{Group: b.Group, Stream: b.Stream, Events: events}
	}
	return s.logs.Append(ctx, out)
}
