package apigateway_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/fogtest"
)

const invocationURI = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" +
	"arn:aws:lambda:us-east-1:000000000000:function:echo/invocations"

func newClient(t *testing.T) *apigateway.Client {
	t.Helper()
	return fogtest.Start(t).APIGateway(func(o *apigateway.Options) { o.RetryMaxAttempts = 1 })
}

// apiError returns "Code: message" of err, "" when it is nil.
func apiError(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode() + ": " + apiErr.ErrorMessage()
	}
	if err != nil {
		return "not an API error: " + err.Error()
	}
	return ""
}

// must returns v, failing the test given to its result when err is not nil:
// must(c.Op(ctx, in))(t).
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func TestRestAPILifecycle(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	api := must(c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("shop"), Description: aws.String("d")}))(t)
	id := aws.ToString(api.Id)
	if len(id) != 10 || aws.ToString(api.RootResourceId) == "" || api.CreatedDate == nil {
		t.Fatalf("CreateRestApi = %+v", api)
	}
	got := must(c.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: api.Id}))(t)
	if diff := cmp.Diff([]string{"shop", "d", "HEADER", "EDGE"}, []string{aws.ToString(got.Name), aws.ToString(got.Description),
		string(got.ApiKeySource), string(got.EndpointConfiguration.Types[0])}); diff != "" {
		t.Errorf("GetRestApi (-want +got):\n%s", diff)
	}
	list := must(c.GetRestApis(ctx, &apigateway.GetRestApisInput{}))(t)
	if len(list.Items) != 1 || aws.ToString(list.Items[0].Id) != id {
		t.Errorf("GetRestApis = %+v", list.Items)
	}
	resources := must(c.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: api.Id}))(t)
	if len(resources.Items) != 1 || aws.ToString(resources.Items[0].Path) != "/" || aws.ToString(resources.Items[0].Id) != aws.ToString(api.RootResourceId) {
		t.Errorf("GetResources = %+v", resources.Items)
	}
	if _, err := c.DeleteRestApi(ctx, &apigateway.DeleteRestApiInput{RestApiId: api.Id}); err != nil {
		t.Fatalf("DeleteRestApi: %v", err)
	}
	_, err := c.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: api.Id})
	_, err2 := c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("")})
	want := []string{"NotFoundException: Invalid REST API identifier specified", "BadRequestException: Invalid REST API name specified"}
	if diff := cmp.Diff(want, []string{apiError(err), apiError(err2)}); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestResourcesAndMethods(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	api := must(c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("a")}))(t)
	users := must(c.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api.Id, ParentId: api.RootResourceId, PathPart: aws.String("users")}))(t)
	user := must(c.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api.Id, ParentId: users.Id, PathPart: aws.String("{id}")}))(t)
	proxy := must(c.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api.Id, ParentId: user.Id, PathPart: aws.String("{proxy+}")}))(t)
	if diff := cmp.Diff([]string{"/users", "/users/{id}", "/users/{id}/{proxy+}"},
		[]string{aws.ToString(users.Path), aws.ToString(user.Path), aws.ToString(proxy.Path)}); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	_, dup := c.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api.Id, ParentId: api.RootResourceId, PathPart: aws.String("users")})
	_, sibling := c.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api.Id, ParentId: users.Id, PathPart: aws.String("{other}")})
	_, noParent := c.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api.Id, ParentId: aws.String("nope"), PathPart: aws.String("x")})
	_, deployEmpty := c.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: api.Id, StageName: aws.String("prod")})

	m := must(c.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: api.Id, ResourceId: user.Id, HttpMethod: aws.String("GET"),
		AuthorizationType: aws.String("AWS_IAM"), ApiKeyRequired: true}))(t)
	_, dupMethod := c.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: api.Id, ResourceId: user.Id, HttpMethod: aws.String("GET"),
		AuthorizationType: aws.String("NONE")})
	_, noAuthorizer := c.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: api.Id, ResourceId: user.Id, HttpMethod: aws.String("POST"),
		AuthorizationType: aws.String("CUSTOM")})
	_, noInteg := c.GetIntegration(ctx, &apigateway.GetIntegrationInput{RestApiId: api.Id, ResourceId: user.Id, HttpMethod: aws.String("GET")})
	_, badURI := c.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: api.Id, ResourceId: user.Id, HttpMethod: aws.String("GET"),
		Type: types.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: aws.String("arn:aws:lambda:us-east-1:000000000000:function:echo")})
	integ := must(c.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: api.Id, ResourceId: user.Id, HttpMethod: aws.String("GET"),
		Type: types.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: aws.String(invocationURI)}))(t)
	_, noResponse := c.PutIntegrationResponse(ctx, &apigateway.PutIntegrationResponseInput{RestApiId: api.Id, ResourceId: user.Id,
		HttpMethod: aws.String("GET"), StatusCode: aws.String("200")})
	got := must(c.GetMethod(ctx, &apigateway.GetMethodInput{RestApiId: api.Id, ResourceId: user.Id, HttpMethod: aws.String("GET")}))(t)
	_, rootDelete := c.DeleteResource(ctx, &apigateway.DeleteResourceInput{RestApiId: api.Id, ResourceId: api.RootResourceId})

	want := []string{
		"ConflictException: Another resource with the same parent already has this name: users",
		"BadRequestException: A sibling ({id}) of this resource already has a variable path part -- only one is allowed",
		"NotFoundException: Invalid Resource identifier specified",
		"ConflictException: Method already exists for this resource",
		"BadRequestException: Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.",
		"NotFoundException: No integration defined for method",
		"BadRequestException: Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.",
		"BadRequestException: The REST API doesn't contain any methods",
		"NotFoundException: Invalid Response status code specified",
		"BadRequestException: Cannot delete root resource",
	}
	errs := []string{apiError(dup), apiError(sibling), apiError(noParent), apiError(dupMethod), apiError(noAuthorizer), apiError(noInteg),
		apiError(badURI), apiError(deployEmpty), apiError(noResponse), apiError(rootDelete)}
	if diff := cmp.Diff(want, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	fields := []any{aws.ToString(m.AuthorizationType), aws.ToBool(m.ApiKeyRequired), integ.TimeoutInMillis, aws.ToString(integ.CacheNamespace),
		string(got.MethodIntegration.Type), aws.ToString(got.MethodIntegration.Uri)}
	wantFields := []any{"AWS_IAM", true, int32(29000), aws.ToString(user.Id), "AWS_PROXY", invocationURI}
	if diff := cmp.Diff(wantFields, fields); diff != "" {
		t.Errorf("method (-want +got):\n%s", diff)
	}

	// Deleting a resource deletes its descendants.
	if _, err := c.DeleteResource(ctx, &apigateway.DeleteResourceInput{RestApiId: api.Id, ResourceId: users.Id}); err != nil {
		t.Fatalf("DeleteResource: %v", err)
	}
	resources := must(c.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: api.Id}))(t)
	if len(resources.Items) != 1 {
		t.Errorf("GetResources after delete = %d resources, want the root only", len(resources.Items))
	}
}

