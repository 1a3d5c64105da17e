package lambda

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
)

// Limits of an event invoke config.
const (
	maxRetryAttempts = 2
	minEventAge      = 60
	maxEventAge      = 21600
)

// eventInvokeRecord is the stored event invoke config of one qualifier.
type eventInvokeRecord struct {
	MaximumRetryAttempts     *int               `json:"MaximumRetryAttempts,omitempty"`
	MaximumEventAgeInSeconds *int               `json:"MaximumEventAgeInSeconds,omitempty"`
	DestinationConfig        *DestinationConfig `json:"DestinationConfig,omitempty"`
	LastModified             float64            `json:"LastModified"`
}

// DestinationConfig names where Event invocation outcomes are sent.
type DestinationConfig struct {
	OnSuccess *Destination `json:"OnSuccess,omitempty"`
	OnFailure *Destination `json:"OnFailure,omitempty"`
}

// Destination is one destination ARN.
type Destination struct {
	Destination string `json:"Destination,omitempty"`
}

// EventInvokeConfigInput is the body of Put/UpdateFunctionEventInvokeConfig.
type EventInvokeConfigInput struct {
	MaximumRetryAttempts     *int               `json:"MaximumRetryAttempts"`
	MaximumEventAgeInSeconds *int               `json:"MaximumEventAgeInSeconds"`
	DestinationConfig        *DestinationConfig `json:"DestinationConfig"`
}

// FunctionEventInvokeConfig is an event invoke config as the API returns it.
type FunctionEventInvokeConfig struct {
	LastModified             float64           `json:"LastModified"`
	FunctionArn              string            `json:"FunctionArn"`
	MaximumRetryAttempts     *int              `json:"MaximumRetryAttempts,omitempty"`
	MaximumEventAgeInSeconds *int              `json:"MaximumEventAgeInSeconds,omitempty"`
	DestinationConfig        DestinationConfig `json:"DestinationConfig"`
}

// ListEventInvokeConfigsOutput is ListFunctionEventInvokeConfigs' answer.
type ListEventInvokeConfigsOutput struct {
	FunctionEventInvokeConfigs []FunctionEventInvokeConfig `json:"FunctionEventInvokeConfigs"`
}

// PutFunctionEventInvokeConfig replaces a qualifier's event invoke config.
func (s *Service) PutFunctionEventInvokeConfig(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return s.writeEventInvokeConfig(ctx, r, false)
}

// UpdateFunctionEventInvokeConfig changes the given members of a
// qualifier's event invoke config.
func (s *Service) UpdateFunctionEventInvokeConfig(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return s.writeEventInvokeConfig(ctx, r, true)
}

func (s *Service) writeEventInvokeConfig(ctx context.Context, r *restjson.Request, merge bool) (*restjson.Response, error) {
	name, qualifier, err := resolve(r)
	if err != nil {
		return nil, err
	}
	var in EventInvokeConfigInput
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	key := eventInvokeKey(qualifier)
	var out eventInvokeRecord
	_, err = s.updateFunction(ctx, name, func(rec *functionRecord) error {
		if _, err := s.lookupVersion(rec, qualifier); err != nil {
			return err
		}
		out = rec.EventInvoke[key]
		if !merge {
			out = eventInvokeRecord{}
		}
		out.apply(&in)
		if rec.EventInvoke == nil {
			rec.EventInvoke = map[string]eventInvokeRecord{}
		}
		rec.EventInvoke[key] = out
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusOK, out.describe(s.functionARN(name, qualifier)))
}

func (in *EventInvokeConfigInput) validate() error {
	if n := in.MaximumRetryAttempts; n != nil && (*n < 0 || *n > maxRetryAttempts) {
		return validationError(strconv.Itoa(*n), "maximumRetryAttempts", "Member must have value less than or equal to 2")
	}
	if n := in.MaximumEventAgeInSeconds; n != nil && (*n < minEventAge || *n > maxEventAge) {
		return validationError(strconv.Itoa(*n), "maximumEventAgeInSeconds", "Member must have value between 60 and 21600")
	}
	return nil
}

// apply sets the members in gives.
func (e *eventInvokeRecord) apply(in *EventInvokeConfigInput) {
	if in.MaximumRetryAttempts != nil {
		e.MaximumRetryAttempts = in.MaximumRetryAttempts
	}
	if in.MaximumEventAgeInSeconds != nil {
		e.MaximumEventAgeInSeconds = in.MaximumEventAgeInSeconds
	}
	if in.DestinationConfig != nil {
		e.DestinationConfig = in.DestinationConfig
	}
	e.LastModified = float64(time.Now().UnixMilli()) / 1000
}

func (e *eventInvokeRecord) describe(arn string) FunctionEventInvokeConfig {
	out := FunctionEventInvokeConfig{LastModified: e.LastModified, FunctionArn: arn,
		MaximumRetryAttempts: e.MaximumRetryAttempts, MaximumEventAgeInSeconds: e.MaximumEventAgeInSeconds}
	if e.DestinationConfig != nil {
		out.DestinationConfig = *e.DestinationConfig
	}
	return out
}

// eventInvokeKey names a qualifier's config in functionRecord.EventInvoke.
func eventInvokeKey(qualifier string) string {
	if qualifier == "" {
		return latest
	}
	return qualifier
}

// GetFunctionEventInvokeConfig returns a qualifier's event invoke config.
func (s *Service) GetFunctionEventInvokeConfig(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, qualifier, err := resolve(r)
	if err != nil {
		return nil, err
	}
	rec, err := s.getFunction(ctx, name)
	if err != nil {
		return nil, err
	}
	cfg, ok := rec.EventInvoke[eventInvokeKey(qualifier)]
	if !ok {
		return nil, errNotFound.Newf("The function %s doesn't have an EventInvokeConfig", s.functionARN(name, qualifier))
	}
	return restjson.JSON(http.StatusOK, cfg.describe(s.functionARN(name, qualifier)))
}

// DeleteFunctionEventInvokeConfig removes a qualifier's event invoke config.
func (s *Service) DeleteFunctionEventInvokeConfig(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, qualifier, err := resolve(r)
	if err != nil {
		return nil, err
	}
	_, err = s.updateFunction(ctx, name, func(rec *functionRecord) error {
		if _, ok := rec.EventInvoke[eventInvokeKey(qualifier)]; !ok {
			return errNotFound.Newf("The function %s doesn't have an EventInvokeConfig", s.functionARN(name, qualifier))
		}
		delete(rec.EventInvoke, eventInvokeKey(qualifier))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &restjson.Response{Status: http.StatusNoContent}, nil
}

// ListFunctionEventInvokeConfigs lists a function's event invoke configs
// (one page: a function has few).
func (s *Service) ListFunctionEventInvokeConfigs(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, _, err := resolve(r)
	if err != nil {
		return nil, err
	}
	rec, err := s.getFunction(ctx, name)
	if err != nil {
		return nil, err
	}
	out := ListEventInvokeConfigsOutput{FunctionEventInvokeConfigs: []FunctionEventInvokeConfig{}}
	for _, q := range slices.Sorted(maps.Keys(rec.EventInvoke)) {
		cfg := rec.EventInvoke[q]
		arnQualifier := q
		if q == latest {
			arnQualifier = ""
		}
		out.FunctionEventInvokeConfigs = append(out.FunctionEventInvokeConfigs, cfg.describe(s.functionARN(name, arnQualifier)))
	}
	return restjson.JSON(http.StatusOK, out)
}
