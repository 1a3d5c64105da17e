package apigateway_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/google/go-cmp/cmp"
)

// patch is a patch operation.
func patch(op types.Op, path, value string) types.PatchOperation {
	return types.PatchOperation{Op: op, Path: aws.String(path), Value: aws.String(value)}
}

func TestUpdateRestApiBinaryMediaTypes(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	api := must(c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("bin"), BinaryMediaTypes: []string{"image/png"}}))(t)
	updated := must(c.UpdateRestApi(ctx, &apigateway.UpdateRestApiInput{RestApiId: api.Id, PatchOperations: []types.PatchOperation{
		{Op: types.OpAdd, Path: aws.String("/binaryMediaTypes/application~1octet-stream")},
		{Op: types.OpAdd, Path: aws.String("/binaryMediaTypes/image~1*")},
		{Op: types.OpRemove, Path: aws.String("/binaryMediaTypes/image~1png")},
		patch(types.OpReplace, "/binaryMediaTypes/image~1*", "*/*"),
		patch(types.OpReplace, "/name", "renamed"),
		patch(types.OpReplace, "/description", "d"),
	}}))(t)
	got := must(c.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: api.Id}))(t)
	_, badPath := c.UpdateRestApi(ctx, &apigateway.UpdateRestApiInput{RestApiId: api.Id,
		PatchOperations: []types.PatchOperation{patch(types.OpReplace, "/nosuch", "v")}})
	_, badOp := c.UpdateRestApi(ctx, &apigateway.UpdateRestApiInput{RestApiId: api.Id,
		PatchOperations: []types.PatchOperation{patch(types.OpAdd, "/name", "v")}})
	_, noAPI := c.UpdateRestApi(ctx, &apigateway.UpdateRestApiInput{RestApiId: aws.String("nosuchapi0"),
		PatchOperations: []types.PatchOperation{patch(types.OpReplace, "/name", "v")}})

	want := []any{[]string{"application/octet-stream", "*/*"}, "renamed", "d", []string{"application/octet-stream", "*/*"}, "renamed",
		"BadRequestException: Invalid patch path /nosuch",
		"BadRequestException: Invalid patch operation specified. Must be 'replace' for path: /name",
		"NotFoundException: Invalid REST API identifier specified"}
	gotAll := []any{updated.BinaryMediaTypes, aws.ToString(updated.Name), aws.ToString(updated.Description), got.BinaryMediaTypes,
		aws.ToString(got.Name), apiError(badPath), apiError(badOp), apiError(noAPI)}
	if diff := cmp.Diff(want, gotAll); diff != "" {
		t.Errorf("UpdateRestApi (-want +got):\n%s", diff)
	}
}

func TestStageMethodSettings(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	api := must(c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("a")}))(t)
	must(c.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: api.Id, ResourceId: api.RootResourceId, HttpMethod: aws.String("GET"),
		AuthorizationType: aws.String("NONE")}))(t)
	must(c.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: api.Id, ResourceId: api.RootResourceId,
		HttpMethod: aws.String("GET"), Type: types.IntegrationTypeMock}))(t)
	must(c.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: api.Id, StageName: aws.String("prod")}))(t)
	update := func(ops ...types.PatchOperation) (*apigateway.UpdateStageOutput, error) {
		return c.UpdateStage(ctx, &apigateway.UpdateStageInput{RestApiId: api.Id, StageName: aws.String("prod"), PatchOperations: ops})
	}
	must(update(
		patch(types.OpReplace, "/*/*/throttling/rateLimit", "100"),
		patch(types.OpReplace, "/*/*/throttling/burstLimit", "50"),
		patch(types.OpReplace, "/*/*/metrics/enabled", "true"),
		patch(types.OpReplace, "/*/*/logging/loglevel", "INFO"),
		patch(types.OpReplace, "/~1items~1{id}/GET/throttling/burstLimit", "1"),
		patch(types.OpReplace, "/~1/POST/caching/ttlInSeconds", "60"),
		patch(types.OpReplace, "/tracingEnabled", "true"),
	))(t)
	st := must(c.GetStage(ctx, &apigateway.GetStageInput{RestApiId: api.Id, StageName: aws.String("prod")}))(t)
	all := types.MethodSetting{ThrottlingRateLimit: 100, ThrottlingBurstLimit: 50, MetricsEnabled: true, LoggingLevel: aws.String("INFO"),
		CacheTtlInSeconds: 300, RequireAuthorizationForCacheControl: true,
		UnauthorizedCacheControlHeaderStrategy: types.UnauthorizedCacheControlHeaderStrategySucceedWithResponseHeader}
	item := all
	item.ThrottlingBurstLimit = 1
	root := all
	root.CacheTtlInSeconds = 60
	want := map[string]types.MethodSetting{"*/*": all, "items/{id}/GET": item, "/POST": root}
	if diff := cmp.Diff(want, st.MethodSettings, cmp.AllowUnexported(types.MethodSetting{})); diff != "" {
		t.Errorf("methodSettings (-want +got):\n%s", diff)
	}
	if !st.TracingEnabled {
		t.Errorf("tracingEnabled = false after replace with true")
	}

	removed := must(update(types.PatchOperation{Op: types.OpRemove, Path: aws.String("/~1items~1{id}/GET")}))(t)
	if _, ok := removed.MethodSettings["items/{id}/GET"]; ok || len(removed.MethodSettings) != 2 {
		t.Errorf("after remove, methodSettings = %v", removed.MethodSettings)
	}
	_, badMember := update(patch(types.OpReplace, "/*/*/throttling/bogus", "1"))
	_, badValue := update(patch(types.OpReplace, "/*/*/throttling/rateLimit", "fast"))
	_, badLevel := update(patch(types.OpReplace, "/*/*/logging/loglevel", "LOUD"))
	_, badMethod := update(patch(types.OpReplace, "/~1items/FETCH/metrics/enabled", "true"))
	errs := []string{apiError(badMember), apiError(badValue), apiError(badLevel), apiError(badMethod)}
	const valid = ". Must be one of: [/*/*/metrics/enabled, /*/*/logging/loglevel, /*/*/logging/dataTrace, " +
		"/*/*/throttling/burstLimit, /*/*/throttling/rateLimit, /*/*/caching/enabled, /*/*/caching/ttlInSeconds, " +
		"/*/*/caching/dataEncrypted, /*/*/caching/requireAuthorizationForCacheControl, " +
		"/*/*/caching/unauthorizedCacheControlHeaderStrategy, /{resourcePath}/{httpMethod}/<one of the same>]"
	wantErrs := []string{
		"BadRequestException: Invalid method setting path: /*/*/throttling/bogus" + valid,
		`BadRequestException: Invalid value "fast" for method setting throttling/rateLimit`,
		`BadRequestException: Invalid value "LOUD" for method setting logging/loglevel`,
		"BadRequestException: Invalid method setting path: /~1items/FETCH/metrics/enabled" + valid,
	}
	if diff := cmp.Diff(wantErrs, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}
