package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/storage"
)

// Configuration limits.
const (
	defaultTimeout    = 3
	maxTimeout        = 900
	defaultMemorySize = 128
	minMemorySize     = 128
	maxMemorySize     = 10240
	maxEnvSize        = 4096
	maxDescription    = 256
	maxHandler        = 128
)

// reservedEnvKeys may not be set by users.
var reservedEnvKeys = []string{"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
	"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
	"LAMBDA_RUNTIME_DIR"}

// decodeBody decodes a JSON request body into v.
func decodeBody(r *restjson.Request, v any) error {
	if len(r.Body) == 0 {
		return nil
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		return errInvalidContent.Wrap(err, "Could not parse request body into json: "+err.Error())
	}
	return nil
}

// CreateFunction creates a function from a zip package.
func (s *Service) CreateFunction(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	var in CreateFunctionInput
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	cfg, err := s.newConfig(&in)
	if err != nil {
		return nil, err
	}
	if in.Code == nil || len(in.Code.ZipFile) == 0 {
		if in.Code != nil && (in.Code.S3Bucket != "" || in.Code.ImageURI != "") {
			return nil, errInvalidParameter.New("Fogbank supports only ZipFile code packages for now.")
		}
		return nil, errInvalidParameter.New("Please provide a source for function code.")
	}
	info, err := s.code.put(in.Code.ZipFile)
	if err != nil {
		return nil, err
	}
	cfg.CodeSha256, cfg.CodeSize = info.sha256, info.size
	rec := &functionRecord{Latest: versionRecord{Config: cfg, CodeHex: info.hex}, NextVersion: 1, Tags: in.Tags}
	if in.Publish {
		rec.publish("")
	}
	err = s.engine.Update(ctx, func(tx storage.Tx) error {
		if _, err := loadFunction(tx, cfg.FunctionName); !errors.Is(err, errNoFunction) {
			if err == nil {
				return errConflict.New("Function already exist: " + cfg.FunctionName)
			}
			return err
		}
		return saveFunction(tx, rec)
	})
	s.functions.Delete(cfg.FunctionName) // a record cached before an earlier delete
	if err != nil {
		return nil, err
	}
	out := rec.Latest.Config
	if in.Publish {
		out = rec.Versions[len(rec.Versions)-1].Config
	}
	return restjson.JSON(http.StatusCreated, out)
}

// newConfig validates a CreateFunction request and returns the $LATEST
// configuration it describes (without code).
func (s *Service) newConfig(in *CreateFunctionInput) (FunctionConfiguration, error) {
	if !nameRE().MatchString(in.FunctionName) {
		return FunctionConfiguration{}, validationError(in.FunctionName, "functionName", "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+ and have length between 1 and 64")
	}
	if in.PackageType != "" && in.PackageType != "Zip" {
		return FunctionConfiguration{}, errInvalidParameter.New("Fogbank supports only the Zip package type for now.")
	}
	now := time.Now()
	cfg := FunctionConfiguration{
		FunctionName: in.FunctionName, FunctionArn: s.functionARN(in.FunctionName, ""),
		Runtime: in.Runtime, Role: in.Role, Handler: in.Handler, Description: in.Description,
		Timeout: defaultTimeout, MemorySize: defaultMemorySize, LastModified: lastModified(now), Version: latest,
		TracingConfig: TracingConfig{Mode: "PassThrough"}, RevisionID: newRevisionID(), State: "Active",
		LastUpdateStatus: "Successful", PackageType: "Zip", Architectures: []string{"x86_64"},
		EphemeralStorage: EphemeralStorage{Size: 512},
		LoggingConfig:    LoggingConfig{LogFormat: "Text", LogGroup: logGroup(in.FunctionName)},
		SnapStart:        &SnapStartResponse{ApplyOn: "None", OptimizationStatus: "Off"},
	}
	if in.Role == "" {
		return cfg, validationError("null", "role", "Member must not be null")
	}
	if len(in.Architectures) > 0 {
		cfg.Architectures = in.Architectures
	}
	upd := UpdateFunctionConfigurationInput{Timeout: in.Timeout, MemorySize: in.MemorySize, Environment: in.Environment}
	applyConfig(&cfg, &upd)
	return cfg, validateConfig(&cfg)
}

