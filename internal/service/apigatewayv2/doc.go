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
// GetDeployment, GetDeployments, DeleteDeployment; CreateAuthorizer,
// GetAuthorizer, GetAuthorizers, UpdateAuthorizer, DeleteAuthorizer (JWT
// with JwtConfiguration, REQUEST Lambda authorizers with payload 1.0/2.0,
// simple responses, identity sources and a result TTL up to 3600 s; an
// authorizer a route uses cannot be deleted, ConflictException);
// DeleteCorsConfiguration; TagResource, GetTags, UntagResource (APIs and
// stages, by arn:aws:apigateway:<region>::/apis/<id>[/stages/<name>]).
// Routes check AuthorizationType NONE/JWT/CUSTOM against the authorizer's
// type (AuthorizationScopes with JWT only); AWS_IAM routes take no
// authorizer (one given is dropped) and are served by the data plane
// with SigV4 verification (package gateway). The list operations page with
// MaxResults and NextToken (the token is the next item's offset).
//
// Storage: one JSON record per API holding the API, its routes,
// integrations, stages and deployment metadata, updated in one
// transaction; a separate revision counter per API that every change
// bumps (the data plane polls it cheaply); and one record per deployment
// holding the routes and integrations it froze.
//
// Authorizers, CorsConfiguration, stage route settings and stage
// AccessLogSettings (access log lines) take effect in the data plane
// (package gateway); a deployment freezes the authorizers with the routes
// and integrations.
//
// Known deviations from AWS: only HTTP APIs (ProtocolType HTTP; WEBSOCKET
// is refused); models, identityValidationExpression and
// route/integration responses are stored where the input carries them
// but have no effect; the validation messages of authorizers and CORS are Fogbank's own wording;
// an AutoDeploy stage serves the live routes without recording a
// deployment per change.
// Integration types: AWS_PROXY (Lambda) and HTTP_PROXY only.
package apigatewayv2
