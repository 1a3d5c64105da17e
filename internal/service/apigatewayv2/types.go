package apigatewayv2

import "encoding/json"

// API is an HTTP API as GetApi returns it.
type API struct {
	APIEndpoint               string            `json:"apiEndpoint,omitempty"`
	APIGatewayManaged         bool              `json:"apiGatewayManaged,omitempty"`
	APIID                     string            `json:"apiId"`
	APIKeySelectionExpression string            `json:"apiKeySelectionExpression,omitempty"`
	CorsConfiguration         *Cors             `json:"corsConfiguration,omitempty"`
	CreatedDate               string            `json:"createdDate,omitempty"`
	Description               string            `json:"description,omitempty"`
	DisableExecuteAPIEndpoint bool              `json:"disableExecuteApiEndpoint"`
	IPAddressType             string            `json:"ipAddressType,omitempty"`
	Name                      string            `json:"name"`
	ProtocolType              string            `json:"protocolType"`
	RouteSelectionExpression  string            `json:"routeSelectionExpression,omitempty"`
	Tags                      map[string]string `json:"tags,omitempty"`
	Version                   string            `json:"version,omitempty"`
}

// CreateAPIInput is the body of CreateApi. Target and RouteKey ask for a
// quick create: an integration, a route and an auto-deployed $default stage.
type CreateAPIInput struct {
	APIKeySelectionExpression string            `json:"apiKeySelectionExpression"`
	CorsConfiguration         *Cors             `json:"corsConfiguration"`
	CredentialsArn            string            `json:"credentialsArn"`
	Description               string            `json:"description"`
	DisableExecuteAPIEndpoint bool              `json:"disableExecuteApiEndpoint"`
	IPAddressType             string            `json:"ipAddressType"`
	Name                      string            `json:"name"`
	ProtocolType              string            `json:"protocolType"`
	RouteKey                  string            `json:"routeKey"`
	RouteSelectionExpression  string            `json:"routeSelectionExpression"`
	Tags                      map[string]string `json:"tags"`
	Target                    string            `json:"target"`
	Version                   string            `json:"version"`
}

// UpdateAPIInput is the body of UpdateApi; absent members are unchanged.
type UpdateAPIInput struct {
	APIKeySelectionExpression *string `json:"apiKeySelectionExpression"`
	CorsConfiguration         *Cors   `json:"corsConfiguration"`
	Description               *string `json:"description"`
	DisableExecuteAPIEndpoint *bool   `json:"disableExecuteApiEndpoint"`
	IPAddressType             *string `json:"ipAddressType"`
	Name                      *string `json:"name"`
	RouteSelectionExpression  *string `json:"routeSelectionExpression"`
	Version                   *string `json:"version"`
}

// Route is one route of an API.
type Route struct {
	APIGatewayManaged   bool            `json:"apiGatewayManaged,omitempty"`
	APIKeyRequired      bool            `json:"apiKeyRequired"`
	AuthorizationScopes []string        `json:"authorizationScopes,omitempty"`
	AuthorizationType   string          `json:"authorizationType,omitempty"`
	AuthorizerID        string          `json:"authorizerId,omitempty"`
	OperationName       string          `json:"operationName,omitempty"`
	RequestParameters   json.RawMessage `json:"requestParameters,omitempty"`
	RouteID             string          `json:"routeId"`
	RouteKey            string          `json:"routeKey"`
	Target              string          `json:"target,omitempty"`
}

// RouteInput is the body of CreateRoute and UpdateRoute; for an update,
// absent members are unchanged.
type RouteInput struct {
	APIKeyRequired      *bool           `json:"apiKeyRequired"`
	AuthorizationScopes []string        `json:"authorizationScopes"`
	AuthorizationType   *string         `json:"authorizationType"`
	AuthorizerID        *string         `json:"authorizerId"`
	OperationName       *string         `json:"operationName"`
	RequestParameters   json.RawMessage `json:"requestParameters"`
	RouteKey            *string         `json:"routeKey"`
	Target              *string         `json:"target"`
}

// Integration is one integration of an API.
type Integration struct {
	APIGatewayManaged    bool            `json:"apiGatewayManaged,omitempty"`
	ConnectionType       string          `json:"connectionType,omitempty"`
	CredentialsArn       string          `json:"credentialsArn,omitempty"`
	Description          string          `json:"description,omitempty"`
	IntegrationID        string          `json:"integrationId"`
	IntegrationMethod    string          `json:"integrationMethod,omitempty"`
	IntegrationType      string          `json:"integrationType"`
	IntegrationURI       string          `json:"integrationUri,omitempty"`
	PayloadFormatVersion string          `json:"payloadFormatVersion,omitempty"`
	RequestParameters    json.RawMessage `json:"requestParameters,omitempty"`
	ResponseParameters   json.RawMessage `json:"responseParameters,omitempty"`
	TimeoutInMillis      int             `json:"timeoutInMillis"`
}

// IntegrationInput is the body of CreateIntegration and
// UpdateIntegration; for an update, absent members are unchanged.
type IntegrationInput struct {
	ConnectionType       *string         `json:"connectionType"`
	CredentialsArn       *string         `json:"credentialsArn"`
	Description          *string         `json:"description"`
	IntegrationMethod    *string         `json:"integrationMethod"`
	IntegrationType      *string         `json:"integrationType"`
	IntegrationURI       *string         `json:"integrationUri"`
	PayloadFormatVersion *string         `json:"payloadFormatVersion"`
	RequestParameters    json.RawMessage `json:"requestParameters"`
	ResponseParameters   json.RawMessage `json:"responseParameters"`
	TimeoutInMillis      *int            `json:"timeoutInMillis"`
}

