package app

import (
	"fmt"

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
