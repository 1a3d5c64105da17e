package apigateway

import (
	"context"

	"github.com/fogbank/fogbank/internal/storage"
)

// ErrNoAPI is Definition's error for a REST API that does not exist.
var ErrNoAPI = errNoAPI

// Definition is what the data plane serves of one REST API.
type Definition struct {
	// APIID is the REST API's id.
	APIID string
	// Revision changes with every change to the REST API (see [Service.Revision]).
	Revision int64
	// Disabled is disableExecuteApiEndpoint: the API answers no requests.
	Disabled bool
	// BinaryMediaTypes are the media types the API treats as binary.
	BinaryMediaTypes []string
	// Stages are the REST API's stages with their deployments' resources.
	Stages []DeployedStage
}

// DeployedStage is one stage and the resource tree its deployment froze.
type DeployedStage struct {
	// Name is the stage name.
	Name string
	// Variables are the stage variables.
	Variables map[string]string
	// Resources are the deployment's resources, methods and integrations.
	Resources []*Resource
	// Authorizers are the deployment's authorizers.
	Authorizers []Authorizer
	// AccessLog is the stage's accessLogSettings; nil when unset.
	AccessLog *AccessLogSettings
	// MethodSettings are the stage's method settings by key: AllMethods
	// or "<resource path without its leading slash>/<HTTP method>".
	MethodSettings map[string]*MethodSetting
}

// Revision returns the revision of a REST API: a number that changes
// whenever the API or anything in it changes, 0 when it does not exist.
// It is one small read, cheap enough to check per request.
func (s *Service) Revision(ctx context.Context, apiID string) (int64, error) {
	return apis.ReadRevision(ctx, s.engine, apiID)
}

// Definition returns what the data plane serves of a REST API, read in
// one snapshot; ErrNoAPI when it does not exist.
func (s *Service) Definition(ctx context.Context, apiID string) (*Definition, error) {
	var def *Definition
	err := apis.Read(ctx, s.engine, apiID, func(tx storage.ReadTx, rec *apiRecord, rev int64) error {
		def = &Definition{APIID: apiID, Revision: rev, Disabled: rec.API.DisableExecuteAPIEndpoint,
			BinaryMediaTypes: rec.API.BinaryMediaTypes}
		for _, st := range rec.Stages {
			f, err := apis.LoadSnapshot(tx, apiID, st.DeploymentID)
			if err != nil {
				return err
			}
			def.Stages = append(def.Stages, DeployedStage{Name: st.StageName, Variables: st.Variables,
				Resources: f.Resources, Authorizers: f.Authorizers, AccessLog: st.AccessLogSettings,
				MethodSettings: st.MethodSettings})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return def, nil
}
