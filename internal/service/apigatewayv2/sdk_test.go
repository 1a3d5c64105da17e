package apigatewayv2_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/fogtest"
)

const lambdaARN = "arn:aws:lambda:us-east-1:000000000000:function:echo"

func newClient(t *testing.T) *apigatewayv2.Client {
	t.Helper()
	return fogtest.Start(t).APIGatewayV2(func(o *apigatewayv2.Options) { o.RetryMaxAttempts = 1 })
}

// errorCode returns the AWS error code of err, "" when it is nil.
func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	if err != nil {
		return "not an API error: " + err.Error()
	}
	return ""
}

func TestQuickCreate(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	api, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("quick"), ProtocolType: types.ProtocolTypeHttp,
		Target: aws.String(lambdaARN), RouteKey: aws.String("GET /hello")})
	if err != nil {
		t.Fatalf("CreateApi: %v", err)
	}
	id := aws.ToString(api.ApiId)
	if len(id) != 10 || !strings.HasPrefix(aws.ToString(api.ApiEndpoint), "http://"+id+".execute-api.localhost:") {
		t.Errorf("CreateApi: id %q endpoint %q", id, aws.ToString(api.ApiEndpoint))
	}
	routes, err := c.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: api.ApiId})
	if err != nil || len(routes.Items) != 1 {
		t.Fatalf("GetRoutes = %+v, %v; want one route", routes, err)
	}
	integs, err := c.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: api.ApiId})
	if err != nil || len(integs.Items) != 1 {
		t.Fatalf("GetIntegrations = %+v, %v; want one integration", integs, err)
	}
	in := integs.Items[0]
	got := []string{aws.ToString(routes.Items[0].RouteKey), aws.ToString(routes.Items[0].Target), string(in.IntegrationType),
		aws.ToString(in.IntegrationUri), aws.ToString(in.PayloadFormatVersion)}
	want := []string{"GET /hello", "integrations/" + aws.ToString(in.IntegrationId), "AWS_PROXY", lambdaARN, "2.0"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("quick create (-want +got):\n%s", diff)
	}
	st, err := c.GetStage(ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("$default")})
	if err != nil || !aws.ToBool(st.AutoDeploy) {
		t.Errorf("GetStage($default) = %+v, %v; want an AutoDeploy stage", st, err)
	}
}

func TestAPILifecycle(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	api, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("a"), ProtocolType: types.ProtocolTypeHttp})
	if err != nil {
		t.Fatalf("CreateApi: %v", err)
	}
	if _, err := c.UpdateApi(ctx, &apigatewayv2.UpdateApiInput{ApiId: api.ApiId, Name: aws.String("b")}); err != nil {
		t.Fatalf("UpdateApi: %v", err)
	}
	got, err := c.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: api.ApiId})
	if err != nil || aws.ToString(got.Name) != "b" || got.ProtocolType != types.ProtocolTypeHttp {
		t.Fatalf("GetApi = %+v, %v", got, err)
	}
	list, err := c.GetApis(ctx, &apigatewayv2.GetApisInput{})
	if err != nil || len(list.Items) != 1 {
		t.Fatalf("GetApis = %+v, %v", list, err)
	}
	if _, err := c.DeleteApi(ctx, &apigatewayv2.DeleteApiInput{ApiId: api.ApiId}); err != nil {
		t.Fatalf("DeleteApi: %v", err)
	}
	_, err = c.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: api.ApiId})
	var nf *types.NotFoundException
	if !errors.As(err, &nf) || !strings.HasPrefix(aws.ToString(nf.Message), "Invalid API identifier specified") {
		t.Errorf("GetApi after delete: %v, want NotFoundException", err)
	}
}

