package apigatewayv2

import (
	"context"
	"errors"

	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/docstore"
)

// The keyspace of this package (a docstore.Store), all under "apigatewayv2/":
//
//	apigatewayv2/a/<apiId>               one API (JSON apiRecord)
//	apigatewayv2/v/<apiId>               its revision (decimal), bumped by every change
//	apigatewayv2/d/<apiId>/<deployment>  a deployment's frozen routes (JSON snapshot)
var apis = docstore.New[apiRecord, snapshot]("apigatewayv2/")

// apiRecord is the stored form of an API and everything in it, in
// creation order.
type apiRecord struct {
	API          API           `json:"API"`
	Routes       []Route       `json:"Routes,omitempty"`
	Integrations []Integration `json:"Integrations,omitempty"`
	Stages       []Stage       `json:"Stages,omitempty"`
	Authorizers  []Authorizer  `json:"Authorizers,omitempty"`
	Deployments  []Deployment  `json:"Deployments,omitempty"`
}

// snapshot is what a deployment froze.
type snapshot struct {
	Routes       []Route       `json:"Routes,omitempty"`
	Integrations []Integration `json:"Integrations,omitempty"`
	Authorizers  []Authorizer  `json:"Authorizers,omitempty"`
}

// errNoAPI is the answer for a missing API.
var errNoAPI = docstore.ErrNotFound

// view reads one API, answering NotFoundException when it is missing.
func (s *Service) view(ctx context.Context, id string) (*apiRecord, error) {
	rec, err := apis.View(ctx, s.engine, id)
	if errors.Is(err, errNoAPI) {
		return nil, s.apiNotFound(id)
	}
	return rec, err
}

// update runs fn on one API in a transaction and saves the record; fn may
// run more than once. The data plane is told after the commit.
func (s *Service) update(ctx context.Context, id string, fn func(tx storage.Tx, rec *apiRecord) error) error {
	err := apis.Modify(ctx, s.engine, id, fn)
	if errors.Is(err, errNoAPI) {
		return s.apiNotFound(id)
	}
	if err == nil {
		s.changed(id)
	}
	return err
}

func (s *Service) apiNotFound(id string) error {
	return notFound("Api", "Invalid API identifier specified "+s.opts.AccountID+":"+id)
}
