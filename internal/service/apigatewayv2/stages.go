package apigatewayv2

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"sync"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
)

// stageNameRE is the stage names accepted besides $default.
var stageNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`) })

func findStage(rec *apiRecord, name string) int {
	return slices.IndexFunc(rec.Stages, func(st Stage) bool { return st.StageName == name })
}

func findDeployment(rec *apiRecord, id string) int {
	return slices.IndexFunc(rec.Deployments, func(d Deployment) bool { return d.DeploymentID == id })
}

// applyStage copies the members an input carries onto st.
func applyStage(st *Stage, in StageInput) {
	setIf(&st.AutoDeploy, in.AutoDeploy)
	setIf(&st.DeploymentID, in.DeploymentID)
	setIf(&st.Description, in.Description)
	if in.StageVariables != nil {
		st.StageVariables = in.StageVariables
	}
	if in.Tags != nil {
		st.Tags = in.Tags
	}
	setRaw(&st.AccessLogSettings, in.AccessLogSettings)
	if in.DefaultRouteSettings != nil {
		st.DefaultRouteSettings = in.DefaultRouteSettings
	}
	if in.RouteSettings != nil {
		st.RouteSettings = in.RouteSettings
	}
}

// setRaw sets *dst to src when the input carried src.
func setRaw(dst *json.RawMessage, src json.RawMessage) {
	if src != nil {
		*dst = src
	}
}

// checkStageDeployment checks that a stage's deployment exists.
func checkStageDeployment(rec *apiRecord, st Stage) error {
	if st.DeploymentID != "" && findDeployment(rec, st.DeploymentID) < 0 {
		return errBadRequest.Newf("Invalid deployment identifier specified %s", st.DeploymentID)
	}
	return nil
}

// CreateStage adds a stage to an API.
func (s *Service) CreateStage(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in StageInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if in.StageName == nil || (*in.StageName != defaultStage && !stageNameRE().MatchString(*in.StageName)) {
		return nil, errBadRequest.New("StageName is required: $default, or 1 to 128 letters, digits, _ and -.")
	}
	now := s.now()
	st := Stage{StageName: *in.StageName, CreatedDate: now, LastUpdatedDate: now}
	applyStage(&st, in)
	return stages.add(ctx, s, r, st, func(rec *apiRecord) error {
		if findStage(rec, st.StageName) >= 0 {
			return errConflict.New("Stage already exists")
		}
		return checkStageDeployment(rec, st)
	})
}

// GetStage returns one stage.
func (s *Service) GetStage(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return stages.get(ctx, s, r)
}

// GetStages lists the stages of an API.
func (s *Service) GetStages(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return stages.list(ctx, s, r)
}

// UpdateStage changes the members the input carries.
func (s *Service) UpdateStage(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in StageInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return stages.change(ctx, s, r, func(rec *apiRecord, st *Stage) error {
		applyStage(st, in)
		if err := checkStageDeployment(rec, *st); err != nil {
			return err
		}
		st.LastUpdatedDate = s.now()
		return nil
	}, nil)
}

// DeleteStage removes a stage.
func (s *Service) DeleteStage(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return stages.delete(ctx, s, r, nil)
}

func stageNotFound(name string) error {
	return notFound("Stage", "Invalid stage identifier specified "+name)
}
