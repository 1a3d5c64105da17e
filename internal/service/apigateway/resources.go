package apigateway

import (
	"context"
	"net/http"
	"strings"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/docstore"
)

// GetResources lists a REST API's resources in creation order.
func (s *Service) GetResources(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	rec, err := s.view(ctx, r.Label("restapi_id"))
	if err != nil {
		return nil, err
	}
	return paged(r, presentResources(rec.Resources))
}

// GetResource returns one resource.
func (s *Service) GetResource(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	rec, err := s.view(ctx, r.Label("restapi_id"))
	if err != nil {
		return nil, err
	}
	res := rec.resource(r.Label("resource_id"))
	if res == nil {
		return nil, notFound(msgNoResource)
	}
	return restjson.JSON(http.StatusOK, *res)
}

// CreateResource adds a child to a resource. The path part is a literal,
// a {param} or a greedy {param+} (which must be the last one).
func (s *Service) CreateResource(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in struct {
		PathPart string `json:"pathPart"`
	}
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if err := validPathPart(in.PathPart); err != nil {
		return nil, err
	}
	var out *Resource
	err := s.update(ctx, r.Label("restapi_id"), func(_ storage.Tx, rec *apiRecord) error {
		parent := rec.resource(r.Label("resource_id"))
		if parent == nil {
			return notFound(msgNoResource)
		}
		if strings.HasSuffix(parent.PathPart, "+}") {
			return errBadRequest.New("Cannot create a child of a resource with a greedy path variable: " + parent.PathPart)
		}
		for _, sib := range rec.Resources {
			if sib.ParentID == parent.ID && (sib.PathPart == in.PathPart || isVariable(sib.PathPart) && isVariable(in.PathPart)) {
				if sib.PathPart == in.PathPart {
					return errConflict.New("Another resource with the same parent already has this name: " + in.PathPart)
				}
				return errBadRequest.New("A sibling (" + sib.PathPart + ") of this resource already has a variable path part -- only one is allowed")
			}
		}
		out = &Resource{ID: docstore.NewID(10), ParentID: parent.ID, PathPart: in.PathPart,
			Path: strings.TrimSuffix(parent.Path, "/") + "/" + in.PathPart}
		rec.Resources = append(rec.Resources, out)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusCreated, *out)
}

// DeleteResource deletes a resource and its descendants; the root
// resource cannot be deleted.
func (s *Service) DeleteResource(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	id := r.Label("resource_id")
	err := s.update(ctx, r.Label("restapi_id"), func(_ storage.Tx, rec *apiRecord) error {
		res := rec.resource(id)
		switch {
		case res == nil:
			return notFound(msgNoResource)
		case res.ID == rec.API.RootResourceID:
			return errBadRequest.New("Cannot delete root resource")
		}
		gone := map[string]bool{id: true}
		kept := rec.Resources[:0]
		for _, c := range rec.Resources { // parents come before children
			if gone[c.ParentID] || gone[c.ID] {
				gone[c.ID] = true
				continue
			}
			kept = append(kept, c)
		}
		rec.Resources = kept
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &restjson.Response{Status: http.StatusAccepted}, nil
}

// validPathPart checks a CreateResource path part.
func validPathPart(p string) error {
	if p == "" || strings.ContainsAny(p, "/ ") {
		return errBadRequest.New("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.")
	}
	name, isVar := strings.CutPrefix(p, "{")
	if isVar != strings.HasSuffix(p, "}") {
		return errBadRequest.New("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.")
	}
	if isVar && strings.Trim(name, "+}") == "" {
		return errBadRequest.New("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.")
	}
	return nil
}

// isVariable reports whether a path part is a {param} or {param+}.
func isVariable(p string) bool { return strings.HasPrefix(p, "{") }

// presentResources is the list form of resources.
func presentResources(rs []*Resource) []Resource {
	out := make([]Resource, 0, len(rs))
	for _, r := range rs {
		out = append(out, *r)
	}
	return out
}
