package lambda

// Wire shapes of the Lambda API, with the member names AWS uses.

// FunctionConfiguration describes one version of a function.
type FunctionConfiguration struct {
	FunctionName     string             `json:"FunctionName"`
	FunctionArn      string             `json:"FunctionArn"`
	Runtime          string             `json:"Runtime,omitempty"`
	Role             string             `json:"Role"`
	Handler          string             `json:"Handler,omitempty"`
	CodeSize         int64              `json:"CodeSize"`
	Description      string             `json:"Description"`
	Timeout          int                `json:"Timeout"`
	MemorySize       int                `json:"MemorySize"`
	LastModified     string             `json:"LastModified"`
	CodeSha256       string             `json:"CodeSha256"`
	Version          string             `json:"Version"`
	Environment      *EnvironmentResp   `json:"Environment,omitempty"`
	TracingConfig    TracingConfig      `json:"TracingConfig"`
	RevisionID       string             `json:"RevisionId"`
	State            string             `json:"State"`
	LastUpdateStatus string             `json:"LastUpdateStatus"`
	PackageType      string             `json:"PackageType"`
	Architectures    []string           `json:"Architectures"`
	EphemeralStorage EphemeralStorage   `json:"EphemeralStorage"`
	LoggingConfig    LoggingConfig      `json:"LoggingConfig"`
	SnapStart        *SnapStartResponse `json:"SnapStart,omitempty"`
}

// EnvironmentResp is a function's environment variables.
type EnvironmentResp struct {
	Variables map[string]string `json:"Variables"`
}

// Environment is the environment of a create or update request.
type Environment struct {
	Variables map[string]string `json:"Variables"`
}

// TracingConfig is the X-Ray mode (always PassThrough here).
type TracingConfig struct {
	Mode string `json:"Mode"`
}

// EphemeralStorage is the size of /tmp in MB.
type EphemeralStorage struct {
	Size int `json:"Size"`
}

// LoggingConfig names the function's log group.
type LoggingConfig struct {
	LogFormat string `json:"LogFormat"`
	LogGroup  string `json:"LogGroup"`
}

// SnapStartResponse is SnapStart's state (always off here).
type SnapStartResponse struct {
	ApplyOn            string `json:"ApplyOn"`
	OptimizationStatus string `json:"OptimizationStatus"`
}

// FunctionCode is the code of a CreateFunction request.
type FunctionCode struct {
	ZipFile         []byte `json:"ZipFile"`
	S3Bucket        string `json:"S3Bucket"`
	S3Key           string `json:"S3Key"`
	S3ObjectVersion string `json:"S3ObjectVersion"`
	ImageURI        string `json:"ImageUri"`
}

// CreateFunctionInput is the body of CreateFunction.
type CreateFunctionInput struct {
	FunctionName  string            `json:"FunctionName"`
	Runtime       string            `json:"Runtime"`
	Role          string            `json:"Role"`
	Handler       string            `json:"Handler"`
	Code          *FunctionCode     `json:"Code"`
	Description   string            `json:"Description"`
	Timeout       *int              `json:"Timeout"`
	MemorySize    *int              `json:"MemorySize"`
	Publish       bool              `json:"Publish"`
	PackageType   string            `json:"PackageType"`
	Environment   *Environment      `json:"Environment"`
	Architectures []string          `json:"Architectures"`
	Tags          map[string]string `json:"Tags"`
}

// UpdateFunctionCodeInput is the body of UpdateFunctionCode.
type UpdateFunctionCodeInput struct {
	ZipFile       []byte   `json:"ZipFile"`
	S3Bucket      string   `json:"S3Bucket"`
	S3Key         string   `json:"S3Key"`
	ImageURI      string   `json:"ImageUri"`
	Publish       bool     `json:"Publish"`
	DryRun        bool     `json:"DryRun"`
	RevisionID    string   `json:"RevisionId"`
	Architectures []string `json:"Architectures"`
}

// UpdateFunctionConfigurationInput is the body of UpdateFunctionConfiguration.
type UpdateFunctionConfigurationInput struct {
	Runtime     *string      `json:"Runtime"`
	Role        *string      `json:"Role"`
	Handler     *string      `json:"Handler"`
	Description *string      `json:"Description"`
	Timeout     *int         `json:"Timeout"`
	MemorySize  *int         `json:"MemorySize"`
	Environment *Environment `json:"Environment"`
	RevisionID  string       `json:"RevisionId"`
}

// GetFunctionOutput is GetFunction's answer.
type GetFunctionOutput struct {
	Configuration FunctionConfiguration `json:"Configuration"`
	Code          FunctionCodeLocation  `json:"Code"`
	Tags          map[string]string     `json:"Tags,omitempty"`
	Concurrency   *Concurrency          `json:"Concurrency,omitempty"`
}

// FunctionCodeLocation says where a function's code can be downloaded.
type FunctionCodeLocation struct {
	RepositoryType string `json:"RepositoryType"`
	Location       string `json:"Location"`
}

// Concurrency is a function's reserved concurrency.
type Concurrency struct {
	ReservedConcurrentExecutions *int `json:"ReservedConcurrentExecutions,omitempty"`
}

// ListFunctionsOutput is ListFunctions' answer.
type ListFunctionsOutput struct {
	Functions  []FunctionConfiguration `json:"Functions"`
	NextMarker string                  `json:"NextMarker,omitempty"`
}

// ListVersionsOutput is ListVersionsByFunction's answer.
type ListVersionsOutput struct {
	Versions   []FunctionConfiguration `json:"Versions"`
	NextMarker string                  `json:"NextMarker,omitempty"`
}

// PublishVersionInput is the body of PublishVersion.
type PublishVersionInput struct {
	CodeSha256  string `json:"CodeSha256"`
	Description string `json:"Description"`
	RevisionID  string `json:"RevisionId"`
}

// AliasConfiguration describes an alias.
type AliasConfiguration struct {
	AliasArn        string `json:"AliasArn"`
	Name            string `json:"Name"`
	FunctionVersion string `json:"FunctionVersion"`
	Description     string `json:"Description"`
	RevisionID      string `json:"RevisionId"`
}

// AliasInput is the body of CreateAlias and UpdateAlias.
type AliasInput struct {
	Name            string  `json:"Name"`
	FunctionVersion *string `json:"FunctionVersion"`
	Description     *string `json:"Description"`
	RevisionID      string  `json:"RevisionId"`
}

// ListAliasesOutput is ListAliases' answer.
type ListAliasesOutput struct {
	Aliases    []AliasConfiguration `json:"Aliases"`
	NextMarker string               `json:"NextMarker,omitempty"`
}

// AddPermissionInput is the body of AddPermission.
type AddPermissionInput struct {
	StatementID      string `json:"StatementId"`
	Action           string `json:"Action"`
	Principal        string `json:"Principal"`
	SourceArn        string `json:"SourceArn"`
	SourceAccount    string `json:"SourceAccount"`
	EventSourceToken string `json:"EventSourceToken"`
	PrincipalOrgID   string `json:"PrincipalOrgID"`
	RevisionID       string `json:"RevisionId"`
}
