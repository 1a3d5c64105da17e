package apigatewayv2

import (
	"context"
	"encoding/json"

	"github.com/fogbank/fogbank/internal/storage"
)

// ErrNoAPI is Definition's error for an API that does not exist.
var ErrNoAPI = errNoAPI

// Definition is what the data plane serves of one API.
type Definition struct {
	// APIID is the API's id.
	APIID string
	// Revision changes with every change to the API (see [Service.Revision]).
	Revision int64
	// Disabled is DisableExecuteApiEndpoint: the API answers no requests.
	Disabled bool
	// Cors is the API's CorsConfiguration, nil when none.
	Cors *Cors
	// Stages are the API's stages with what each serves.
	Stages []DeployedStage
}

// DeployedStage is one stage and the routes it serves: the API's current
// routes for an AutoDeploy stage, its deployment's frozen routes
// otherwise, none when it has neither.
type DeployedStage struct {
	// Name is the stage name; "$default" is served without a path prefix.
	Name string
	// Variables are the stage variables.
	Variables map[string]string
	// Routes, Integrations and Authorizers are what the stage serves.
	Routes       []Route
	Integrations []Integration
	Authorizers  []Authorizer
	// DefaultRouteSettings and RouteSettings (by route key) carry the
	// throttling limits.
	DefaultRouteSettings *RouteSettings
	RouteSettings        map[string]RouteSettings
	// AccessLog is the stage's AccessLogSettings; nil when unset or unreadable.
	AccessLog *AccessLogSettings
}

// AccessLogSettings is a stage's access logging: the CloudWatch Logs
// group's ARN and the line format.
type AccessLogSettings struct {
	DestinationArn string `json:"destinationArn"`
	Format         string `json:"format"`
}

// accessLogOf reads a stage's stored AccessLogSettings.
func accessLogOf(raw json.RawMessage) *AccessLogSettings {
	var al AccessLogSettings
	if len(raw) == 0 || json.Unmarshal(raw, &al) != nil || al.DestinationArn == "" {
		return nil
	}
	return &al
}

// Revision returns the revision of an API: a number that changes whenever
// the API or anything in it changes, 0 when the API does not exist. It is
// one small read, cheap enough to check per request.
func (s *Service) Revision(ctx context.Context, apiID string) (int64, error) {
	return apis.ReadRevision(ctx, s.engine, apiID)
}

// Definition returns what the data plane serves of an API, read in one
// snapshot; ErrNoAPI when it does not exist.
func (s *Service) Definition(ctx context.Context, apiID string) (*Definition, error) {
	var def *Definition
	err := apis.Read(ctx, s.engine, apiID, func(tx storage.ReadTx, rec *apiRecord, rev int64) error {
		def = &Definition{APIID: apiID, Revision: rev, Disabled: rec.API.DisableExecuteAPIEndpoint, Cors: rec.API.CorsConfiguration}
		for _, st := range rec.Stages {
			ds, err := deployedStage(tx, rec, st)
			if err != nil {
				return err
			}
			def.Stages = append(def.Stages, ds)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return def, nil
}

// deployedStage resolves what one stage serves.
func deployedStage(tx storage.ReadTx, rec *apiRecord, st Stage) (DeployedStage, error) {
	ds := DeployedStage{Name: st.StageName, Variables: st.StageVariables,
		DefaultRouteSettings: st.DefaultRouteSettings, RouteSettings: st.RouteSettings, AccessLog: accessLogOf(st.AccessLogSettings)}
	switch {
	case st.AutoDeploy:
		ds.Routes, ds.Integrations, ds.Authorizers = rec.Routes, rec.Integrations, rec.Authorizers
	case st.DeploymentID != "":
		snap, err := apis.LoadSnapshot(tx, rec.API.APIID, st.DeploymentID)
		if err != nil {
			return ds, err
		}
		ds.Routes, ds.Integrations, ds.Authorizers = snap.Routes, snap.Integrations, snap.Authorizers
	}
	return ds, nil
}