// validateConfig checks the members every create and update must satisfy.
func validateConfig(cfg *FunctionConfiguration) error {
	if _, ok := runtimes[cfg.Runtime]; !ok {
		return errInvalidParameter.Newf("The runtime parameter of %s is not supported by Fogbank (supported: provided.al2023, provided.al2, python3.11-3.13, nodejs18.x-22.x).", orNull(cfg.Runtime))
	}
	if !roleRE().MatchString(cfg.Role) {
		return validationError(cfg.Role, "role", `Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`)
	}
	if runtimes[cfg.Runtime] != kindProvided && cfg.Handler == "" {
		return errInvalidParameter.New("Handler is required for the " + cfg.Runtime + " runtime.")
	}
	switch {
	case len(cfg.Handler) > maxHandler:
		return validationError(cfg.Handler, "handler", "Member must have length less than or equal to 128")
	case len(cfg.Description) > maxDescription:
		return validationError(cfg.Description, "description", "Member must have length less than or equal to 256")
	case cfg.Timeout < 1:
		return validationError(strconv.Itoa(cfg.Timeout), "timeout", "Member must have value greater than or equal to 1")
	case cfg.Timeout > maxTimeout:
		return validationError(strconv.Itoa(cfg.Timeout), "timeout", "Member must have value less than or equal to 900")
	case cfg.MemorySize < minMemorySize:
		return validationError(strconv.Itoa(cfg.MemorySize), "memorySize", "Member must have value greater than or equal to 128")
	case cfg.MemorySize > maxMemorySize:
		return validationError(strconv.Itoa(cfg.MemorySize), "memorySize", "Member must have value less than or equal to 10240")
	case len(cfg.Architectures) != 1 || cfg.Architectures[0] != "x86_64" && cfg.Architectures[0] != "arm64":
		return validationError(strings.Join(cfg.Architectures, ","), "architectures", "Member must have length less than or equal to 1 and each member must be x86_64 or arm64")
	}
	if cfg.Environment != nil {
		return validateEnv(cfg.Environment.Variables)
	}
	return nil
}

func orNull(s string) string {
	if s == "" {
		return "null"
	}
	return s
}

// validateEnv checks user environment variables.
func validateEnv(vars map[string]string) error {
	size := 0
	var reserved []string
	for k, v := range vars {
		if !envKeyRE().MatchString(k) {
			return validationError(k, "environment.variables", "Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+")
		}
		if slices.Contains(reservedEnvKeys, k) {
			reserved = append(reserved, k)
		}
		size += len(k) + len(v)
	}
	if len(reserved) > 0 {
		sort.Strings(reserved)
		return errInvalidParameter.New("Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: " + strings.Join(reserved, ", "))
	}
	if size > maxEnvSize {
		return errInvalidParameter.New("Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit.")
	}
	return nil
}

// applyConfig copies the set members of upd into cfg.
func applyConfig(cfg *FunctionConfiguration, upd *UpdateFunctionConfigurationInput) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&cfg.Runtime, upd.Runtime)
	set(&cfg.Role, upd.Role)
	set(&cfg.Handler, upd.Handler)
	set(&cfg.Description, upd.Description)
	if upd.Timeout != nil {
		cfg.Timeout = *upd.Timeout
	}
	if upd.MemorySize != nil {
		cfg.MemorySize = *upd.MemorySize
	}
	if upd.Environment != nil {
		cfg.Environment = &EnvironmentResp{Variables: upd.Environment.Variables}
		if cfg.Environment.Variables == nil {
			cfg.Environment.Variables = map[string]string{}
		}
	}
}

// resolve parses the FunctionName label and the Qualifier query parameter.
func resolve(r *restjson.Request) (name, qualifier string, err error) {
	name, q, err := parseFunctionName(r.Label("FunctionName"))
	if err != nil {
		return "", "", err
	}
	qualifier, err = qualifierOf(q, r.Query("Qualifier"))
	return name, qualifier, err
}

