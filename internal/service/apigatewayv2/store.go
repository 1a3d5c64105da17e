package apigatewayv2

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/fogbank/fogbank/internal/storage"
)

// The keyspace of this package, all under "apigatewayv2/":
//
//	apigatewayv2/a/<apiId>               one API (JSON apiRecord)
//	apigatewayv2/v/<apiId>               its revision (decimal), bumped by every change
//	apigatewayv2/d/<apiId>/<deployment>  a deployment's frozen routes (JSON snapshot)
const (
	apisPrefix        = "apigatewayv2/a/"
	revisionsPrefix   = "apigatewayv2/v/"
	deploymentsPrefix = "apigatewayv2/d/"
)

func apiKey(id string) []byte      { return []byte(apisPrefix + id) }
func revisionKey(id string) []byte { return []byte(revisionsPrefix + id) }
func deploymentKey(apiID, depID string) []byte {
	return []byte(deploymentsPrefix + apiID + "/" + depID)
}

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

// errNoAPI is loadAPI's answer for a missing API.
var errNoAPI = errors.New("apigatewayv2: no such API")

func loadAPI(tx storage.ReadTx, id string) (*apiRecord, error) {
	raw, err := tx.Get(apiKey(id))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, errNoAPI
	}
	if err != nil {
		return nil, fmt.Errorf("apigatewayv2: load API %q: %w", id, err)
	}
	var rec apiRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, fmt.Errorf("apigatewayv2: decode API %q: %w", id, err)
	}
	return &rec, nil
}

// saveAPI writes rec and bumps its revision.
func saveAPI(tx storage.Tx, rec *apiRecord) error {
	raw, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("apigatewayv2: encode API: %w", err)
	}
	rev, err := readRevision(tx, rec.API.APIID)
	if err != nil {
		return err
	}
	if err := tx.Set(apiKey(rec.API.APIID), raw); err != nil {
		return fmt.Errorf("apigatewayv2: save API: %w", err)
	}
	if err := tx.Set(revisionKey(rec.API.APIID), strconv.AppendInt(nil, rev+1, 10)); err != nil {
		return fmt.Errorf("apigatewayv2: save revision: %w", err)
	}
	return nil
}

// readRevision returns the revision of an API, 0 when it has none.
func readRevision(tx storage.ReadTx, id string) (int64, error) {
	raw, err := tx.Get(revisionKey(id))
	if errors.Is(err, storage.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("apigatewayv2: load revision: %w", err)
	}
	rev, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("apigatewayv2: decode revision: %w", err)
	}
	return rev, nil
}

// deleteAPI removes an API, its deployments and bumps its revision past
// any the data plane has seen (so that a cached snapshot is dropped).
func deleteAPI(tx storage.Tx, id string) error {
	prefix := []byte(deploymentsPrefix + id + "/")
	var keys [][]byte
	err := tx.Scan(storage.Range{Start: prefix, End: storage.PrefixEnd(prefix)}, func(k, _ []byte) bool {
		keys = append(keys, append([]byte(nil), k...))
		return true
	})
	if err != nil {
		return fmt.Errorf("apigatewayv2: list deployments: %w", err)
	}
	for _, k := range append(keys, apiKey(id), revisionKey(id)) {
		if err := tx.Delete(k); err != nil {
			return fmt.Errorf("apigatewayv2: delete API: %w", err)
		}
	}
	return nil
}

func saveSnapshot(tx storage.Tx, apiID, depID string, snap snapshot) error {
	raw, err := json.Marshal(snap)
	if err != nil {
		return fmt.Errorf("apigatewayv2: encode deployment: %w", err)
	}
	if err := tx.Set(deploymentKey(apiID, depID), raw); err != nil {
		return fmt.Errorf("apigatewayv2: save deployment: %w", err)
	}
	return nil
}

func loadSnapshot(tx storage.ReadTx, apiID, depID string) (*snapshot, error) {
	raw, err := tx.Get(deploymentKey(apiID, depID))
	if err != nil {
		return nil, fmt.Errorf("apigatewayv2: load deployment %q: %w", depID, err)
	}
	var snap snapshot
	if err := json.Unmarshal(raw, &snap); err != nil {
		return nil, fmt.Errorf("apigatewayv2: decode deployment %q: %w", depID, err)
	}
	return &snap, nil
}

// view reads one API, answering NotFoundException when it is missing.
func (s *Service) view(ctx context.Context, id string) (*apiRecord, error) {
	var rec *apiRecord
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		var err error
		rec, err = loadAPI(tx, id)
		return err
	})
	if errors.Is(err, errNoAPI) {
		return nil, s.apiNotFound(id)
	}
	return rec, err
}

// update runs fn on one API in a transaction and saves the record; fn may
// run more than once. The data plane is told after the commit.
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
