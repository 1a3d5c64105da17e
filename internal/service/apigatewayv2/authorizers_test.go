package apigatewayv2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/google/go-cmp/cmp"
)

func TestAuthorizers(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	api, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("a"), ProtocolType: types.ProtocolTypeHttp})
	if err != nil {
		t.Fatalf("CreateApi: %v", err)
	}
	jwtAuth, err := c.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: api.ApiId, Name: aws.String("jwt"),
		AuthorizerType: types.AuthorizerTypeJwt, IdentitySource: []string{"$request.header.Authorization"},
		JwtConfiguration: &types.JWTConfiguration{Issuer: aws.String("https://issuer.example"), Audience: []string{"app"}}})
	if err != nil {
		t.Fatalf("CreateAuthorizer(JWT): %v", err)
	}
	lambdaAuth, err := c.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: api.ApiId, Name: aws.String("lambda"),
		AuthorizerType: types.AuthorizerTypeRequest, AuthorizerUri: aws.String(lambdaARN), AuthorizerPayloadFormatVersion: aws.String("2.0"),
		EnableSimpleResponses: aws.Bool(true), IdentitySource: []string{"$request.header.X-Key"}, AuthorizerResultTtlInSeconds: aws.Int32(60)})
	if err != nil {
		t.Fatalf("CreateAuthorizer(REQUEST): %v", err)
	}
	got, err := c.GetAuthorizer(ctx, &apigatewayv2.GetAuthorizerInput{ApiId: api.ApiId, AuthorizerId: lambdaAuth.AuthorizerId})
	if err != nil {
		t.Fatalf("GetAuthorizer: %v", err)
	}
	if diff := cmp.Diff([]any{"lambda", "REQUEST", lambdaARN, "2.0", true, []string{"$request.header.X-Key"}, int32(60)},
		[]any{aws.ToString(got.Name), string(got.AuthorizerType), aws.ToString(got.AuthorizerUri), aws.ToString(got.AuthorizerPayloadFormatVersion),
			aws.ToBool(got.EnableSimpleResponses), got.IdentitySource, aws.ToInt32(got.AuthorizerResultTtlInSeconds)}); diff != "" {
		t.Errorf("GetAuthorizer (-want +got):\n%s", diff)
	}
	upd, err := c.UpdateAuthorizer(ctx, &apigatewayv2.UpdateAuthorizerInput{ApiId: api.ApiId, AuthorizerId: jwtAuth.AuthorizerId,
		JwtConfiguration: &types.JWTConfiguration{Issuer: aws.String("https://other.example"), Audience: []string{"b"}}})
	if err != nil || aws.ToString(upd.JwtConfiguration.Issuer) != "https://other.example" || aws.ToString(upd.Name) != "jwt" {
		t.Errorf("UpdateAuthorizer = %+v, %v", upd, err)
	}

	route, err := c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /x"),
		AuthorizationType: types.AuthorizationTypeJwt, AuthorizerId: jwtAuth.AuthorizerId, AuthorizationScopes: []string{"read"}})
	if err != nil {
		t.Fatalf("CreateRoute(JWT): %v", err)
	}
	errs := map[string]string{}
	_, err = c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /y"),
		AuthorizationType: types.AuthorizationTypeCustom, AuthorizerId: jwtAuth.AuthorizerId})
	errs["CUSTOM with a JWT authorizer"] = errorCode(err)
	_, err = c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /y"),
		AuthorizationType: types.AuthorizationTypeCustom, AuthorizerId: lambdaAuth.AuthorizerId, AuthorizationScopes: []string{"a"}})
	errs["scopes on CUSTOM"] = errorCode(err)
	_, err = c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /y"),
		AuthorizationType: types.AuthorizationTypeJwt, AuthorizerId: aws.String("nosuch")})
	errs["unknown authorizer"] = errorCode(err)
	_, err = c.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: api.ApiId, Name: aws.String("j"),
		AuthorizerType: types.AuthorizerTypeJwt, IdentitySource: []string{"$request.header.Authorization"}})
	errs["JWT without issuer"] = errorCode(err)
	_, err = c.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: api.ApiId, Name: aws.String("r"),
		AuthorizerType: types.AuthorizerTypeRequest, AuthorizerUri: aws.String(lambdaARN), AuthorizerPayloadFormatVersion: aws.String("1.0"),
		EnableSimpleResponses: aws.Bool(true), IdentitySource: []string{"$request.header.X"}})
	errs["simple responses with 1.0"] = errorCode(err)
	_, err = c.DeleteAuthorizer(ctx, &apigatewayv2.DeleteAuthorizerInput{ApiId: api.ApiId, AuthorizerId: jwtAuth.AuthorizerId})
	errs["delete a used authorizer"] = errorCode(err)
	_, err = c.GetAuthorizer(ctx, &apigatewayv2.GetAuthorizerInput{ApiId: api.ApiId, AuthorizerId: aws.String("nosuch")})
	errs["get unknown"] = errorCode(err)
	want := map[string]string{"CUSTOM with a JWT authorizer": "BadRequestException", "scopes on CUSTOM": "BadRequestException",
		"unknown authorizer": "BadRequestException", "JWT without issuer": "BadRequestException",
		"simple responses with 1.0": "BadRequestException", "delete a used authorizer": "ConflictException",
		"get unknown": "NotFoundException"}
	if diff := cmp.Diff(want, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}

	if _, err := c.DeleteRoute(ctx, &apigatewayv2.DeleteRouteInput{ApiId: api.ApiId, RouteId: route.RouteId}); err != nil {
		t.Fatalf("DeleteRoute: %v", err)
	}
	if _, err := c.DeleteAuthorizer(ctx, &apigatewayv2.DeleteAuthorizerInput{ApiId: api.ApiId, AuthorizerId: jwtAuth.AuthorizerId}); err != nil {
		t.Fatalf("DeleteAuthorizer: %v", err)
	}
	list, err := c.GetAuthorizers(ctx, &apigatewayv2.GetAuthorizersInput{ApiId: api.ApiId})
	if err != nil || len(list.Items) != 1 || aws.ToString(list.Items[0].Name) != "lambda" {
		t.Errorf("GetAuthorizers = %+v, %v; want the lambda authorizer", list, err)
	}
}

