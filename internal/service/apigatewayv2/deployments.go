package apigatewayv2

import (
	"context"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/docstore"
)

// CreateDeployment freezes the API's current routes and integrations;
// with StageName, that stage serves them from now on.
func (s *Service) CreateDeployment(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in DeploymentInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	dep := Deployment{CreatedDate: s.now(), DeploymentID: docstore.NewID(6), DeploymentStatus: "DEPLOYED", Description: in.Description}
	apiID := r.Label("ApiId")
	err := s.update(ctx, apiID, func(tx storage.Tx, rec *apiRecord) error {
		if in.StageName != "" {
			i := findStage(rec, in.StageName)
			if i < 0 {
				return stageNotFound(in.StageName)
			}
			rec.Stages[i].DeploymentID = dep.DeploymentID
			rec.Stages[i].LastUpdatedDate = dep.CreatedDate
		}
		rec.Deployments = append(rec.Deployments, dep)
		return apis.SaveSnapshot(tx, apiID, dep.DeploymentID, snapshot{Routes: rec.Routes, Integrations: rec.Integrations, Authorizers: rec.Authorizers})
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusCreated, dep)
}

// GetDeployment returns one deployment.
func (s *Service) GetDeployment(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return deployments.get(ctx, s, r)
}

// GetDeployments lists the deployments of an API.
func (s *Service) GetDeployments(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return deployments.list(ctx, s, r)
}

// DeleteDeployment removes a deployment no stage serves.
func (s *Service) DeleteDeployment(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	apiID := r.Label("ApiId")
	return deployments.delete(ctx, s, r, func(tx storage.Tx, rec *apiRecord, id string) error {
		for _, st := range rec.Stages {
			if st.DeploymentID == id {
				return errBadRequest.Newf("Cannot delete deployment %s: stage %s serves it.", id, st.StageName)
			}
		}
		return apis.DeleteSnapshot(tx, apiID, id)
	})
}

func deploymentNotFound(id string) error {
	return notFound("Deployment", "Invalid Deployment identifier specified "+id)
}
