package apigatewayv2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/google/go-cmp/cmp"
)

// TestIAMRoutes: AWS_IAM routes need no authorizer, take no scopes, and
// a route switched to AWS_IAM lets go of its authorizer.
func TestIAMRoutes(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	api, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("a"), ProtocolType: types.ProtocolTypeHttp})
	if err != nil {
		t.Fatalf("CreateApi: %v", err)
	}
	iam, err := c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /iam"),
		AuthorizationType: types.AuthorizationTypeAwsIam})
	if err != nil {
		t.Fatalf("CreateRoute(AWS_IAM): %v", err)
	}
	if got := []any{iam.AuthorizationType, iam.AuthorizerId}; !cmp.Equal(got, []any{types.AuthorizationTypeAwsIam, (*string)(nil)}) {
		t.Errorf("CreateRoute(AWS_IAM) = %v", got)
	}
	_, err = c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /scoped"),
		AuthorizationType: types.AuthorizationTypeAwsIam, AuthorizationScopes: []string{"read"}})
	if code := errorCode(err); code != "BadRequestException" {
		t.Errorf("AWS_IAM with scopes: %s, want BadRequestException", code)
	}

	jwtAuth, err := c.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: api.ApiId, Name: aws.String("jwt"),
		AuthorizerType: types.AuthorizerTypeJwt, IdentitySource: []string{"$request.header.Authorization"},
		JwtConfiguration: &types.JWTConfiguration{Issuer: aws.String("https://issuer.example"), Audience: []string{"app"}}})
	if err != nil {
		t.Fatalf("CreateAuthorizer: %v", err)
	}
	jwtRoute, err := c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /jwt"),
		AuthorizationType: types.AuthorizationTypeJwt, AuthorizerId: jwtAuth.AuthorizerId})
	if err != nil {
		t.Fatalf("CreateRoute(JWT): %v", err)
	}
	upd, err := c.UpdateRoute(ctx, &apigatewayv2.UpdateRouteInput{ApiId: api.ApiId, RouteId: jwtRoute.RouteId,
		AuthorizationType: types.AuthorizationTypeAwsIam})
	if err != nil {
		t.Fatalf("UpdateRoute(AWS_IAM): %v", err)
	}
	if upd.AuthorizerId != nil {
		t.Errorf("UpdateRoute(AWS_IAM) kept authorizer %q", aws.ToString(upd.AuthorizerId))
	}
	if _, err := c.DeleteAuthorizer(ctx, &apigatewayv2.DeleteAuthorizerInput{ApiId: api.ApiId, AuthorizerId: jwtAuth.AuthorizerId}); err != nil {
		t.Errorf("DeleteAuthorizer no route uses: %v", err)
	}
}