func TestPagingAndCors(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	api, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("a"), ProtocolType: types.ProtocolTypeHttp,
		CorsConfiguration: &types.Cors{AllowOrigins: []string{"*"}, MaxAge: aws.Int32(60)}})
	if err != nil {
		t.Fatalf("CreateApi: %v", err)
	}
	if api.CorsConfiguration == nil || aws.ToInt32(api.CorsConfiguration.MaxAge) != 60 {
		t.Errorf("CreateApi CorsConfiguration = %+v", api.CorsConfiguration)
	}
	want := []string{"GET /1", "GET /2", "GET /3", "GET /4", "GET /5"}
	for _, key := range want {
		if _, err := c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String(key)}); err != nil {
			t.Fatalf("CreateRoute: %v", err)
		}
	}
	var keys []string
	var pages int
	p := apigatewayv2.GetRoutesInput{ApiId: api.ApiId, MaxResults: aws.String("2")}
	for {
		out, err := c.GetRoutes(ctx, &p)
		if err != nil {
			t.Fatalf("GetRoutes: %v", err)
		}
		pages++
		for _, r := range out.Items {
			keys = append(keys, aws.ToString(r.RouteKey))
		}
		if out.NextToken == nil {
			break
		}
		p.NextToken = out.NextToken
	}
	if diff := cmp.Diff([]any{want, 3}, []any{keys, pages}); diff != "" {
		t.Errorf("paged GetRoutes (-want +got):\n%s", diff)
	}
	_, err = c.UpdateApi(ctx, &apigatewayv2.UpdateApiInput{ApiId: api.ApiId,
		CorsConfiguration: &types.Cors{AllowOrigins: []string{"*"}, AllowCredentials: aws.Bool(true)}})
	if code := errorCode(err); code != "BadRequestException" {
		t.Errorf("credentials with origin * = %q, want BadRequestException", code)
	}
	if _, err := c.DeleteCorsConfiguration(ctx, &apigatewayv2.DeleteCorsConfigurationInput{ApiId: api.ApiId}); err != nil {
		t.Fatalf("DeleteCorsConfiguration: %v", err)
	}
	got, err := c.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: api.ApiId})
	if err != nil || got.CorsConfiguration != nil {
		t.Errorf("GetApi after DeleteCorsConfiguration = %+v, %v", got.CorsConfiguration, err)
	}
}

func TestTags(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	api, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("a"), ProtocolType: types.ProtocolTypeHttp,
		Tags: map[string]string{"team": "x"}})
	if err != nil {
		t.Fatalf("CreateApi: %v", err)
	}
	arn := aws.String("arn:aws:apigateway:us-east-1::/apis/" + aws.ToString(api.ApiId))
	if _, err := c.TagResource(ctx, &apigatewayv2.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"env": "dev", "k": "v"}}); err != nil {
		t.Fatalf("TagResource: %v", err)
	}
	if _, err := c.UntagResource(ctx, &apigatewayv2.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"k"}}); err != nil {
		t.Fatalf("UntagResource: %v", err)
	}
	out, err := c.GetTags(ctx, &apigatewayv2.GetTagsInput{ResourceArn: arn})
	if err != nil {
		t.Fatalf("GetTags: %v", err)
	}
	if diff := cmp.Diff(map[string]string{"team": "x", "env": "dev"}, out.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	_, err = c.GetTags(ctx, &apigatewayv2.GetTagsInput{ResourceArn: aws.String("arn:aws:apigateway:us-east-1::/apis/nosuchapi1")})
	if code := errorCode(err); code != "NotFoundException" {
		t.Errorf("GetTags(unknown API) = %q, want NotFoundException", code)
	}
}
