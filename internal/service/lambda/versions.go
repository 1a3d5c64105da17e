package lambda

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
)

// publish appends a version made from $LATEST, unless the newest version
// already has the same code and configuration; it returns the version.
func (rec *functionRecord) publish(description string) *versionRecord {
	if n := len(rec.Versions); n > 0 {
		last := &rec.Versions[n-1]
		if sameContent(last.Config, rec.Latest.Config) {
			return last
		}
	}
	v := rec.Latest
	v.Config.Version = strconv.Itoa(rec.NextVersion)
	v.Config.FunctionArn = rec.Latest.Config.FunctionArn + ":" + v.Config.Version
	v.Config.RevisionID = newRevisionID()
	if description != "" {
		v.Config.Description = description
	}
	rec.NextVersion++
	rec.Versions = append(rec.Versions, v)
	return &rec.Versions[len(rec.Versions)-1]
}

// sameContent reports whether a version was published from latest as it
// is: every change to $LATEST updates its LastModified.
func sameContent(version, latest FunctionConfiguration) bool {
	return version.CodeSha256 == latest.CodeSha256 && version.LastModified == latest.LastModified
}

// PublishVersion publishes $LATEST as a new numbered version.
func (s *Service) PublishVersion(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, _, err := parseFunctionName(r.Label("FunctionName"))
	if err != nil {
		return nil, err
	}
	var in PublishVersionInput
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	var out FunctionConfiguration
	_, err = s.updateFunction(ctx, name, func(rec *functionRecord) error {
		if err := checkRevision(in.RevisionID, rec.Latest.Config.RevisionID); err != nil {
			return err
		}
		if in.CodeSha256 != "" && in.CodeSha256 != rec.Latest.Config.CodeSha256 {
			return errInvalidParameter.New("CodeSHA256 (" + in.CodeSha256 + ") is different from current CodeSHA256 in $LATEST (" +
				rec.Latest.Config.CodeSha256 + "). Please try again with the CodeSHA256 in $LATEST.")
		}
		out = rec.publish(in.Description).Config
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusCreated, out)
}

// ListVersionsByFunction lists $LATEST and the published versions.
func (s *Service) ListVersionsByFunction(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, _, err := parseFunctionName(r.Label("FunctionName"))
	if err != nil {
		return nil, err
	}
	limit, err := maxItems(r.Query("MaxItems"))
	if err != nil {
		return nil, err
	}
	rec, err := s.getFunction(ctx, name)
	if err != nil {
		return nil, err
	}
	all := []FunctionConfiguration{rec.Latest.Config}
	for _, v := range rec.Versions {
		all = append(all, v.Config)
	}
	page, next := paginate(all, r.Query("Marker"), limit, func(c FunctionConfiguration) string { return c.Version })
	return restjson.JSON(http.StatusOK, ListVersionsOutput{Versions: page, NextMarker: next})
}

// paginate returns the page of items after the one whose key is marker.
func paginate[T any](items []T, marker string, limit int, key func(T) string) (page []T, next string) {
	if marker != "" {
		i := slices.IndexFunc(items, func(t T) bool { return key(t) == marker })
		items = items[i+1:] // i is -1 for an unknown marker: start over
	}
	if len(items) > limit {
		return items[:limit], key(items[limit-1])
	}
	return items, ""
}

func (s *Service) aliasConfig(name, alias string, a aliasRecord) AliasConfiguration {
	return AliasConfiguration{AliasArn: s.functionARN(name, alias), Name: alias, FunctionVersion: a.FunctionVersion,
		Description: a.Description, RevisionID: a.RevisionID}
}

// CreateAlias creates an alias of a version.
func (s *Service) CreateAlias(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, _, err := parseFunctionName(r.Label("FunctionName"))
	if err != nil {
		return nil, err
	}
	var in AliasInput
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	if !aliasNameRE().MatchString(in.Name) || versionRE().MatchString(in.Name) || in.Name == latest {
		return nil, validationError(in.Name, "name", `Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)`)
	}
	if in.FunctionVersion == nil {
		return nil, validationError("null", "functionVersion", "Member must not be null")
	}
	var out AliasConfiguration
	_, err = s.updateFunction(ctx, name, func(rec *functionRecord) error {
		if _, ok := rec.Aliases[in.Name]; ok {
			return errConflict.New("Alias already exists: " + s.functionARN(name, in.Name))
		}
		if rec.version(*in.FunctionVersion) == nil {
			return functionNotFound(s.functionARN(name, *in.FunctionVersion))
		}
		a := aliasRecord{FunctionVersion: *in.FunctionVersion, RevisionID: newRevisionID()}
		if in.Description != nil {
			a.Description = *in.Description
		}
		if rec.Aliases == nil {
			rec.Aliases = make(map[string]aliasRecord)
		}
		rec.Aliases[in.Name] = a
		out = s.aliasConfig(name, in.Name, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusCreated, out)
}

// aliasNotFound is the answer for a missing alias.
func (s *Service) aliasNotFound(name, alias string) error {
	return errNotFound.New("Alias not found: " + s.functionARN(name, alias))
}

// GetAlias returns one alias.
func (s *Service) GetAlias(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, _, err := parseFunctionName(r.Label("FunctionName"))
	if err != nil {
		return nil, err
	}
	rec, err := s.getFunction(ctx, name)
	if err != nil {
		return nil, err
	}
	alias := r.Label("Name")
	a, ok := rec.Aliases[alias]
	if !ok {
		return nil, s.aliasNotFound(name, alias)
	}
	return restjson.JSON(http.StatusOK, s.aliasConfig(name, alias, a))
}

// UpdateAlias changes an alias's version or description.
func (s *Service) UpdateAlias(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, _, err := parseFunctionName(r.Label("FunctionName"))
	if err != nil {
		return nil, err
	}
	var in AliasInput
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	alias := r.Label("Name")
	var out AliasConfiguration
	_, err = s.updateFunction(ctx, name, func(rec *functionRecord) error {
		a, ok := rec.Aliases[alias]
		if !ok {
			return s.aliasNotFound(name, alias)
		}
		if err := checkRevision(in.RevisionID, a.RevisionID); err != nil {
			return err
		}
		if in.FunctionVersion != nil {
			if rec.version(*in.FunctionVersion) == nil {
				return functionNotFound(s.functionARN(name, *in.FunctionVersion))
			}
			a.FunctionVersion = *in.FunctionVersion
		}
		if in.Description != nil {
			a.Description = *in.Description
		}
		a.RevisionID = newRevisionID()
		rec.Aliases[alias] = a
		out = s.aliasConfig(name, alias, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusOK, out)
}

// DeleteAlias deletes an alias; deleting a missing alias succeeds.
func (s *Service) DeleteAlias(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, _, err := parseFunctionName(r.Label("FunctionName"))
	if err != nil {
		return nil, err
	}
	_, err = s.updateFunction(ctx, name, func(rec *functionRecord) error {
		delete(rec.Aliases, r.Label("Name"))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &restjson.Response{Status: http.StatusNoContent}, nil
}

// ListAliases lists a function's aliases by name, optionally only those of
// one version.
func (s *Service) ListAliases(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, _, err := parseFunctionName(r.Label("FunctionName"))
	if err != nil {
		return nil, err
	}
	limit, err := maxItems(r.Query("MaxItems"))
	if err != nil {
		return nil, err
	}
	rec, err := s.getFunction(ctx, name)
	if err != nil {
		return nil, err
	}
	version := r.Query("FunctionVersion")
	all := []AliasConfiguration{}
	for _, alias := range slices.Sorted(maps.Keys(rec.Aliases)) {
		a := rec.Aliases[alias]
		if version == "" || a.FunctionVersion == version {
			all = append(all, s.aliasConfig(name, alias, a))
		}
	}
	page, next := paginate(all, r.Query("Marker"), limit, func(a AliasConfiguration) string { return a.Name })
	return restjson.JSON(http.StatusOK, ListAliasesOutput{Aliases: page, NextMarker: next})
}
