package apigatewayv2

import "github.com/fogbank/fogbank/internal/awsproto/restjson"

// API returns the restJson route table of the service.
func (s *Service) API() restjson.Service {
	const api = "/v2/apis/{ApiId}"
	return restjson.Service{Routes: []restjson.Route{
		{Method: "POST", Pattern: "/v2/apis", Op: "CreateApi", Call: s.CreateApi},
		{Method: "POST", Pattern: "/v2/tags/{ResourceArn}", Op: "TagResource", Call: s.TagResource},
		{Method: "GET", Pattern: "/v2/tags/{ResourceArn}", Op: "GetTags", Call: s.GetTags},
		{Method: "DELETE", Pattern: "/v2/tags/{ResourceArn}", Op: "UntagResource", Call: s.UntagResource},
		{Method: "GET", Pattern: "/v2/apis", Op: "GetApis", Call: s.GetApis},
		{Method: "GET", Pattern: api, Op: "GetApi", Call: s.GetApi},
		{Method: "PATCH", Pattern: api, Op: "UpdateApi", Call: s.UpdateApi},
		{Method: "DELETE", Pattern: api, Op: "DeleteApi", Call: s.DeleteApi},
		{Method: "DELETE", Pattern: api + "/cors", Op: "DeleteCorsConfiguration", Call: s.DeleteCorsConfiguration},
		{Method: "POST", Pattern: api + "/authorizers", Op: "CreateAuthorizer", Call: s.CreateAuthorizer},
		{Method: "GET", Pattern: api + "/authorizers", Op: "GetAuthorizers", Call: s.GetAuthorizers},
		{Method: "GET", Pattern: api + "/authorizers/{AuthorizerId}", Op: "GetAuthorizer", Call: s.GetAuthorizer},
		{Method: "PATCH", Pattern: api + "/authorizers/{AuthorizerId}", Op: "UpdateAuthorizer", Call: s.UpdateAuthorizer},
		{Method: "DELETE", Pattern: api + "/authorizers/{AuthorizerId}", Op: "DeleteAuthorizer", Call: s.DeleteAuthorizer},
		{Method: "POST", Pattern: api + "/routes", Op: "CreateRoute", Call: s.CreateRoute},
		{Method: "GET", Pattern: api + "/routes", Op: "GetRoutes", Call: s.GetRoutes},
		{Method: "GET", Pattern: api + "/routes/{RouteId}", Op: "GetRoute", Call: s.GetRoute},
		{Method: "PATCH", Pattern: api + "/routes/{RouteId}", Op: "UpdateRoute", Call: s.UpdateRoute},
		{Method: "DELETE", Pattern: api + "/routes/{RouteId}", Op: "DeleteRoute", Call: s.DeleteRoute},
		{Method: "POST", Pattern: api + "/integrations", Op: "CreateIntegration", Call: s.CreateIntegration},
		{Method: "GET", Pattern: api + "/integrations", Op: "GetIntegrations", Call: s.GetIntegrations},
		{Method: "GET", Pattern: api + "/integrations/{IntegrationId}", Op: "GetIntegration", Call: s.GetIntegration},
		{Method: "PATCH", Pattern: api + "/integrations/{IntegrationId}", Op: "UpdateIntegration", Call: s.UpdateIntegration},
		{Method: "DELETE", Pattern: api + "/integrations/{IntegrationId}", Op: "DeleteIntegration", Call: s.DeleteIntegration},
		{Method: "POST", Pattern: api + "/stages", Op: "CreateStage", Call: s.CreateStage},
		{Method: "GET", Pattern: api + "/stages", Op: "GetStages", Call: s.GetStages},
		{Method: "GET", Pattern: api + "/stages/{StageName}", Op: "GetStage", Call: s.GetStage},
		{Method: "PATCH", Pattern: api + "/stages/{StageName}", Op: "UpdateStage", Call: s.UpdateStage},
		{Method: "DELETE", Pattern: api + "/stages/{StageName}", Op: "DeleteStage", Call: s.DeleteStage},
		{Method: "POST", Pattern: api + "/deployments", Op: "CreateDeployment", Call: s.CreateDeployment},
		{Method: "GET", Pattern: api + "/deployments", Op: "GetDeployments", Call: s.GetDeployments},
		{Method: "GET", Pattern: api + "/deployments/{DeploymentId}", Op: "GetDeployment", Call: s.GetDeployment},
		{Method: "DELETE", Pattern: api + "/deployments/{DeploymentId}", Op: "DeleteDeployment", Call: s.DeleteDeployment},
	}}
}
