package apigatewayv2

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/docstore"
)

// Protocol types.
const (
	protocolHTTP      = "HTTP"
	protocolWebSocket = "WEBSOCKET"
)

// defaultStage is the stage served without a path prefix.
const defaultStage = "$default"

// CreateApi creates an HTTP API; with Target it also creates an
// integration, a route (RouteKey, "$default" when empty) and an
// auto-deployed $default stage, as AWS's quick create does.
func (s *Service) CreateApi(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in CreateAPIInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	rec, err := s.newAPIRecord(in)
	if err != nil {
		return nil, err
	}
	err = s.engine.Update(ctx, func(tx storage.Tx) error { return apis.Save(tx, rec.API.APIID, rec) })
	if err != nil {
		return nil, err
	}
	s.changed(rec.API.APIID)
	return restjson.JSON(http.StatusCreated, s.present(rec.API))
}

// newAPIRecord validates a CreateApi input and builds the new record.
func (s *Service) newAPIRecord(in CreateAPIInput) (*apiRecord, error) {
	switch {
	case in.Name == "":
		return nil, errBadRequest.New("Name is required.")
	case in.ProtocolType == protocolWebSocket:
		return nil, errBadRequest.New("Fogbank does not support WebSocket APIs yet.")
	case in.ProtocolType != protocolHTTP:
		return nil, errBadRequest.New("Invalid protocol type specified. Valid values are: [WEBSOCKET, HTTP].")
	case in.Target == "" && in.RouteKey != "":
		return nil, errBadRequest.New("RouteKey can only be specified together with Target.")
	}
	if err := validateCors(in.CorsConfiguration); err != nil {
		return nil, err
	}
	now := s.now()
	rec := &apiRecord{API: API{
		APIID: docstore.NewID(10), APIKeySelectionExpression: orDefault(in.APIKeySelectionExpression, "$request.header.x-api-key"),
		CorsConfiguration: in.CorsConfiguration, CreatedDate: now, Description: in.Description,
		DisableExecuteAPIEndpoint: in.DisableExecuteAPIEndpoint, IPAddressType: orDefault(in.IPAddressType, "ipv4"),
		Name: in.Name, ProtocolType: in.ProtocolType,
		RouteSelectionExpression: orDefault(in.RouteSelectionExpression, "${request.method} ${request.path}"),
		Tags:                     in.Tags, Version: in.Version,
	}}
	if in.Target != "" {
		if err := s.quickCreate(rec, in, now); err != nil {
			return nil, err
		}
	}
	return rec, nil
}

// quickCreate adds the integration, route and stage of a quick create.
func (s *Service) quickCreate(rec *apiRecord, in CreateAPIInput, now string) error {
	integ := Integration{APIGatewayManaged: true, ConnectionType: "INTERNET", IntegrationID: docstore.NewID(7),
		IntegrationURI: in.Target, TimeoutInMillis: maxHTTPTimeoutMillis}
	if strings.HasPrefix(in.Target, "arn:") {
		integ.IntegrationType, integ.IntegrationMethod, integ.PayloadFormatVersion = typeAWSProxy, http.MethodPost, "2.0"
	} else {
		integ.IntegrationType, integ.IntegrationMethod, integ.PayloadFormatVersion = typeHTTPProxy, "ANY", "1.0"
	}
	if err := validateIntegration(&integ); err != nil {
		return err
	}
	key := orDefault(in.RouteKey, defaultStage)
	if err := validateRouteKey(key); err != nil {
		return err
	}
	rec.Integrations = []Integration{integ}
	rec.Routes = []Route{{APIGatewayManaged: true, AuthorizationType: "NONE", RouteID: docstore.NewID(7), RouteKey: key,
		Target: targetPrefix + integ.IntegrationID}}
	rec.Stages = []Stage{{APIGatewayManaged: true, AutoDeploy: true, CreatedDate: now, LastUpdatedDate: now,
		StageName: defaultStage}}
	return nil
}

// GetApi returns one API.
func (s *Service) GetApi(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	rec, err := s.view(ctx, r.Label("ApiId"))
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusOK, s.present(rec.API))
}

// GetApis lists the APIs, oldest first.
func (s *Service) GetApis(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	out := page[API]{Items: []API{}}
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		recs, err := apis.All(tx)
		for _, rec := range recs {
			out.Items = append(out.Items, s.present(rec.API))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out.Items, func(a, b API) int { return strings.Compare(a.CreatedDate+a.APIID, b.CreatedDate+b.APIID) })
	return paged(r, out.Items)
}

// UpdateApi changes the members the input carries.
func (s *Service) UpdateApi(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in UpdateAPIInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if in.Name != nil && *in.Name == "" {
		return nil, errBadRequest.New("Name must not be empty.")
	}
	if err := validateCors(in.CorsConfiguration); err != nil {
		return nil, err
	}
	var out API
	err := s.update(ctx, r.Label("ApiId"), func(_ storage.Tx, rec *apiRecord) error {
		a := &rec.API
		setIf(&a.APIKeySelectionExpression, in.APIKeySelectionExpression)
		setIf(&a.Description, in.Description)
		setIf(&a.DisableExecuteAPIEndpoint, in.DisableExecuteAPIEndpoint)
		setIf(&a.IPAddressType, in.IPAddressType)
		setIf(&a.Name, in.Name)
		setIf(&a.RouteSelectionExpression, in.RouteSelectionExpression)
		setIf(&a.Version, in.Version)
		if in.CorsConfiguration != nil {
			a.CorsConfiguration = in.CorsConfiguration
		}
		out = *a
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusOK, s.present(out))
}

// DeleteApi deletes an API with everything in it.
func (s *Service) DeleteApi(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	id := r.Label("ApiId")
	err := s.engine.Update(ctx, func(tx storage.Tx) error {
		if _, err := apis.Load(tx, id); err != nil {
			return err
		}
		return apis.Delete(tx, id)
	})
	if errors.Is(err, errNoAPI) {
		return nil, s.apiNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	s.changed(id)
	return &restjson.Response{Status: http.StatusNoContent}, nil
}

// present fills in the computed members of an API.
func (s *Service) present(a API) API {
	a.APIEndpoint = s.opts.Endpoint(a.APIID)
	return a
}

// orDefault returns v, or def when v is empty.
func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// setIf sets *dst to *src when src is not nil.
func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}
