package apigatewayv2

import (
	"context"
	"maps"
	"net/http"
	"strings"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/storage"
)

// maxTags is the most tags a resource may carry.
const maxTags = 50

// tagsInput is the body of TagResource; tagsOutput is GetTags'.
type (
	tagsInput struct {
		Tags map[string]string `json:"tags"`
	}
	tagsOutput struct {
		Tags map[string]string `json:"tags"`
	}
)

// taggable resolves a resource ARN — arn:aws:apigateway:<region>::/apis/<id>
// or .../apis/<id>/stages/<name> — to the API and the stage ("" for the
// API itself).
func taggable(arn string) (apiID, stage string, err error) {
	_, path, ok := strings.Cut(arn, "::/apis/")
	if !strings.HasPrefix(arn, "arn:") || !strings.Contains(arn, ":apigateway:") || !ok {
		return "", "", errBadRequest.Newf("Invalid resource ARN specified: %s", arn)
	}
	apiID, rest, hasStage := strings.Cut(path, "/")
	if hasStage {
		if stage, ok = strings.CutPrefix(rest, "stages/"); !ok || stage == "" {
			return "", "", errBadRequest.Newf("Invalid resource ARN specified: %s", arn)
		}
	}
	return apiID, stage, nil
}

// tagsOf returns a pointer to the tags of the resource in rec.
func tagsOf(rec *apiRecord, stage string) (*map[string]string, error) {
	if stage == "" {
		return &rec.API.Tags, nil
	}
	i := findStage(rec, stage)
	if i < 0 {
		return nil, stageNotFound(stage)
	}
	return &rec.Stages[i].Tags, nil
}

// TagResource adds tags to an API or a stage.
func (s *Service) TagResource(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in tagsInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	apiID, stage, err := taggable(r.Label("ResourceArn"))
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, apiID, func(_ storage.Tx, rec *apiRecord) error {
		tags, err := tagsOf(rec, stage)
		if err != nil {
			return err
		}
		merged := maps.Clone(*tags)
		if merged == nil {
			merged = make(map[string]string, len(in.Tags))
		}
		maps.Copy(merged, in.Tags)
		if len(merged) > maxTags {
			return errBadRequest.Newf("A resource can have at most %d tags.", maxTags)
		}
		*tags = merged
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusCreated, struct{}{})
}

// GetTags returns the tags of an API or a stage.
func (s *Service) GetTags(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	apiID, stage, err := taggable(r.Label("ResourceArn"))
	if err != nil {
		return nil, err
	}
	rec, err := s.view(ctx, apiID)
	if err != nil {
		return nil, err
	}
	tags, err := tagsOf(rec, stage)
	if err != nil {
		return nil, err
	}
	out := tagsOutput{Tags: *tags}
	if out.Tags == nil {
		out.Tags = map[string]string{}
	}
	return restjson.JSON(http.StatusOK, out)
}

// UntagResource removes the tags named by the tagKeys query parameters.
func (s *Service) UntagResource(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	apiID, stage, err := taggable(r.Label("ResourceArn"))
	if err != nil {
		return nil, err
	}
	keys := r.HTTP.URL.Query()["tagKeys"]
	err = s.update(ctx, apiID, func(_ storage.Tx, rec *apiRecord) error {
		tags, err := tagsOf(rec, stage)
		if err != nil {
			return err
		}
		kept := maps.Clone(*tags)
		for _, k := range keys {
			delete(kept, k)
		}
		*tags = kept
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &restjson.Response{Status: http.StatusNoContent}, nil
}
