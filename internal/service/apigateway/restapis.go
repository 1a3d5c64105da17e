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

// UpdateRestApi applies patch operations to a REST API: replace of
// /name, /description, /apiKeySource and /disableExecuteApiEndpoint; add
// and remove of /binaryMediaTypes/<type> ("/" in the type escaped as
// "~1"), replace of one with the value.
func (s *Service) UpdateRestApi(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in patchInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	var out RestAPI
	err := s.update(ctx, r.Label("restapi_id"), func(_ storage.Tx, rec *apiRecord) error {
		next := rec.API
		next.BinaryMediaTypes = slices.Clone(rec.API.BinaryMediaTypes)
		for _, op := range in.PatchOperations {
			if err := patchRestAPI(&next, op); err != nil {
				return err
			}
		}
		rec.API, out = next, next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusOK, out)
}

// patchRestAPI applies one patch operation to a REST API.
func patchRestAPI(api *RestAPI, op PatchOperation) error {
	if t, ok := strings.CutPrefix(op.Path, "/binaryMediaTypes/"); ok && t != "" {
		return patchBinaryMediaTypes(api, op.Op, unescapePointer(t), op.Value)
	}
	if op.Op != "replace" {
		return errBadRequest.New("Invalid patch operation specified. Must be 'replace' for path: " + op.Path)
	}
	switch op.Path {
	case "/name":
		if op.Value == "" {
			return errBadRequest.New("Invalid REST API name specified")
		}
		api.Name = op.Value
	case "/description":
		api.Description = op.Value
	case "/apiKeySource":
		if op.Value != "HEADER" && op.Value != "AUTHORIZER" {
			return errBadRequest.New("Invalid API key source specified: " + op.Value)
		}
		api.APIKeySource = op.Value
	case "/disableExecuteApiEndpoint":
		v, err := strconv.ParseBool(op.Value)
		if err != nil {
			return errBadRequest.New("Invalid value " + strconv.Quote(op.Value) + " for " + op.Path)
		}
		api.DisableExecuteAPIEndpoint = v
	default:
		return errBadRequest.New("Invalid patch path " + op.Path)
	}
	return nil
}

// patchBinaryMediaTypes adds, removes or replaces (by value) one of a REST
// API's binary media types.
func patchBinaryMediaTypes(api *RestAPI, op, mediaType, value string) error {
	i := slices.Index(api.BinaryMediaTypes, mediaType)
	switch op {
	case "add":
		if i < 0 {
			api.BinaryMediaTypes = append(api.BinaryMediaTypes, mediaType)
		}
	case "remove":
		if i >= 0 {
			api.BinaryMediaTypes = slices.Delete(api.BinaryMediaTypes, i, i+1)
		}
	case "replace":
		if i < 0 {
			return errBadRequest.New("Invalid binary media type specified: " + mediaType)
		}
		api.BinaryMediaTypes[i] = value
	default:
		return errBadRequest.New("Invalid patch operation specified. Must be one of: [add, remove, replace] for path: /binaryMediaTypes/" + mediaType)
	}
	return nil
}
