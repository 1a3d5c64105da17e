package apigateway

// RestAPI is a REST API as GetRestApi returns it.
type RestAPI struct {
	APIKeySource              string                 `json:"apiKeySource,omitempty"`
	BinaryMediaTypes          []string               `json:"binaryMediaTypes,omitempty"`
	CreatedDate               int64                  `json:"createdDate"`
	Description               string                 `json:"description,omitempty"`
	DisableExecuteAPIEndpoint bool                   `json:"disableExecuteApiEndpoint"`
	EndpointConfiguration     *EndpointConfiguration `json:"endpointConfiguration,omitempty"`
	ID                        string                 `json:"id"`
	Name                      string                 `json:"name"`
	RootResourceID            string                 `json:"rootResourceId"`
	Tags                      map[string]string      `json:"tags,omitempty"`
	Version                   string                 `json:"version,omitempty"`
}

// EndpointConfiguration says where a REST API is reachable (recorded only).
type EndpointConfiguration struct {
	Types []string `json:"types,omitempty"`
}

// CreateRestAPIInput is the body of CreateRestApi.
type CreateRestAPIInput struct {
	APIKeySource              string                 `json:"apiKeySource"`
	BinaryMediaTypes          []string               `json:"binaryMediaTypes"`
	Description               string                 `json:"description"`
	DisableExecuteAPIEndpoint bool                   `json:"disableExecuteApiEndpoint"`
	EndpointConfiguration     *EndpointConfiguration `json:"endpointConfiguration"`
	Name                      string                 `json:"name"`
	Tags                      map[string]string      `json:"tags"`
	Version                   string                 `json:"version"`
}

// Resource is one node of a REST API's resource tree.
type Resource struct {
	ID              string             `json:"id"`
	ParentID        string             `json:"parentId,omitempty"`
	PathPart        string             `json:"pathPart,omitempty"`
	Path            string             `json:"path"`
	ResourceMethods map[string]*Method `json:"resourceMethods,omitempty"`
}

// Method is one HTTP method of a resource.
type Method struct {
	APIKeyRequired      bool                       `json:"apiKeyRequired"`
	AuthorizationScopes []string                   `json:"authorizationScopes,omitempty"`
	AuthorizationType   string                     `json:"authorizationType"`
	AuthorizerID        string                     `json:"authorizerId,omitempty"`
	HTTPMethod          string                     `json:"httpMethod"`
	MethodIntegration   *Integration               `json:"methodIntegration,omitempty"`
	MethodResponses     map[string]*MethodResponse `json:"methodResponses,omitempty"`
	OperationName       string                     `json:"operationName,omitempty"`
	RequestModels       map[string]string          `json:"requestModels,omitempty"`
	RequestParameters   map[string]bool            `json:"requestParameters,omitempty"`
}

// PutMethodInput is the body of PutMethod.
type PutMethodInput struct {
	APIKeyRequired      bool              `json:"apiKeyRequired"`
	AuthorizationScopes []string          `json:"authorizationScopes"`
	AuthorizationType   string            `json:"authorizationType"`
	AuthorizerID        string            `json:"authorizerId"`
	OperationName       string            `json:"operationName"`
	RequestModels       map[string]string `json:"requestModels"`
	RequestParameters   map[string]bool   `json:"requestParameters"`
}

// Integration is a method's integration with its back end.
type Integration struct {
	CacheKeyParameters   []string                        `json:"cacheKeyParameters"`
	CacheNamespace       string                          `json:"cacheNamespace,omitempty"`
	ConnectionType       string                          `json:"connectionType,omitempty"`
	ContentHandling      string                          `json:"contentHandling,omitempty"`
	Credentials          string                          `json:"credentials,omitempty"`
	HTTPMethod           string                          `json:"httpMethod,omitempty"`
	IntegrationResponses map[string]*IntegrationResponse `json:"integrationResponses,omitempty"`
	PassthroughBehavior  string                          `json:"passthroughBehavior,omitempty"`
	RequestParameters    map[string]string               `json:"requestParameters,omitempty"`
	RequestTemplates     map[string]string               `json:"requestTemplates,omitempty"`
	TimeoutInMillis      int                             `json:"timeoutInMillis"`
	Type                 string                          `json:"type"`
	URI                  string                          `json:"uri,omitempty"`
}