func TestRoutesIntegrationsStages(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	api, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("a"), ProtocolType: types.ProtocolTypeHttp})
	if err != nil {
		t.Fatalf("CreateApi: %v", err)
	}
	integ, err := c.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{ApiId: api.ApiId,
		IntegrationType: types.IntegrationTypeAwsProxy, IntegrationUri: aws.String(lambdaARN),
		PayloadFormatVersion: aws.String("1.0"), TimeoutInMillis: aws.Int32(1000)})
	if err != nil {
		t.Fatalf("CreateIntegration: %v", err)
	}
	target := aws.String("integrations/" + aws.ToString(integ.IntegrationId))
	route, err := c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /items/{id}"), Target: target})
	if err != nil {
		t.Fatalf("CreateRoute: %v", err)
	}
	upd, err := c.UpdateRoute(ctx, &apigatewayv2.UpdateRouteInput{ApiId: api.ApiId, RouteId: route.RouteId, RouteKey: aws.String("ANY /{proxy+}")})
	if err != nil || aws.ToString(upd.RouteKey) != "ANY /{proxy+}" || aws.ToString(upd.Target) != aws.ToString(target) {
		t.Fatalf("UpdateRoute = %+v, %v", upd, err)
	}
	st, err := c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("dev"),
		StageVariables: map[string]string{"alias": "live"}})
	if err != nil {
		t.Fatalf("CreateStage: %v", err)
	}
	dep, err := c.CreateDeployment(ctx, &apigatewayv2.CreateDeploymentInput{ApiId: api.ApiId, StageName: st.StageName})
	if err != nil || dep.DeploymentStatus != types.DeploymentStatusDeployed {
		t.Fatalf("CreateDeployment = %+v, %v", dep, err)
	}
	got, err := c.GetStage(ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("dev")})
	if err != nil || aws.ToString(got.DeploymentId) != aws.ToString(dep.DeploymentId) || got.StageVariables["alias"] != "live" {
		t.Fatalf("GetStage = %+v, %v", got, err)
	}
	deps, err := c.GetDeployments(ctx, &apigatewayv2.GetDeploymentsInput{ApiId: api.ApiId})
	if err != nil || len(deps.Items) != 1 {
		t.Fatalf("GetDeployments = %+v, %v", deps, err)
	}
	if _, err := c.UpdateStage(ctx, &apigatewayv2.UpdateStageInput{ApiId: api.ApiId, StageName: aws.String("dev"), AutoDeploy: aws.Bool(true)}); err != nil {
		t.Fatalf("UpdateStage: %v", err)
	}
	for _, op := range []struct {
		name string
		err  error
	}{
		{"DeleteRoute", func() error {
			_, err := c.DeleteRoute(ctx, &apigatewayv2.DeleteRouteInput{ApiId: api.ApiId, RouteId: route.RouteId})
			return err
		}()},
		{"DeleteIntegration", func() error {
			_, err := c.DeleteIntegration(ctx, &apigatewayv2.DeleteIntegrationInput{ApiId: api.ApiId, IntegrationId: integ.IntegrationId})
			return err
		}()},
		{"DeleteStage", func() error {
			_, err := c.DeleteStage(ctx, &apigatewayv2.DeleteStageInput{ApiId: api.ApiId, StageName: aws.String("dev")})
			return err
		}()},
	} {
		if op.err != nil {
			t.Errorf("%s: %v", op.name, op.err)
		}
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	api, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("a"), ProtocolType: types.ProtocolTypeHttp,
		Target: aws.String(lambdaARN)})
	if err != nil {
		t.Fatalf("CreateApi: %v", err)
	}
	integs, _ := c.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: api.ApiId})
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"unknown API", func() error {
			_, err := c.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: aws.String("nope")})
			return err
		}, "NotFoundException"},
		{"unknown route", func() error {
			_, err := c.GetRoute(ctx, &apigatewayv2.GetRouteInput{ApiId: api.ApiId, RouteId: aws.String("nope")})
			return err
		}, "NotFoundException"},
		{"unknown stage", func() error {
			_, err := c.GetStage(ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("nope")})
			return err
		}, "NotFoundException"},
		{"duplicate route key", func() error {
			_, err := c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("$default")})
			return err
		}, "ConflictException"},
		{"duplicate stage", func() error {
			_, err := c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("$default")})
			return err
		}, "ConflictException"},
		{"integration in use", func() error {
			_, err := c.DeleteIntegration(ctx, &apigatewayv2.DeleteIntegrationInput{ApiId: api.ApiId, IntegrationId: integs.Items[0].IntegrationId})
			return err
		}, "ConflictException"},
		{"bad route key", func() error {
			_, err := c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("FETCH /x")})
			return err
		}, "BadRequestException"},
		{"greedy not last", func() error {
			_, err := c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /{p+}/x")})
			return err
		}, "BadRequestException"},
		{"bad target", func() error {
			_, err := c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /x"), Target: aws.String("integrations/nope")})
			return err
		}, "BadRequestException"},
		{"bad timeout", func() error {
			_, err := c.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{ApiId: api.ApiId, IntegrationType: types.IntegrationTypeAwsProxy,
				IntegrationUri: aws.String(lambdaARN), TimeoutInMillis: aws.Int32(30001)})
			return err
		}, "BadRequestException"},
		{"websocket", func() error {
			_, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("ws"), ProtocolType: types.ProtocolTypeWebsocket,
				RouteSelectionExpression: aws.String("$request.body.action")})
			return err
		}, "BadRequestException"},
	}
	for _, tc := range tests {
		if got := errorCode(tc.call()); got != tc.want {
			t.Errorf("%s: error code %q, want %q", tc.name, got, tc.want)
		}
	}
}