// resolveVersion reads the function and version a request's FunctionName
// (and Qualifier) name.
func (s *Service) resolveVersion(ctx context.Context, r *restjson.Request) (name, qualifier string, rec *functionRecord, vr *versionRecord, err error) {
	if name, qualifier, err = resolve(r); err != nil {
		return "", "", nil, nil, err
	}
	if rec, err = s.getFunction(ctx, name); err != nil {
		return "", "", nil, nil, err
	}
	if vr, err = s.lookupVersion(rec, qualifier); err != nil {
		return "", "", nil, nil, err
	}
	return name, qualifier, rec, vr, nil
}

// lookupVersion resolves a qualifier (version, alias or "") of rec.
func (s *Service) lookupVersion(rec *functionRecord, qualifier string) (*versionRecord, error) {
	name := rec.Latest.Config.FunctionName
	v := qualifier
	if v == "" {
		v = latest
	}
	if !isVersion(v) {
		alias, ok := rec.Aliases[v]
		if !ok {
			return nil, functionNotFound(s.functionARN(name, qualifier))
		}
		v = alias.FunctionVersion
	}
	vr := rec.version(v)
	if vr == nil {
		return nil, functionNotFound(s.functionARN(name, qualifier))
	}
	return vr, nil
}

// GetFunction returns a function's configuration, code location and tags.
func (s *Service) GetFunction(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	_, _, rec, vr, err := s.resolveVersion(ctx, r)
	if err != nil {
		return nil, err
	}
	out := GetFunctionOutput{
		Configuration: vr.Config,
		Code:          FunctionCodeLocation{RepositoryType: "S3", Location: endpointURL(s.opts.ServerAddr()) + "/_fogbank/lambda/code/" + vr.CodeHex + ".zip"},
		Tags:          rec.Tags,
	}
	if rec.Reserved != nil {
		out.Concurrency = &Concurrency{ReservedConcurrentExecutions: rec.Reserved}
	}
	return restjson.JSON(http.StatusOK, out)
}

// GetFunctionConfiguration returns one version's configuration.
func (s *Service) GetFunctionConfiguration(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	_, _, _, vr, err := s.resolveVersion(ctx, r)
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusOK, vr.Config)
}

// ListFunctions lists the $LATEST configuration of every function, by
// name, MaxItems (default 50) at a time; the marker is the last name sent.
func (s *Service) ListFunctions(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	limit, err := maxItems(r.Query("MaxItems"))
	if err != nil {
		return nil, err
	}
	start := []byte(functionsPrefix)
	if m := r.Query("Marker"); m != "" {
		start = append(functionKey(m), 0)
	}
	out := ListFunctionsOutput{Functions: []FunctionConfiguration{}}
	err = s.engine.View(ctx, func(tx storage.ReadTx) error {
		var decodeErr error
		rng := storage.Range{Start: start, End: storage.PrefixEnd([]byte(functionsPrefix)), Limit: limit + 1}
		err := tx.Scan(rng, func(_, value []byte) bool {
			var rec functionRecord
			if decodeErr = json.Unmarshal(value, &rec); decodeErr != nil {
				return false
			}
			out.Functions = append(out.Functions, rec.Latest.Config)
			return true
		})
		return errors.Join(err, decodeErr)
	})
	if err != nil {
		return nil, err
	}
	if len(out.Functions) > limit {
		out.Functions = out.Functions[:limit]
		out.NextMarker = out.Functions[limit-1].FunctionName
	}
	return restjson.JSON(http.StatusOK, out)
}

// maxItems parses a MaxItems query parameter (1-10000, default 50).
func maxItems(q string) (int, error) {
	if q == "" {
		return 50, nil
	}
	n, err := strconv.Atoi(q)
	if err != nil || n < 1 || n > 10000 {
		return 0, validationError(q, "maxItems", "Member must have value between 1 and 10000")
	}
	return n, nil
}

