package apigateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/fogbank/fogbank/internal/storage"
)

// The keyspace of this package, all under "apigateway/":
//
//	apigateway/a/<apiId>               one REST API (JSON apiRecord)
//	apigateway/v/<apiId>               its revision (decimal), bumped by every change
//	apigateway/d/<apiId>/<deployment>  a deployment's frozen resources and authorizers (JSON)
const (
	apisPrefix        = "apigateway/a/"
	revisionsPrefix   = "apigateway/v/"
	deploymentsPrefix = "apigateway/d/"
)

func apiKey(id string) []byte      { return []byte(apisPrefix + id) }
func revisionKey(id string) []byte { return []byte(revisionsPrefix + id) }
func deploymentKey(apiID, depID string) []byte {
	return []byte(deploymentsPrefix + apiID + "/" + depID)
}

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

// errNoAPI is loadAPI's answer for a missing REST API.
var errNoAPI = errors.New("apigateway: no such REST API")

func loadAPI(tx storage.ReadTx, id string) (*apiRecord, error) {
	raw, err := tx.Get(apiKey(id))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, errNoAPI
	}
	if err != nil {
		return nil, fmt.Errorf("apigateway: load REST API %q: %w", id, err)
	}
	var rec apiRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, fmt.Errorf("apigateway: decode REST API %q: %w", id, err)
	}
	return &rec, nil
}

// saveAPI writes rec and bumps its revision.
func saveAPI(tx storage.Tx, rec *apiRecord) error {
	raw, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("apigateway: encode REST API: %w", err)
	}
	rev, err := readRevision(tx, rec.API.ID)
	if err != nil {
		return err
	}
	if err := tx.Set(apiKey(rec.API.ID), raw); err != nil {
		return fmt.Errorf("apigateway: save REST API: %w", err)
	}
	if err := tx.Set(revisionKey(rec.API.ID), strconv.AppendInt(nil, rev+1, 10)); err != nil {
		return fmt.Errorf("apigateway: save revision: %w", err)
	}
	return nil
}

// readRevision returns the revision of a REST API, 0 when it has none.
func readRevision(tx storage.ReadTx, id string) (int64, error) {
	raw, err := tx.Get(revisionKey(id))
	if errors.Is(err, storage.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("apigateway: load revision: %w", err)
	}
	rev, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("apigateway: decode revision: %w", err)
	}
	return rev, nil
}

// deleteAPI removes a REST API, its revision and its deployments.
func deleteAPI(tx storage.Tx, id string) error {
	prefix := []byte(deploymentsPrefix + id + "/")
	var keys [][]byte
	err := tx.Scan(storage.Range{Start: prefix, End: storage.PrefixEnd(prefix)}, func(k, _ []byte) bool {
		keys = append(keys, append([]byte(nil), k...))
		return true
	})
	if err != nil {
		return fmt.Errorf("apigateway: list deployments: %w", err)
	}
	for _, k := range append(keys, apiKey(id), revisionKey(id)) {
		if err := tx.Delete(k); err != nil {
			return fmt.Errorf("apigateway: delete REST API: %w", err)
		}
	}
	return nil
}

func saveFrozen(tx storage.Tx, apiID, depID string, f frozen) error {
	raw, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("apigateway: encode deployment: %w", err)
	}
	if err := tx.Set(deploymentKey(apiID, depID), raw); err != nil {
		return fmt.Errorf("apigateway: save deployment: %w", err)
	}
	return nil
}

func loadFrozen(tx storage.ReadTx, apiID, depID string) (*frozen, error) {
	raw, err := tx.Get(deploymentKey(apiID, depID))
	if err != nil {
		return nil, fmt.Errorf("apigateway: load deployment %q: %w", depID, err)
	}
	var f frozen
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("apigateway: decode deployment %q: %w", depID, err)
	}
	return &f, nil
}

// view reads one REST API, answering NotFoundException when it is missing.
func (s *Service) view(ctx context.Context, id string) (*apiRecord, error) {
	var rec *apiRecord
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		var err error
		rec, err = loadAPI(tx, id)
		return err
	})
	if errors.Is(err, errNoAPI) {
		return nil, notFound(msgNoRestAPI)
	}
	return rec, err
}

// update runs fn on one REST API in a transaction and saves the record; fn
// may run more than once. The data plane is told after the commit.
func (s *Service) update(ctx context.Context, id string, fn func(tx storage.Tx, rec *apiRecord) error) error {
	err := s.engine.Update(ctx, func(tx storage.Tx) error {
		rec, err := loadAPI(tx, id)
		if err != nil {
			return err
		}
		if err := fn(tx, rec); err != nil {
			return err
		}
		return saveAPI(tx, rec)
	})
	if errors.Is(err, errNoAPI) {
		return notFound(msgNoRestAPI)
	}
	if err == nil {
		s.changed(id)
	}
	return err
}
