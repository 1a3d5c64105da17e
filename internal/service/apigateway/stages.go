package apigateway

import (
	"context"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/docstore"
)

// stageNamePattern is what a stage name may be.
// (compiled on first use: the counted repetition makes a large program).
var stageNamePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z0-9_]{1,128}$`) })

// CreateDeployment freezes the resource tree; with stageName it also
// creates the stage, or points an existing one at the new deployment.
func (s *Service) CreateDeployment(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in CreateDeploymentInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if in.StageName != "" && !stageNamePattern().MatchString(in.StageName) {
		return nil, errBadRequest.New("Stage name only allows a-zA-Z0-9_")
	}
	dep := Deployment{CreatedDate: s.now(), Description: in.Description, ID: docstore.NewID(6)}
	apiID := r.Label("restapi_id")
	err := s.update(ctx, apiID, func(tx storage.Tx, rec *apiRecord) error {
		if err := deployable(rec.Resources); err != nil {
			return err
		}
		if err := apis.SaveSnapshot(tx, apiID, dep.ID, frozen{Resources: rec.Resources, Authorizers: rec.Authorizers}); err != nil {
			return err
		}
		rec.Deployments = append(rec.Deployments, dep)
		if in.StageName == "" {
			return nil
		}
		if st := rec.stage(in.StageName); st != nil {
			st.DeploymentID, st.LastUpdatedDate = dep.ID, dep.CreatedDate
			st.Variables = merged(st.Variables, in.Variables)
			return nil
		}
		rec.Stages = append(rec.Stages, s.newStage(CreateStageInput{DeploymentID: dep.ID, Description: in.StageDescription,
			StageName: in.StageName, Variables: in.Variables}))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusCreated, dep)
}

// deployable checks that a resource tree has methods, each integrated.
func deployable(tree []*Resource) error {
	methods := 0
	for _, res := range tree {
		for _, m := range res.ResourceMethods {
			if m.MethodIntegration == nil {
				return errBadRequest.New("No integration defined for method")
			}
			methods++
		}
	}
	if methods == 0 {
		return errBadRequest.New("The REST API doesn't contain any methods")
	}
	return nil
}

// GetDeployments lists a REST API's deployments, oldest first.
func (s *Service) GetDeployments(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	rec, err := s.view(ctx, r.Label("restapi_id"))
	if err != nil {
		return nil, err
	}
	return paged(r, rec.Deployments)
}

// GetDeployment returns one deployment.
func (s *Service) GetDeployment(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	rec, err := s.view(ctx, r.Label("restapi_id"))
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(rec.Deployments, func(d Deployment) bool { return d.ID == r.Label("deployment_id") })
	if i < 0 {
		return nil, notFound(msgNoDeployment)
	}
	return restjson.JSON(http.StatusOK, rec.Deployments[i])
}

// CreateStage creates a stage serving a deployment.
func (s *Service) CreateStage(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in CreateStageInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if !stageNamePattern().MatchString(in.StageName) {
		return nil, errBadRequest.New("Stage name only allows a-zA-Z0-9_")
	}
	var out *Stage
	err := s.update(ctx, r.Label("restapi_id"), func(_ storage.Tx, rec *apiRecord) error {
		if !slices.ContainsFunc(rec.Deployments, func(d Deployment) bool { return d.ID == in.DeploymentID }) {
			return notFound(msgNoDeployment)
		}
		if rec.stage(in.StageName) != nil {
			return errConflict.New("Stage already exists")
		}
		out = s.newStage(in)
		rec.Stages = append(rec.Stages, out)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusCreated, out)
}

// newStage builds a stage.
func (s *Service) newStage(in CreateStageInput) *Stage {
	now := s.now()
	return &Stage{CacheClusterStatus: "NOT_AVAILABLE", CreatedDate: now, DeploymentID: in.DeploymentID,
		Description: in.Description, LastUpdatedDate: now, MethodSettings: map[string]*MethodSetting{}, StageName: in.StageName,
		Tags: in.Tags, TracingEnabled: in.TracingEnabled, Variables: in.Variables}
}

// GetStages lists a REST API's stages.
func (s *Service) GetStages(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	rec, err := s.view(ctx, r.Label("restapi_id"))
	if err != nil {
		return nil, err
	}
	out := items[*Stage]{Item: rec.Stages}
	if dep := r.Query("deploymentId"); dep != "" {
		out.Item = slices.DeleteFunc(out.Item, func(st *Stage) bool { return st.DeploymentID != dep })
	}
	if out.Item == nil {
		out.Item = []*Stage{}
	}
	return restjson.JSON(http.StatusOK, out)
}

// GetStage returns one stage.
func (s *Service) GetStage(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	rec, err := s.view(ctx, r.Label("restapi_id"))
	if err != nil {
		return nil, err
	}
	st := rec.stage(r.Label("stage_name"))
	if st == nil {
		return nil, notFound(msgNoStage)
	}
	return restjson.JSON(http.StatusOK, st)
}

// UpdateStage applies patch operations to a stage: replace or remove of
// /variables/<name>, replace of /description, /deploymentId,
// /tracingEnabled, /cacheClusterEnabled, /cacheClusterSize,
// /accessLogSettings/destinationArn and /accessLogSettings/format, remove
// of /accessLogSettings, and the method settings (methodsettings.go).
func (s *Service) UpdateStage(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in patchInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	var out Stage
	err := s.update(ctx, r.Label("restapi_id"), func(_ storage.Tx, rec *apiRecord) error {
		st := rec.stage(r.Label("stage_name"))
		if st == nil {
			return notFound(msgNoStage)
		}
		next := *st
		next.Variables = maps.Clone(st.Variables)
		next.MethodSettings = maps.Clone(st.MethodSettings)
		for _, op := range in.PatchOperations {
			if err := patchStage(rec, &next, op); err != nil {
				return err
			}
		}
		next.LastUpdatedDate = s.now()
		*st, out = next, next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusOK, out)
}

// patchStage applies one patch operation to a stage.
func patchStage(rec *apiRecord, st *Stage, op PatchOperation) error {
	if name, ok := strings.CutPrefix(op.Path, "/variables/"); ok && name != "" {
		switch op.Op {
		case "replace", "add":
			st.Variables = merged(st.Variables, map[string]string{name: op.Value})
		case "remove":
			delete(st.Variables, name)
		default:
			return errBadRequest.New("Invalid patch operation specified. Must be one of: [add, remove, replace] for path: " + op.Path)
		}
		return nil
	}
	if op.Op == "remove" && op.Path == "/accessLogSettings" {
		st.AccessLogSettings = nil
		return nil
	}
	if handled, err := patchMethodSetting(st, op); handled {
		return err
	}
	if op.Op != "replace" {
		return errBadRequest.New("Invalid patch operation specified. Must be 'replace' for path: " + op.Path)
	}
	switch op.Path {
	case "/description":
		st.Description = op.Value
	case "/deploymentId":
		if !slices.ContainsFunc(rec.Deployments, func(d Deployment) bool { return d.ID == op.Value }) {
			return errBadRequest.New("Deployment id does not exist")
		}
		st.DeploymentID = op.Value
	case "/accessLogSettings/destinationArn", "/accessLogSettings/format":
		return patchAccessLog(st, op)
	case "/tracingEnabled", "/cacheClusterEnabled":
		return patchStageFlag(st, op)
	case "/cacheClusterSize":
		st.CacheClusterSize = op.Value
	default:
		return errBadRequest.New("Invalid patch path " + op.Path)
	}
	return nil
}

// patchStageFlag replaces /tracingEnabled or /cacheClusterEnabled (stored
// only: no traces are written and no cache is kept).
func patchStageFlag(st *Stage, op PatchOperation) error {
	v, err := strconv.ParseBool(op.Value)
	if err != nil {
		return errBadRequest.New("Invalid value " + strconv.Quote(op.Value) + " for " + op.Path)
	}
	if op.Path == "/tracingEnabled" {
		st.TracingEnabled = v
		return nil
	}
	st.CacheClusterEnabled, st.CacheClusterStatus = v, "NOT_AVAILABLE"
	if v {
		st.CacheClusterStatus = "AVAILABLE"
	}
	return nil
}

// patchAccessLog replaces a member of a stage's accessLogSettings; the
// destination must be a CloudWatch Logs group's ARN.
func patchAccessLog(st *Stage, op PatchOperation) error {
	al := AccessLogSettings{}
	if st.AccessLogSettings != nil {
		al = *st.AccessLogSettings
	}
	if op.Path == "/accessLogSettings/format" {
		al.Format = op.Value
	} else {
		if !logGroupARN().MatchString(op.Value) {
			return errBadRequest.New("Invalid ARN specified in the request")
		}
		al.DestinationArn = op.Value
	}
	st.AccessLogSettings = &al
	return nil
}

// logGroupARN matches a CloudWatch Logs group's ARN.
var logGroupARN = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[\w./#-]+(:\*)?$`)
})

// DeleteStage deletes a stage.
func (s *Service) DeleteStage(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	err := s.update(ctx, r.Label("restapi_id"), func(_ storage.Tx, rec *apiRecord) error {
		i := slices.IndexFunc(rec.Stages, func(st *Stage) bool { return st.StageName == r.Label("stage_name") })
		if i < 0 {
			return notFound(msgNoStage)
		}
		rec.Stages = slices.Delete(rec.Stages, i, i+1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &restjson.Response{Status: http.StatusAccepted}, nil
}

// merged returns base with the entries of extra set (nil when both are empty).
func merged(base, extra map[string]string) map[string]string {
	if len(extra) == 0 {
		return base
	}
	out := maps.Clone(base)
	if out == nil {
		out = make(map[string]string, len(extra))
	}
	maps.Copy(out, extra)
	return out
}