// UpdateFunctionCode replaces the code of $LATEST.
func (s *Service) UpdateFunctionCode(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, _, err := parseFunctionName(r.Label("FunctionName"))
	if err != nil {
		return nil, err
	}
	var in UpdateFunctionCodeInput
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	if len(in.ZipFile) == 0 {
		return nil, errInvalidParameter.New("Please provide a source for function code.")
	}
	info, err := s.code.put(in.ZipFile)
	if err != nil {
		return nil, err
	}
	var old versionRecord
	rec, err := s.updateFunction(ctx, name, func(rec *functionRecord) error {
		if err := checkRevision(in.RevisionID, rec.Latest.Config.RevisionID); err != nil {
			return err
		}
		old = rec.Latest
		cfg := &rec.Latest.Config
		cfg.CodeSha256, cfg.CodeSize, rec.Latest.CodeHex = info.sha256, info.size, info.hex
		if len(in.Architectures) > 0 {
			cfg.Architectures = in.Architectures
		}
		touch(cfg)
		if in.Publish {
			rec.publish("")
		}
		return validateConfig(cfg)
	})
	if err != nil {
		return nil, err
	}
	s.pool.Evict(envKey(&old))
	out := rec.Latest.Config
	if in.Publish {
		out = rec.Versions[len(rec.Versions)-1].Config
	}
	return restjson.JSON(http.StatusOK, out)
}

// UpdateFunctionConfiguration changes the configuration of $LATEST.
func (s *Service) UpdateFunctionConfiguration(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, _, err := parseFunctionName(r.Label("FunctionName"))
	if err != nil {
		return nil, err
	}
	var in UpdateFunctionConfigurationInput
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	var old versionRecord
	rec, err := s.updateFunction(ctx, name, func(rec *functionRecord) error {
		if err := checkRevision(in.RevisionID, rec.Latest.Config.RevisionID); err != nil {
			return err
		}
		old = rec.Latest
		applyConfig(&rec.Latest.Config, &in)
		touch(&rec.Latest.Config)
		return validateConfig(&rec.Latest.Config)
	})
	if err != nil {
		return nil, err
	}
	s.pool.Evict(envKey(&old))
	return restjson.JSON(http.StatusOK, rec.Latest.Config)
}

// touch marks cfg as modified now, with a new revision.
func touch(cfg *FunctionConfiguration) {
	cfg.LastModified = lastModified(time.Now())
	cfg.RevisionID = newRevisionID()
}

// checkRevision answers PreconditionFailedException when the request names
// a revision other than the current one.
func checkRevision(want, current string) error {
	if want != "" && want != current {
		return errPrecondition.New("The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	}
	return nil
}

// DeleteFunction deletes a function, or one published version of it.
func (s *Service) DeleteFunction(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, qualifier, err := resolve(r)
	if err != nil {
		return nil, err
	}
	var removed []versionRecord
	err = s.engine.Update(ctx, func(tx storage.Tx) error {
		rec, err := loadFunction(tx, name)
		if err != nil {
			return err
		}
		if qualifier == "" {
			removed = append([]versionRecord{rec.Latest}, rec.Versions...)
			return tx.Delete(functionKey(name))
		}
		return s.deleteVersion(tx, rec, qualifier, &removed)
	})
	s.functions.Delete(name) // the next invocation reads the change
	if errors.Is(err, errNoFunction) {
		return nil, functionNotFound(s.functionARN(name, qualifier))
	}
	if err != nil {
		return nil, err
	}
	for i := range removed {
		s.pool.Evict(envKey(&removed[i]))
	}
	return &restjson.Response{Status: http.StatusNoContent}, nil
}

// deleteVersion removes one published version from rec.
func (s *Service) deleteVersion(tx storage.Tx, rec *functionRecord, qualifier string, removed *[]versionRecord) error {
	name := rec.Latest.Config.FunctionName
	if qualifier == latest {
		return errInvalidParameter.New("$LATEST version cannot be deleted without deleting the function.")
	}
	if !isVersion(qualifier) {
		return errInvalidParameter.New("Deletion of aliases is not currently supported.")
	}
	i := slices.IndexFunc(rec.Versions, func(v versionRecord) bool { return v.Config.Version == qualifier })
	if i < 0 {
		return functionNotFound(s.functionARN(name, qualifier))
	}
	for alias, a := range rec.Aliases {
		if a.FunctionVersion == qualifier {
			return errConflict.Newf("Unable to delete version because the following aliases reference it: [%s]", alias)
		}
	}
	*removed = append(*removed, rec.Versions[i])
	rec.Versions = slices.Delete(rec.Versions, i, i+1)
	return saveFunction(tx, rec)
}