// Stage is one stage of an API.
type Stage struct {
	AccessLogSettings    json.RawMessage          `json:"accessLogSettings,omitempty"`
	APIGatewayManaged    bool                     `json:"apiGatewayManaged,omitempty"`
	AutoDeploy           bool                     `json:"autoDeploy"`
	CreatedDate          string                   `json:"createdDate,omitempty"`
	DefaultRouteSettings *RouteSettings           `json:"defaultRouteSettings,omitempty"`
	DeploymentID         string                   `json:"deploymentId,omitempty"`
	Description          string                   `json:"description,omitempty"`
	LastUpdatedDate      string                   `json:"lastUpdatedDate,omitempty"`
	RouteSettings        map[string]RouteSettings `json:"routeSettings,omitempty"`
	StageName            string                   `json:"stageName"`
	StageVariables       map[string]string        `json:"stageVariables,omitempty"`
	Tags                 map[string]string        `json:"tags,omitempty"`
}

// StageInput is the body of CreateStage and UpdateStage; for an update,
// absent members are unchanged.
type StageInput struct {
	AccessLogSettings    json.RawMessage          `json:"accessLogSettings"`
	AutoDeploy           *bool                    `json:"autoDeploy"`
	DefaultRouteSettings *RouteSettings           `json:"defaultRouteSettings"`
	DeploymentID         *string                  `json:"deploymentId"`
	Description          *string                  `json:"description"`
	RouteSettings        map[string]RouteSettings `json:"routeSettings"`
	StageName            *string                  `json:"stageName"`
	StageVariables       map[string]string        `json:"stageVariables"`
	Tags                 map[string]string        `json:"tags"`
}

// Deployment is one deployment of an API.
type Deployment struct {
	AutoDeployed     bool   `json:"autoDeployed"`
	CreatedDate      string `json:"createdDate,omitempty"`
	DeploymentID     string `json:"deploymentId"`
	DeploymentStatus string `json:"deploymentStatus"`
	Description      string `json:"description,omitempty"`
}

// DeploymentInput is the body of CreateDeployment.
type DeploymentInput struct {
	Description string `json:"description"`
	StageName   string `json:"stageName"`
}

// Cors is an API's CorsConfiguration.
type Cors struct {
	AllowCredentials *bool    `json:"allowCredentials,omitempty"`
	AllowHeaders     []string `json:"allowHeaders,omitempty"`
	AllowMethods     []string `json:"allowMethods,omitempty"`
	AllowOrigins     []string `json:"allowOrigins,omitempty"`
	ExposeHeaders    []string `json:"exposeHeaders,omitempty"`
	MaxAge           *int     `json:"maxAge,omitempty"`
}

// RouteSettings are a stage's default or per-route settings; only the
// throttling limits have an effect.
type RouteSettings struct {
	DataTraceEnabled       *bool    `json:"dataTraceEnabled,omitempty"`
	DetailedMetricsEnabled *bool    `json:"detailedMetricsEnabled,omitempty"`
	LoggingLevel           *string  `json:"loggingLevel,omitempty"`
	ThrottlingBurstLimit   *int     `json:"throttlingBurstLimit,omitempty"`
	ThrottlingRateLimit    *float64 `json:"throttlingRateLimit,omitempty"`
}

// Authorizer is one authorizer of an API.
type Authorizer struct {
	AuthorizerCredentialsArn       string            `json:"authorizerCredentialsArn,omitempty"`
	AuthorizerID                   string            `json:"authorizerId"`
	AuthorizerPayloadFormatVersion string            `json:"authorizerPayloadFormatVersion,omitempty"`
	AuthorizerResultTTLInSeconds   int               `json:"authorizerResultTtlInSeconds"`
	AuthorizerType                 string            `json:"authorizerType"`
	AuthorizerURI                  string            `json:"authorizerUri,omitempty"`
	EnableSimpleResponses          bool              `json:"enableSimpleResponses"`
	IdentitySource                 []string          `json:"identitySource,omitempty"`
	IdentityValidationExpression   string            `json:"identityValidationExpression,omitempty"`
	JWTConfiguration               *JWTConfiguration `json:"jwtConfiguration,omitempty"`
	Name                           string            `json:"name"`
}

// JWTConfiguration is a JWT authorizer's issuer and audiences.
type JWTConfiguration struct {
	Audience []string `json:"audience,omitempty"`
	Issuer   string   `json:"issuer,omitempty"`
}

// AuthorizerInput is the body of CreateAuthorizer and UpdateAuthorizer;
// for an update, absent members are unchanged.
type AuthorizerInput struct {
	AuthorizerCredentialsArn       *string           `json:"authorizerCredentialsArn"`
	AuthorizerPayloadFormatVersion *string           `json:"authorizerPayloadFormatVersion"`
	AuthorizerResultTTLInSeconds   *int              `json:"authorizerResultTtlInSeconds"`
	AuthorizerType                 *string           `json:"authorizerType"`
	AuthorizerURI                  *string           `json:"authorizerUri"`
	EnableSimpleResponses          *bool             `json:"enableSimpleResponses"`
	IdentitySource                 []string          `json:"identitySource"`
	IdentityValidationExpression   *string           `json:"identityValidationExpression"`
	JWTConfiguration               *JWTConfiguration `json:"jwtConfiguration"`
	Name                           *string           `json:"name"`
}

// page is the output of the Get* list operations.
type page[T any] struct {
	Items     []T    `json:"items"`
	NextToken string `json:"nextToken,omitempty"`
}
