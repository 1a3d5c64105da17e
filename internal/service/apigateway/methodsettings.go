package apigateway

import (
	"errors"
	"slices"
	"strconv"
	"strings"
)

// AllMethods is the methodSettings key of the settings for every method
// of a stage; other keys are "<resource path without its leading
// slash>/<HTTP method>", e.g. "items/{id}/GET" ("/GET" for the root).
const AllMethods = "*/*"

// MethodSetting is a stage's settings for all its methods or for one,
// as Stage.methodSettings holds them. Only the throttling members have an
// effect (the data plane's token buckets); the others are stored.
type MethodSetting struct {
	CacheDataEncrypted                     bool    `json:"cacheDataEncrypted"`
	CacheTTLInSeconds                      int     `json:"cacheTtlInSeconds"`
	CachingEnabled                         bool    `json:"cachingEnabled"`
	DataTraceEnabled                       bool    `json:"dataTraceEnabled"`
	LoggingLevel                           string  `json:"loggingLevel"`
	MetricsEnabled                         bool    `json:"metricsEnabled"`
	RequireAuthorizationForCacheControl    bool    `json:"requireAuthorizationForCacheControl"`
	ThrottlingBurstLimit                   int     `json:"throttlingBurstLimit"`
	ThrottlingRateLimit                    float64 `json:"throttlingRateLimit"`
	UnauthorizedCacheControlHeaderStrategy string  `json:"unauthorizedCacheControlHeaderStrategy"`
}

// defaultMethodSetting is what a method setting holds before any patch:
// AWS's defaults (the account throttling limits, logging off, a 300 s
// cache TTL).
func defaultMethodSetting() MethodSetting {
	return MethodSetting{CacheTTLInSeconds: 300, LoggingLevel: "OFF", RequireAuthorizationForCacheControl: true,
		ThrottlingBurstLimit: 5000, ThrottlingRateLimit: 10000, UnauthorizedCacheControlHeaderStrategy: "SUCCEED_WITH_RESPONSE_HEADER"}
}

// methodSettingPaths are the members a patch path names after its
// "/<resource>/<method>" prefix.
var methodSettingPaths = []string{"metrics/enabled", "logging/loglevel", "logging/dataTrace", "throttling/burstLimit",
	"throttling/rateLimit", "caching/enabled", "caching/ttlInSeconds", "caching/dataEncrypted",
	"caching/requireAuthorizationForCacheControl", "caching/unauthorizedCacheControlHeaderStrategy"}

// methods are the HTTP methods a method setting may name.
var methods = []string{"GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "ANY"}

// methodSettingKey parses the "/<resource>/<method>" part of a patch path
// (the resource path with "/" escaped as "~1", or "*" with method "*")
// into its methodSettings key; ok is false when it names no method.
func methodSettingKey(resource, method string) (key string, ok bool) {
	if resource == "*" || method == "*" {
		return AllMethods, resource == method
	}
	if !slices.Contains(methods, method) {
		return "", false
	}
	path := strings.TrimPrefix(unescapePointer(resource), "/")
	return path + "/" + method, true
}

// unescapePointer undoes a JSON pointer segment's escapes (~1 is "/",
// ~0 is "~").
func unescapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// patchMethodSetting applies a patch operation whose path names method
// settings: add or replace of "/<resource>/<method>/<member>", remove of
// "/<resource>/<method>" (the whole override). handled is false when the
// path is no method-setting path.
func patchMethodSetting(st *Stage, op PatchOperation) (handled bool, err error) {
	segs := strings.Split(strings.TrimPrefix(op.Path, "/"), "/")
	n := len(segs)
	if op.Op == "remove" && n == 2 {
		key, ok := methodSettingKey(segs[0], segs[1])
		if ok {
			delete(st.MethodSettings, key)
		}
		return ok, nil
	}
	if n < 4 {
		return false, nil
	}
	member := segs[n-2] + "/" + segs[n-1]
	key, ok := methodSettingKey(strings.Join(segs[:n-3], "/"), segs[n-3])
	if !ok || !slices.Contains(methodSettingPaths, member) {
		return true, errBadRequest.New("Invalid method setting path: " + op.Path + ". Must be one of: [/*/*/" +
			strings.Join(methodSettingPaths, ", /*/*/") + ", /{resourcePath}/{httpMethod}/<one of the same>]")
	}
	if op.Op != "replace" && op.Op != "add" {
		return true, errBadRequest.New("Invalid patch operation specified. Must be 'add' or 'replace' for path: " + op.Path)
	}
	ms := defaultMethodSetting()
	if cur, ok := st.MethodSettings[key]; ok {
		ms = *cur // a copy: the stored stage is changed only when all operations apply
	} else if all, ok := st.MethodSettings[AllMethods]; ok {
		ms = *all // a method's override starts from the stage's settings
	}
	if err := ms.set(member, op.Value); err != nil {
		return true, err
	}
	if st.MethodSettings == nil {
		st.MethodSettings = make(map[string]*MethodSetting)
	}
	st.MethodSettings[key] = &ms
	return true, nil
}

// set changes one member of a method setting from its patch value.
func (ms *MethodSetting) set(member, v string) error {
	var err error
	switch member {
	case "metrics/enabled":
		ms.MetricsEnabled, err = strconv.ParseBool(v)
	case "logging/dataTrace":
		ms.DataTraceEnabled, err = strconv.ParseBool(v)
	case "logging/loglevel":
		ms.LoggingLevel, err = oneOf(v, "OFF", "ERROR", "INFO")
	case "throttling/burstLimit":
		ms.ThrottlingBurstLimit, err = strconv.Atoi(v)
	case "throttling/rateLimit":
		ms.ThrottlingRateLimit, err = strconv.ParseFloat(v, 64)
	case "caching/enabled":
		ms.CachingEnabled, err = strconv.ParseBool(v)
	case "caching/ttlInSeconds":
		ms.CacheTTLInSeconds, err = strconv.Atoi(v)
		if err == nil && (ms.CacheTTLInSeconds < 0 || ms.CacheTTLInSeconds > 3600) {
			return errBadRequest.New("Cache Ttl must be between 0 and 3600 seconds")
		}
	case "caching/dataEncrypted":
		ms.CacheDataEncrypted, err = strconv.ParseBool(v)
	case "caching/requireAuthorizationForCacheControl":
		ms.RequireAuthorizationForCacheControl, err = strconv.ParseBool(v)
	case "caching/unauthorizedCacheControlHeaderStrategy":
		ms.UnauthorizedCacheControlHeaderStrategy, err = oneOf(v, "FAIL_WITH_403", "SUCCEED_WITH_RESPONSE_HEADER",
			"SUCCEED_WITHOUT_RESPONSE_HEADER")
	}
	if err != nil {
		return errBadRequest.New("Invalid value " + strconv.Quote(v) + " for method setting " + member)
	}
	return nil
}

// errNotOneOf is oneOf's refusal (the caller words the error).
var errNotOneOf = errors.New("apigateway: value not allowed")

// oneOf returns v when it is one of allowed.
func oneOf(v string, allowed ...string) (string, error) {
	if !slices.Contains(allowed, v) {
		return "", errNotOneOf
	}
	return v, nil
}
