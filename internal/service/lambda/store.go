package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/fogbank/fogbank/internal/storage"
)

// The keyspace of this package, all under "lambda/":
//
//	lambda/f/<function name>   one function (JSON [functionRecord])
//	lambda/q/<due><request id> one queued Event invocation (JSON [queuedEvent]);
//	                           due is a keyenc uint64 of Unix nanoseconds
const (
	functionsPrefix = "lambda/f/"
	queuePrefix     = "lambda/q/"
)

func functionKey(name string) []byte { return append([]byte(functionsPrefix), name...) }

// functionRecord is the stored form of a function: $LATEST, its published
// versions, aliases, concurrency, resource policy and tags.
type functionRecord struct {
	Latest      versionRecord          `json:"Latest"`
	Versions    []versionRecord        `json:"Versions,omitempty"` // ascending
	NextVersion int                    `json:"NextVersion"`
	Aliases     map[string]aliasRecord `json:"Aliases,omitempty"`
	Reserved    *int                   `json:"Reserved,omitempty"`
	Policy      []json.RawMessage      `json:"Policy,omitempty"`
	PolicyRevID string                 `json:"PolicyRevisionId,omitempty"`
	Tags        map[string]string      `json:"Tags,omitempty"`
	// EventInvoke holds the event invoke configs by qualifier ("$LATEST"
	// for the unqualified function).
	EventInvoke map[string]eventInvokeRecord `json:"EventInvoke,omitempty"`
}

// versionRecord is one version: its configuration as served and the hex
// SHA-256 naming its code in the code store.
type versionRecord struct {
	Config  FunctionConfiguration `json:"Config"`
	CodeHex string                `json:"CodeHex"`
}

// aliasRecord is one alias.
type aliasRecord struct {
	FunctionVersion string `json:"FunctionVersion"`
	Description     string `json:"Description"`
	RevisionID      string `json:"RevisionId"`
}

// errNoFunction is loadFunction's answer for a missing function.
var errNoFunction = errors.New("lambda: no such function")

func loadFunction(tx storage.ReadTx, name string) (*functionRecord, error) {
	raw, err := tx.Get(functionKey(name))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, errNoFunction
	}
	if err != nil {
		return nil, fmt.Errorf("lambda: load function %q: %w", name, err)
	}
	var rec functionRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, fmt.Errorf("lambda: decode function %q: %w", name, err)
	}
	return &rec, nil
}

func saveFunction(tx storage.Tx, rec *functionRecord) error {
	raw, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("lambda: encode function: %w", err)
	}
	if err := tx.Set(functionKey(rec.Latest.Config.FunctionName), raw); err != nil {
		return fmt.Errorf("lambda: save function: %w", err)
	}
	return nil
}

// getFunction reads one function, answering ResourceNotFoundException
// when it does not exist.
func (s *Service) getFunction(ctx context.Context, name string) (*functionRecord, error) {
	var rec *functionRecord
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		var err error
		rec, err = loadFunction(tx, name)
		return err
	})
	if errors.Is(err, errNoFunction) {
		return nil, functionNotFound(s.functionARN(name, ""))
	}
	return rec, err
}

// updateFunction runs fn on the stored function and saves it, answering
// ResourceNotFoundException when it does not exist.
func (s *Service) updateFunction(ctx context.Context, name string, fn func(*functionRecord) error) (*functionRecord, error) {
	var rec *functionRecord
	err := s.engine.Update(ctx, func(tx storage.Tx) error {
		var err error
		if rec, err = loadFunction(tx, name); err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
		return saveFunction(tx, rec)
	})
	s.functions.Delete(name) // the next invocation reads the change
	if errors.Is(err, errNoFunction) {
		return nil, functionNotFound(s.functionARN(name, ""))
	}
	return rec, err
}

// version returns the record of a version ("$LATEST" or a number), or nil.
func (rec *functionRecord) version(v string) *versionRecord {
	if v == latest {
		return &rec.Latest
	}
	for i := range rec.Versions {
		if rec.Versions[i].Config.Version == v {
			return &rec.Versions[i]
		}
	}
	return nil
}