// PutIntegrationInput is the body of PutIntegration.
type PutIntegrationInput struct {
	CacheKeyParameters    []string          `json:"cacheKeyParameters"`
	CacheNamespace        string            `json:"cacheNamespace"`
	ConnectionType        string            `json:"connectionType"`
	ContentHandling       string            `json:"contentHandling"`
	Credentials           string            `json:"credentials"`
	IntegrationHTTPMethod string            `json:"httpMethod"`
	PassthroughBehavior   string            `json:"passthroughBehavior"`
	RequestParameters     map[string]string `json:"requestParameters"`
	RequestTemplates      map[string]string `json:"requestTemplates"`
	TimeoutInMillis       *int              `json:"timeoutInMillis"`
	Type                  string            `json:"type"`
	URI                   string            `json:"uri"`
}

// MethodResponse is one status code a method declares.
type MethodResponse struct {
	ResponseModels     map[string]string `json:"responseModels,omitempty"`
	ResponseParameters map[string]bool   `json:"responseParameters,omitempty"`
	StatusCode         string            `json:"statusCode"`
}

// IntegrationResponse maps an integration's answer onto a method response.
type IntegrationResponse struct {
	ContentHandling    string            `json:"contentHandling,omitempty"`
	ResponseParameters map[string]string `json:"responseParameters,omitempty"`
	ResponseTemplates  map[string]string `json:"responseTemplates,omitempty"`
	SelectionPattern   string            `json:"selectionPattern,omitempty"`
	StatusCode         string            `json:"statusCode"`
}

// Deployment is a frozen copy of the resource tree.
type Deployment struct {
	CreatedDate int64  `json:"createdDate"`
	Description string `json:"description,omitempty"`
	ID          string `json:"id"`
}

// CreateDeploymentInput is the body of CreateDeployment.
type CreateDeploymentInput struct {
	Description      string            `json:"description"`
	StageDescription string            `json:"stageDescription"`
	StageName        string            `json:"stageName"`
	Variables        map[string]string `json:"variables"`
}

// Stage is a named reference to a deployment, with its stage variables.
type Stage struct {
	AccessLogSettings   *AccessLogSettings        `json:"accessLogSettings,omitempty"`
	CacheClusterEnabled bool                      `json:"cacheClusterEnabled"`
	CacheClusterSize    string                    `json:"cacheClusterSize,omitempty"`
	CacheClusterStatus  string                    `json:"cacheClusterStatus"`
	CreatedDate         int64                     `json:"createdDate"`
	DeploymentID        string                    `json:"deploymentId"`
	Description         string                    `json:"description,omitempty"`
	LastUpdatedDate     int64                     `json:"lastUpdatedDate"`
	MethodSettings      map[string]*MethodSetting `json:"methodSettings"`
	StageName           string                    `json:"stageName"`
	Tags                map[string]string         `json:"tags,omitempty"`
	TracingEnabled      bool                      `json:"tracingEnabled"`
	Variables           map[string]string         `json:"variables,omitempty"`
}

// AccessLogSettings is a stage's access logging: the destination's ARN (a
// CloudWatch Logs group) and the line format.
type AccessLogSettings struct {
	DestinationArn string `json:"destinationArn,omitempty"`
	Format         string `json:"format,omitempty"`
}

// CreateStageInput is the body of CreateStage.
type CreateStageInput struct {
	DeploymentID   string            `json:"deploymentId"`
	Description    string            `json:"description"`
	StageName      string            `json:"stageName"`
	Tags           map[string]string `json:"tags"`
	TracingEnabled bool              `json:"tracingEnabled"`
	Variables      map[string]string `json:"variables"`
}

// PatchOperation is one change of an Update operation.
type PatchOperation struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value string `json:"value"`
	From  string `json:"from"`
}

// patchInput is the body of the Update operations.
type patchInput struct {
	PatchOperations []PatchOperation `json:"patchOperations"`
}

// items is the shape of list answers: {"item": [...]}.
type items[T any] struct {
	Item     []T    `json:"item"`
	Position string `json:"position,omitempty"`
}

// Authorizer is a REST API's authorizer: a Lambda function (TOKEN or
// REQUEST) or a Cognito user pool.
type Authorizer struct {
	AuthType                     string   `json:"authType,omitempty"`
	AuthorizerCredentials        string   `json:"authorizerCredentials,omitempty"`
	AuthorizerResultTTLInSeconds *int     `json:"authorizerResultTtlInSeconds,omitempty"`
	AuthorizerURI                string   `json:"authorizerUri,omitempty"`
	ID                           string   `json:"id"`
	IdentitySource               string   `json:"identitySource,omitempty"`
	IdentityValidationExpression string   `json:"identityValidationExpression,omitempty"`
	Name                         string   `json:"name"`
	ProviderARNs                 []string `json:"providerARNs,omitempty"`
	Type                         string   `json:"type"`
}
