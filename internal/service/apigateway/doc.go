// Package apigateway is the control plane of API Gateway's REST APIs (the
// apigateway v1 API, restJson1, signing name "apigateway", paths
// /restapis/...): REST APIs, their resource trees, methods, integrations,
// authorizers, deployments and stages, stored in the storage engine. The
// data plane that serves them is package gateway (beside HTTP APIs); it
// reads what this package stores through [Service.Definition] and
// [Service.Revision], wired by package app, since services never import
// the gateway.
//
// Supported operations: CreateRestApi (creates the root resource "/"),
// GetRestApi, GetRestApis, UpdateRestApi (replace of /name, /description,
// /apiKeySource, /disableExecuteApiEndpoint; add and remove of
// /binaryMediaTypes/<type, "/" as ~1>, replace of one by the value: the
// data plane applies binaryMediaTypes to AWS_PROXY bodies), DeleteRestApi; GetResources, GetResource,
// CreateResource (a literal, a {param} or a greedy {param+} path part; one
// variable child per parent, no child under a greedy one), DeleteResource
// (with its descendants; not the root); PutMethod, GetMethod, DeleteMethod
// (GET/PUT/POST/DELETE/PATCH/OPTIONS/HEAD/ANY; authorizationType NONE,
// AWS_IAM, CUSTOM or COGNITO_USER_POOLS, the latter two with an existing
// authorizer of the matching kind; apiKeyRequired stored); PutIntegration,
// GetIntegration, DeleteIntegration (AWS_PROXY to a Lambda invocation ARN
// arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations,
// HTTP_PROXY to a URL, MOCK with requestTemplates; timeoutInMillis 50 to
// 29000, 29000 by default); PutMethodResponse and PutIntegrationResponse
// (statusCode, selectionPattern, responseTemplates, responseParameters;
// an integration response needs its method response); CreateAuthorizer,
// GetAuthorizer, GetAuthorizers, DeleteAuthorizer (TOKEN with a
// method.request.header.X identity source and an optional
// identityValidationExpression, REQUEST with comma-separated header,
// querystring, stageVariables and context sources, COGNITO_USER_POOLS with
// providerARNs; result TTL 0 to 3600, 300 by default; an authorizer a
// method uses cannot be deleted); CreateDeployment (freezes the resources
// and authorizers; refused when there is no method or a method has no
// integration; with stageName it creates the stage or points it at the new
// deployment, merging the variables), GetDeployment, GetDeployments;
// CreateStage, GetStage, GetStages, UpdateStage (patch operations
// add/replace/remove on /variables/<name>, replace on /description,
// /deploymentId, /tracingEnabled, /cacheClusterEnabled, /cacheClusterSize
// (stored only), /accessLogSettings/destinationArn (a CloudWatch Logs
// group's ARN, else BadRequestException "Invalid ARN specified in the
// request") and /accessLogSettings/format, remove on /accessLogSettings:
// the data plane writes the access log lines; method settings, add or
// replace on /*/*/<member> for every method and
// /<resource path, "/" as ~1>/<METHOD>/<member> for one, members
// metrics/enabled, logging/loglevel (OFF, ERROR, INFO), logging/dataTrace,
// throttling/rateLimit, throttling/burstLimit, caching/enabled,
// caching/ttlInSeconds (0 to 3600), caching/dataEncrypted,
// caching/requireAuthorizationForCacheControl and
// caching/unauthorizedCacheControlHeaderStrategy, remove on
// /<resource>/<METHOD> of a method's override: stored in
// Stage.methodSettings keyed "*/*" or "<resource path without its leading
// slash>/<METHOD>" ("/GET" for the root), a new entry starting from AWS's
// defaults (10000 rps, burst 5000, logging OFF, cache TTL 300) or, for a
// method, from the "*/*" entry; the data plane throttles with them, the
// other members have no effect), DeleteStage. List operations page with limit (25 by
// default, at most 500) and position (the next item's offset). Errors are
// AWS's NotFoundException ("Invalid REST API identifier specified",
// "Invalid Resource identifier specified", "Invalid Method identifier
// specified", "No integration defined for method", "Invalid Stage
// identifier specified", ...), BadRequestException and ConflictException
// ("Another resource with the same parent already has this name: x",
// "Method already exists for this resource", "Stage already exists").
//
// Storage: one JSON record per REST API holding the API, its resources
// (with methods, integrations and responses), authorizers, stages and
// deployment metadata, updated in one transaction; a revision counter per
// API that every change bumps (the data plane polls it cheaply); and one
// record per deployment holding the resources and authorizers it froze.
// Timestamps are epoch seconds, as the API sends them.
//
// Missing: UpdateResource, UpdateMethod, UpdateIntegration and the other
// Update operations beyond UpdateRestApi and UpdateStage (UpdateRestApi
// lacks /policy, /minimumCompressionSize and /endpointConfiguration);
// method-setting paths are not checked against the deployment's methods; integration types
// AWS and HTTP (non-proxy, with mapping templates) are refused; models,
// request validators, API keys and usage plans, gateway responses,
// documentation, custom domain names, VPC links, tags operations,
// ImportRestApi/PutRestApi (OpenAPI), canary settings and stage caches.
// Method and integration request parameters and models are stored but
// have no effect. Messages of validation errors not listed above are
// Fogbank's own wording.
package apigateway
