package apigatewayv2

import (
	"context"
	"net/http"
	"slices"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/storage"
)

// collection is one kind of an API's sub-resources (routes, integrations,
// stages, deployments, authorizers), for the Get, list and Delete
// operations they share.
type collection[T any] struct {
	label    string                       // the URI label of an element's id, e.g. "RouteId"
	items    func(*apiRecord) *[]T        // the API's elements
	find     func(*apiRecord, string) int // an element's index by id, -1 when missing
	notFound func(id string) error
}

// The API's collections.
var (
	authorizers = collection[Authorizer]{label: "AuthorizerId",
		items: func(rec *apiRecord) *[]Authorizer { return &rec.Authorizers }, find: findAuthorizer, notFound: authorizerNotFound}
	deployments = collection[Deployment]{label: "DeploymentId",
		items: func(rec *apiRecord) *[]Deployment { return &rec.Deployments }, find: findDeployment, notFound: deploymentNotFound}
	integrations = collection[Integration]{label: "IntegrationId",
		items: func(rec *apiRecord) *[]Integration { return &rec.Integrations }, find: findIntegration, notFound: integrationNotFound}
	routes = collection[Route]{label: "RouteId",
		items: func(rec *apiRecord) *[]Route { return &rec.Routes }, find: findRoute, notFound: routeNotFound}
	stages = collection[Stage]{label: "StageName",
		items: func(rec *apiRecord) *[]Stage { return &rec.Stages }, find: findStage, notFound: stageNotFound}
)

// get answers a Get of the element the request names.
func (c collection[T]) get(ctx context.Context, s *Service, r *restjson.Request) (*restjson.Response, error) {
	rec, err := s.view(ctx, r.Label("ApiId"))
	if err != nil {
		return nil, err
	}
	i := c.find(rec, r.Label(c.label))
	if i < 0 {
		return nil, c.notFound(r.Label(c.label))
	}
	return restjson.JSON(http.StatusOK, (*c.items(rec))[i])
}

// list answers a paged list of the API's elements.
func (c collection[T]) list(ctx context.Context, s *Service, r *restjson.Request) (*restjson.Response, error) {
	rec, err := s.view(ctx, r.Label("ApiId"))
	if err != nil {
		return nil, err
	}
	return paged(r, *c.items(rec))
}

// delete removes the element the request names. release, when set, runs
// in the same transaction first: it refuses the deletion (an element still
// in use) or removes what belongs to the element.
func (c collection[T]) delete(ctx context.Context, s *Service, r *restjson.Request,
	release func(tx storage.Tx, rec *apiRecord, id string) error) (*restjson.Response, error) {
	id := r.Label(c.label)
	err := s.update(ctx, r.Label("ApiId"), func(tx storage.Tx, rec *apiRecord) error {
		i := c.find(rec, id)
		if i < 0 {
			return c.notFound(id)
		}
		if release != nil {
			if err := release(tx, rec, id); err != nil {
				return err
			}
		}
		items := c.items(rec)
		*items = slices.Delete(*items, i, i+1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &restjson.Response{Status: http.StatusNoContent}, nil
}

// add appends el to the API's elements and answers 201 with it; check,
// when set, runs in the transaction first and may refuse it.
func (c collection[T]) add(ctx context.Context, s *Service, r *restjson.Request, el T, check func(rec *apiRecord) error) (*restjson.Response, error) {
	err := s.update(ctx, r.Label("ApiId"), func(_ storage.Tx, rec *apiRecord) error {
		if check != nil {
			if err := check(rec); err != nil {
				return err
			}
		}
		items := c.items(rec)
		*items = append(*items, el)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusCreated, el)
}

// change edits a copy of the element the request names, stores it in its
// place and answers 200 with it; stored, when set, then checks the API
// with the element changed. Either refuses the change by failing.
func (c collection[T]) change(ctx context.Context, s *Service, r *restjson.Request,
	edit func(rec *apiRecord, el *T) error, stored func(rec *apiRecord, el T) error) (*restjson.Response, error) {
	var out T
	err := s.update(ctx, r.Label("ApiId"), func(_ storage.Tx, rec *apiRecord) error {
		i := c.find(rec, r.Label(c.label))
		if i < 0 {
			return c.notFound(r.Label(c.label))
		}
		items := c.items(rec)
		el := (*items)[i]
		if err := edit(rec, &el); err != nil {
			return err
		}
		(*items)[i], out = el, el
		if stored != nil {
			return stored(rec, el)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusOK, out)
}
