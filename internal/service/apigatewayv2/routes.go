package apigatewayv2

import (
	"context"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/storage/docstore"
)

// targetPrefix starts a route target naming an integration.
const targetPrefix = "integrations/"

// routeMethods are the methods a route key may name.
var routeMethods = []string{"ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}

// validateRouteKey checks a route key: "$default" or "METHOD /path" where
// the path's segments are literals or {name}, and the last may be the
// greedy {name+}.
func validateRouteKey(key string) error {
	if key == defaultStage {
		return nil
	}
	method, path, ok := strings.Cut(key, " ")
	if !ok || !slices.Contains(routeMethods, method) || !strings.HasPrefix(path, "/") {
		return errBadRequest.Newf("Invalid route key %q: it must be $default or an HTTP method (%s) and a path "+
			"starting with /, e.g. \"GET /pets/{id}\".", key, strings.Join(routeMethods, ", "))
	}
	if path == "/" {
		return nil
	}
	segs := strings.Split(path[1:], "/")
	for i, seg := range segs {
		if seg == "" {
			return errBadRequest.Newf("Invalid route key %q: the path has an empty segment.", key)
		}
		name, isVar := strings.CutPrefix(seg, "{")
		if !isVar {
			continue
		}
		name, closed := strings.CutSuffix(name, "}")
		greedy := strings.HasSuffix(name, "+")
		if !closed || strings.TrimSuffix(name, "+") == "" || greedy && i != len(segs)-1 {
			return errBadRequest.Newf("Invalid route key %q: a path variable is {name}, and a greedy {name+} "+
				"must be the last segment.", key)
		}
	}
	return nil
}

// checkTarget checks that a route target names an integration of rec.
func checkTarget(rec *apiRecord, target string) error {
	if target == "" {
		return nil
	}
	id, ok := strings.CutPrefix(target, targetPrefix)
	if !ok || findIntegration(rec, id) < 0 {
		return errBadRequest.Newf("Invalid target %q: it must be integrations/<id> naming an integration of this API.", target)
	}
	return nil
}

func findRoute(rec *apiRecord, id string) int {
	return slices.IndexFunc(rec.Routes, func(r Route) bool { return r.RouteID == id })
}

// checkUniqueKey answers ConflictException when another route has key.
func checkUniqueKey(rec *apiRecord, key, exceptID string) error {
	for _, r := range rec.Routes {
		if r.RouteKey == key && r.RouteID != exceptID {
			return errConflict.Newf("Route with key %s already exists for this API", key)
		}
	}
	return nil
}

// applyRoute copies the members an input carries onto rt (an AWS_IAM
// route drops its authorizer).
func applyRoute(rt *Route, in RouteInput) {
	setIf(&rt.APIKeyRequired, in.APIKeyRequired)
	setIf(&rt.AuthorizationType, in.AuthorizationType)
	setIf(&rt.AuthorizerID, in.AuthorizerID)
	if rt.AuthorizationType == authIAM {
		rt.AuthorizerID = "" // AWS_IAM routes have no authorizer
	}
	setIf(&rt.OperationName, in.OperationName)
	setIf(&rt.RouteKey, in.RouteKey)
	setIf(&rt.Target, in.Target)
	if in.AuthorizationScopes != nil {
		rt.AuthorizationScopes = in.AuthorizationScopes
	}
	if in.RequestParameters != nil {
		rt.RequestParameters = in.RequestParameters
	}
}

// validateRoute checks a route about to be stored in rec.
func validateRoute(rec *apiRecord, rt Route) error {
	if err := validateRouteKey(rt.RouteKey); err != nil {
		return err
	}
	if err := checkUniqueKey(rec, rt.RouteKey, rt.RouteID); err != nil {
		return err
	}
	if err := checkRouteAuthorization(rec, rt); err != nil {
		return err
	}
	return checkTarget(rec, rt.Target)
}

// CreateRoute adds a route to an API.
func (s *Service) CreateRoute(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in RouteInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if in.RouteKey == nil {
		return nil, errBadRequest.New("RouteKey is required.")
	}
	rt := Route{AuthorizationType: "NONE", RouteID: docstore.NewID(7)}
	applyRoute(&rt, in)
	return routes.add(ctx, s, r, rt, func(rec *apiRecord) error { return validateRoute(rec, rt) })
}

// GetRoute returns one route.
func (s *Service) GetRoute(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return routes.get(ctx, s, r)
}

// GetRoutes lists the routes of an API.
func (s *Service) GetRoutes(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return routes.list(ctx, s, r)
}

// UpdateRoute changes the members the input carries.
func (s *Service) UpdateRoute(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in RouteInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return routes.change(ctx, s, r, func(rec *apiRecord, rt *Route) error {
		applyRoute(rt, in)
		return validateRoute(rec, *rt)
	}, nil)
}

// DeleteRoute removes a route.
func (s *Service) DeleteRoute(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	return routes.delete(ctx, s, r, nil)
}

func routeNotFound(id string) error {
	return notFound("Route", "Invalid Route identifier specified "+id)
}
