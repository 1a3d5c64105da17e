package apigateway

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/docstore"
)

// CreateRestApi creates a REST API with its root resource "/".
func (s *Service) CreateRestApi(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in CreateRestAPIInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if in.Name == "" {
		return nil, errBadRequest.New("Invalid REST API name specified")
	}
	root := &Resource{ID: docstore.NewID(10), Path: "/"}
	endpoint := in.EndpointConfiguration
	if endpoint == nil || len(endpoint.Types) == 0 {
		endpoint = &EndpointConfiguration{Types: []string{"EDGE"}}
	}
	rec := &apiRecord{API: RestAPI{
		APIKeySource: orDefault(in.APIKeySource, "HEADER"), BinaryMediaTypes: in.BinaryMediaTypes,
		CreatedDate: s.now(), Description: in.Description, DisableExecuteAPIEndpoint: in.DisableExecuteAPIEndpoint,
		EndpointConfiguration: endpoint, ID: docstore.NewID(10), Name: in.Name, RootResourceID: root.ID, Tags: in.Tags,
		Version: in.Version,
	}, Resources: []*Resource{root}}
	if err := s.engine.Update(ctx, func(tx storage.Tx) error { return apis.Save(tx, rec.API.ID, rec) }); err != nil {
		return nil, err
	}
	s.changed(rec.API.ID)
	return restjson.JSON(http.StatusCreated, rec.API)
}

// GetRestApi returns one REST API.
func (s *Service) GetRestApi(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	rec, err := s.view(ctx, r.Label("restapi_id"))
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusOK, rec.API)
}

// GetRestApis lists the REST APIs, oldest first, paged by limit and position.
func (s *Service) GetRestApis(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var all []RestAPI
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		recs, err := apis.All(tx)
		for _, rec := range recs {
			all = append(all, rec.API)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b RestAPI) int {
		return cmp.Or(cmp.Compare(a.CreatedDate, b.CreatedDate), strings.Compare(a.ID, b.ID))
	})
	return paged(r, all)
}

// DeleteRestApi deletes a REST API with everything in it.
func (s *Service) DeleteRestApi(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	id := r.Label("restapi_id")
	err := s.engine.Update(ctx, func(tx storage.Tx) error {
		if _, err := apis.Load(tx, id); err != nil {
			return err
		}
		return apis.Delete(tx, id)
	})
	if errors.Is(err, errNoAPI) {
		return nil, notFound(msgNoRestAPI)
	}
	if err != nil {
		return nil, err
	}
	s.changed(id)
	return &restjson.Response{Status: http.StatusAccepted}, nil
}

// defaultLimit and maxLimit bound a page of a list operation.
const (
	defaultLimit = 25
	maxLimit     = 500
)

// paged answers a list operation with the page of items that the
// request's limit and position select; the position is the offset of the
// next item.
func paged[T any](r *restjson.Request, all []T) (*restjson.Response, error) {
	start := 0
	if pos := r.Query("position"); pos != "" {
		n, err := strconv.Atoi(pos)
		if err != nil || n < 0 || n > len(all) {
			return nil, errBadRequest.New("Invalid position parameter")
		}
		start = n
	}
	limit := defaultLimit
	if v := r.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return nil, errBadRequest.New("1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 500")
		}
		limit = n
	}
	end := min(len(all), start+limit)
	out := items[T]{Item: append([]T{}, all[start:end]...)}
	if end < len(all) {
		out.Position = strconv.Itoa(end)
	}
	return restjson.JSON(http.StatusOK, out)
}
