package apigateway

import (
	"context"
	"errors"

	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/docstore"
)

// The keyspace of this package (a docstore.Store), all under "apigateway/":
//
//	apigateway/a/<apiId>               one REST API (JSON apiRecord)
//	apigateway/v/<apiId>               its revision (decimal), bumped by every change
//	apigateway/d/<apiId>/<deployment>  a deployment's frozen resources and authorizers (JSON)
var apis = docstore.New[apiRecord, frozen]("apigateway/")

// apiRecord is the stored form of a REST API and everything in it, in
// creation order (the root resource first).
type apiRecord struct {
	API         RestAPI      `json:"api"`
	Resources   []*Resource  `json:"resources"`
	Deployments []Deployment `json:"deployments,omitempty"`
	Stages      []*Stage     `json:"stages,omitempty"`
	Authorizers []Authorizer `json:"authorizers,omitempty"`
}

// frozen is what a deployment froze.
type frozen struct {
	Resources   []*Resource  `json:"resources"`
	Authorizers []Authorizer `json:"authorizers,omitempty"`
}

// authorizer returns the authorizer with id, nil when there is none.
func (rec *apiRecord) authorizer(id string) *Authorizer {
	for i := range rec.Authorizers {
		if rec.Authorizers[i].ID == id {
			return &rec.Authorizers[i]
		}
	}
	return nil
}

// resource returns the resource with id, nil when there is none.
func (rec *apiRecord) resource(id string) *Resource {
	for _, r := range rec.Resources {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// stage returns the stage named name, nil when there is none.
func (rec *apiRecord) stage(name string) *Stage {
	for _, st := range rec.Stages {
		if st.StageName == name {
			return st
		}
	}
	return nil
}

// errNoAPI is the answer for a missing REST API.
var errNoAPI = docstore.ErrNotFound

// view reads one REST API, answering NotFoundException when it is missing.
func (s *Service) view(ctx context.Context, id string) (*apiRecord, error) {
	rec, err := apis.View(ctx, s.engine, id)
	if errors.Is(err, errNoAPI) {
		return nil, notFound(msgNoRestAPI)
	}
	return rec, err
}

// update runs fn on one REST API in a transaction and saves the record; fn
// may run more than once. The data plane is told after the commit.
func (s *Service) update(ctx context.Context, id string, fn func(tx storage.Tx, rec *apiRecord) error) error {
	err := apis.Modify(ctx, s.engine, id, fn)
	if errors.Is(err, errNoAPI) {
		return notFound(msgNoRestAPI)
	}
	if err == nil {
		s.changed(id)
	}
	return err
}
