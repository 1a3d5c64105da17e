// Package apigatewayv2 is the control plane of API Gateway's HTTP APIs (the
// apigatewayv2 API, restJson1, signing name "apigateway"): APIs, routes,
// integrations, stages and deployments, stored in the storage engine. The
// data plane that serves the APIs is package gateway; it reads what this
// package stores through [Service.Definition] and [Service.Revision], wired
// by package app, since services never import the gateway.
//
// Supported operations: CreateApi (including quick create with Target and
// RouteKey), GetApi, GetApis, UpdateApi, DeleteApi; CreateRoute, GetRoute,
// GetRoutes, UpdateRoute, DeleteRoute; CreateIntegration, GetIntegration,
// GetIntegrations, UpdateIntegration, DeleteIntegration; CreateStage,
// GetStage, GetStages, UpdateStage, DeleteStage; CreateDeployment,
// GetDeployment, GetDeployments, DeleteDeployment.
//
// Storage: one JSON record per API holding the API, its routes,
// integrations, stages and deployment metadata, updated in one
// transaction; a separate revision counter per API that every change
// bumps (the data plane polls it cheaply); and one record per deployment
// holding the routes and integrations it froze.
//
// Known deviations from AWS: only HTTP APIs (ProtocolType HTTP; WEBSOCKET
// is refused); authorizers, CORS enforcement, route settings (throttling),
// access logs, tags APIs, models and route/integration responses are stored
// where the input carries them but have no effect yet; list operations
// return every item in one page (nextToken is never set); an AutoDeploy
// stage serves the live routes without recording a deployment per change.
// Integration types: AWS_PROXY (Lambda) and HTTP_PROXY only.
package apigatewayv2