func TestDeploymentsAndStages(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	api := must(c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("a")}))(t)
	must(c.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: api.Id, ResourceId: api.RootResourceId, HttpMethod: aws.String("ANY"),
		AuthorizationType: aws.String("NONE")}))(t)
	_, noInteg := c.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: api.Id})
	must(c.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: api.Id, ResourceId: api.RootResourceId,
		HttpMethod: aws.String("ANY"), Type: types.IntegrationTypeMock}))(t)
	dep := must(c.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: api.Id, StageName: aws.String("prod"),
		Variables: map[string]string{"alias": "live"}}))(t)
	prod := must(c.GetStage(ctx, &apigateway.GetStageInput{RestApiId: api.Id, StageName: aws.String("prod")}))(t)
	_, dupStage := c.CreateStage(ctx, &apigateway.CreateStageInput{RestApiId: api.Id, StageName: aws.String("prod"), DeploymentId: dep.Id})
	_, noDep := c.CreateStage(ctx, &apigateway.CreateStageInput{RestApiId: api.Id, StageName: aws.String("dev"), DeploymentId: aws.String("nope")})
	must(c.CreateStage(ctx, &apigateway.CreateStageInput{RestApiId: api.Id, StageName: aws.String("dev"), DeploymentId: dep.Id,
		Variables: map[string]string{"alias": "dev", "x": "1"}}))(t)
	dev := must(c.UpdateStage(ctx, &apigateway.UpdateStageInput{RestApiId: api.Id, StageName: aws.String("dev"),
		PatchOperations: []types.PatchOperation{
			{Op: types.OpReplace, Path: aws.String("/variables/alias"), Value: aws.String("beta")},
			{Op: types.OpRemove, Path: aws.String("/variables/x")},
			{Op: types.OpReplace, Path: aws.String("/description"), Value: aws.String("development")},
		}}))(t)
	_, badPatch := c.UpdateStage(ctx, &apigateway.UpdateStageInput{RestApiId: api.Id, StageName: aws.String("dev"),
		PatchOperations: []types.PatchOperation{{Op: types.OpReplace, Path: aws.String("/nosuch"), Value: aws.String("v")}}})
	stages := must(c.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: api.Id}))(t)
	deps := must(c.GetDeployments(ctx, &apigateway.GetDeploymentsInput{RestApiId: api.Id}))(t)
	must(c.DeleteStage(ctx, &apigateway.DeleteStageInput{RestApiId: api.Id, StageName: aws.String("dev")}))(t)
	_, gone := c.GetStage(ctx, &apigateway.GetStageInput{RestApiId: api.Id, StageName: aws.String("dev")})

	got := []any{aws.ToString(prod.DeploymentId), prod.Variables, dev.Variables, aws.ToString(dev.Description), len(stages.Item),
		len(deps.Items), aws.ToString(deps.Items[0].Id)}
	want := []any{aws.ToString(dep.Id), map[string]string{"alias": "live"}, map[string]string{"alias": "beta"}, "development", 2,
		1, aws.ToString(dep.Id)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
	errs := []string{apiError(noInteg), apiError(dupStage), apiError(noDep), apiError(badPatch), apiError(gone)}
	wantErrs := []string{
		"BadRequestException: No integration defined for method",
		"ConflictException: Stage already exists",
		"NotFoundException: Invalid Deployment identifier specified",
		"BadRequestException: Invalid patch path /nosuch",
		"NotFoundException: Invalid Stage identifier specified",
	}
	if diff := cmp.Diff(wantErrs, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestAuthorizers(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	api := must(c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("a")}))(t)
	_, badSource := c.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{RestApiId: api.Id, Name: aws.String("t"),
		Type: types.AuthorizerTypeToken, IdentitySource: aws.String("method.request.querystring.k"), AuthorizerUri: aws.String(invocationURI)})
	tok := must(c.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{RestApiId: api.Id, Name: aws.String("t"),
		Type: types.AuthorizerTypeToken, IdentitySource: aws.String("method.request.header.Authorization"), AuthorizerUri: aws.String(invocationURI)}))(t)
	must(c.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{RestApiId: api.Id, Name: aws.String("r"), Type: types.AuthorizerTypeRequest,
		IdentitySource: aws.String("method.request.header.X-User, method.request.querystring.k"), AuthorizerUri: aws.String(invocationURI),
		AuthorizerResultTtlInSeconds: aws.Int32(0)}))(t)
	list := must(c.GetAuthorizers(ctx, &apigateway.GetAuthorizersInput{RestApiId: api.Id}))(t)
	must(c.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: api.Id, ResourceId: api.RootResourceId, HttpMethod: aws.String("GET"),
		AuthorizationType: aws.String("CUSTOM"), AuthorizerId: tok.Id}))(t)
	_, wrongKind := c.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: api.Id, ResourceId: api.RootResourceId, HttpMethod: aws.String("POST"),
		AuthorizationType: aws.String("COGNITO_USER_POOLS"), AuthorizerId: tok.Id})
	_, inUse := c.DeleteAuthorizer(ctx, &apigateway.DeleteAuthorizerInput{RestApiId: api.Id, AuthorizerId: tok.Id})

	got := []any{aws.ToInt32(tok.AuthorizerResultTtlInSeconds), len(list.Items), aws.ToInt32(list.Items[1].AuthorizerResultTtlInSeconds),
		apiError(badSource), apiError(wrongKind), apiError(inUse)}
	want := []any{int32(300), 2, int32(0),
		"BadRequestException: Invalid token source expression: method.request.querystring.k. The source must be a method request header, matching 'method.request.header.[a-zA-Z0-9._-]+'",
		"BadRequestException: Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.",
		"ConflictException: Cannot delete authorizer 't', is referenced in method: GET /"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("authorizers (-want +got):\n%s", diff)
	}
}
