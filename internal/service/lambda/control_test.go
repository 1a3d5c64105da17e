package lambda_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/fogtest"
)

var pyZip = map[string][]byte{"app.py": []byte("def handler(e, c):\n    return e\n")}

func TestControlPlane(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	ctx := t.Context()
	zipData := fogtest.ZipFiles(t, pyZip)
	out := create(t, c, &lambda.CreateFunctionInput{FunctionName: aws.String("f1"), Runtime: types.RuntimePython312,
		Handler: aws.String("app.handler"), Code: &types.FunctionCode{ZipFile: zipData}, Description: aws.String("first"),
		Tags: map[string]string{"team": "fog"}})
	got := []any{aws.ToString(out.FunctionArn), out.State, out.LastUpdateStatus, out.CodeSize > 0, len(aws.ToString(out.CodeSha256)),
		aws.ToInt32(out.Timeout), aws.ToInt32(out.MemorySize), aws.ToString(out.Version), out.PackageType}
	want := []any{"arn:aws:lambda:us-east-1:000000000000:function:f1", types.StateActive, types.LastUpdateStatusSuccessful, true, 44,
		int32(3), int32(128), "$LATEST", types.PackageTypeZip}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CreateFunction (-want +got):\n%s", diff)
	}
	for _, name := range []string{"f2", "f3"} {
		create(t, c, &lambda.CreateFunctionInput{FunctionName: aws.String(name), Runtime: types.RuntimePython311,
			Handler: aws.String("app.handler"), Code: &types.FunctionCode{ZipFile: zipData}})
	}

	gf, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("arn:aws:lambda:us-east-1:000000000000:function:f1")})
	if err != nil || aws.ToString(gf.Configuration.Description) != "first" || gf.Tags["team"] != "fog" {
		t.Errorf("GetFunction = %+v, %v", gf, err)
	}

	// Pagination: 3 functions, 2 per page.
	var names []string
	pager := lambda.NewListFunctionsPaginator(c, &lambda.ListFunctionsInput{MaxItems: aws.Int32(2)})
	for pager.HasMorePages() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range page.Functions {
			names = append(names, aws.ToString(f.FunctionName))
		}
	}
	if diff := cmp.Diff([]string{"f1", "f2", "f3"}, names); diff != "" {
		t.Errorf("ListFunctions (-want +got):\n%s", diff)
	}

	upd, err := c.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("f1"),
		Timeout: aws.Int32(30), Environment: &types.Environment{Variables: map[string]string{"AA": "b"}}})
	if err != nil || aws.ToInt32(upd.Timeout) != 30 || upd.Environment.Variables["AA"] != "b" {
		t.Errorf("UpdateFunctionConfiguration = %+v, %v", upd, err)
	}
	v1, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("f1")})
	if err != nil || aws.ToString(v1.Version) != "1" || aws.ToString(v1.FunctionArn) != "arn:aws:lambda:us-east-1:000000000000:function:f1:1" {
		t.Fatalf("PublishVersion = %+v, %v", v1, err)
	}
	// Publishing again without changes returns the same version.
	if again, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("f1")}); err != nil || aws.ToString(again.Version) != "1" {
		t.Errorf("second PublishVersion = %+v, %v", again, err)
	}
	code2 := fogtest.ZipFiles(t, map[string][]byte{"app.py": []byte("def handler(e, c):\n    return 2\n")})
	uc, err := c.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("f1"), ZipFile: code2, Publish: true})
	if err != nil || aws.ToString(uc.Version) != "2" || aws.ToString(uc.CodeSha256) == aws.ToString(v1.CodeSha256) {
		t.Errorf("UpdateFunctionCode = %+v, %v", uc, err)
	}
	lv, err := c.ListVersionsByFunction(ctx, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("f1")})
	if err != nil || len(lv.Versions) != 3 {
		t.Errorf("ListVersionsByFunction = %+v, %v", lv, err)
	}

	alias, err := c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("f1"), Name: aws.String("live"), FunctionVersion: aws.String("1")})
	if err != nil || aws.ToString(alias.AliasArn) != "arn:aws:lambda:us-east-1:000000000000:function:f1:live" {
		t.Fatalf("CreateAlias = %+v, %v", alias, err)
	}
	if _, err := c.UpdateAlias(ctx, &lambda.UpdateAliasInput{FunctionName: aws.String("f1"), Name: aws.String("live"), FunctionVersion: aws.String("2")}); err != nil {
		t.Fatal(err)
	}
	cfg, err := c.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("f1:live")})
	if err != nil || aws.ToString(cfg.Version) != "2" {
		t.Errorf("GetFunctionConfiguration via alias = %+v, %v", cfg, err)
	}
	la, err := c.ListAliases(ctx, &lambda.ListAliasesInput{FunctionName: aws.String("f1")})
	if err != nil || len(la.Aliases) != 1 {
		t.Errorf("ListAliases = %+v, %v", la, err)
	}
	inv, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("f1"), Qualifier: aws.String("live"), InvocationType: types.InvocationTypeDryRun})
	if err != nil || inv.StatusCode != http.StatusNoContent || aws.ToString(inv.ExecutedVersion) != "2" {
		t.Errorf("DryRun = %+v, %v", inv, err)
	}
	if _, err := c.DeleteAlias(ctx, &lambda.DeleteAliasInput{FunctionName: aws.String("f1"), Name: aws.String("live")}); err != nil {
		t.Fatal(err)
	}

	if _, err := c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("f1"), ReservedConcurrentExecutions: aws.Int32(5)}); err != nil {
		t.Fatal(err)
	}
	gc, err := c.GetFunctionConcurrency(ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String("f1")})
	if err != nil || aws.ToInt32(gc.ReservedConcurrentExecutions) != 5 {
		t.Errorf("GetFunctionConcurrency = %+v, %v", gc, err)
	}
	if _, err := c.DeleteFunctionConcurrency(ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String("f1")}); err != nil {
		t.Fatal(err)
	}

	perm, err := c.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("f1"), StatementId: aws.String("s3"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com"), SourceArn: aws.String("arn:aws:s3:::bucket")})
	if err != nil || !strings.Contains(aws.ToString(perm.Statement), `"Service":"s3.amazonaws.com"`) {
		t.Errorf("AddPermission = %+v, %v", perm, err)
	}
	_, err = c.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("f1"), StatementId: aws.String("s3"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com")})
	var conflict *types.ResourceConflictException
	if !errors.As(err, &conflict) {
		t.Errorf("duplicate AddPermission = %v", err)
	}
	pol, err := c.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String("f1")})
	if err != nil || !strings.Contains(aws.ToString(pol.Policy), `"AWS:SourceArn":"arn:aws:s3:::bucket"`) {
		t.Errorf("GetPolicy = %+v, %v", pol, err)
	}
	if _, err := c.RemovePermission(ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("f1"), StatementId: aws.String("s3")}); err != nil {
		t.Fatal(err)
	}

	if _, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("f1")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("f1")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) || nf.ErrorMessage() != "Function not found: arn:aws:lambda:us-east-1:000000000000:function:f1" {
		t.Errorf("GetFunction after delete = %v", err)
	}
}

func TestCreateFunctionErrors(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	zipData := fogtest.ZipFiles(t, pyZip)
	base := func() *lambda.CreateFunctionInput {
		return &lambda.CreateFunctionInput{FunctionName: aws.String("fn"), Runtime: types.RuntimePython312, Role: aws.String(role),
			Handler: aws.String("app.handler"), Code: &types.FunctionCode{ZipFile: zipData}}
	}
	create(t, c, base())
	tests := []struct {
		name   string
		modify func(*lambda.CreateFunctionInput)
		want   string
	}{
		{"exists", func(*lambda.CreateFunctionInput) {}, "ResourceConflictException: Function already exist: fn"},
		{"timeout", func(in *lambda.CreateFunctionInput) { in.FunctionName, in.Timeout = aws.String("t"), aws.Int32(901) },
			"ValidationException: 1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"},
		{"memory", func(in *lambda.CreateFunctionInput) { in.FunctionName, in.MemorySize = aws.String("m"), aws.Int32(64) },
			"ValidationException: 1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128"},
		{"reserved env", func(in *lambda.CreateFunctionInput) {
			in.FunctionName = aws.String("e")
			in.Environment = &types.Environment{Variables: map[string]string{"AWS_REGION": "x"}}
		}, "InvalidParameterValueException: Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION"},
		{"bad zip", func(in *lambda.CreateFunctionInput) {
			in.FunctionName, in.Code.ZipFile = aws.String("z"), []byte("not a zip")
		},
			"InvalidParameterValueException: Could not unzip uploaded file. Please check your file, then try to upload again."},
		{"runtime", func(in *lambda.CreateFunctionInput) {
			in.FunctionName, in.Runtime = aws.String("r"), types.RuntimeJava21
		},
			"InvalidParameterValueException: The runtime parameter of java21 is not supported by Fogbank (supported: provided.al2023, provided.al2, python3.11-3.13, nodejs18.x-22.x)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.modify(in)
			_, err := c.CreateFunction(t.Context(), in)
			if diff := cmp.Diff(tt.want, apiErrorCode(err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestAuthErrors(t *testing.T) {
	t.Parallel()
	srv, _ := newClient(t)
	cfg := srv.AWSConfig()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(fogtest.AccessKeyID, "wrong-secret", "")
	_, err := lambda.NewFromConfig(cfg, func(o *lambda.Options) { o.RetryMaxAttempts = 1 }).ListFunctions(t.Context(), &lambda.ListFunctionsInput{})
	var re interface{ HTTPStatusCode() int }
	var ae smithy.APIError
	if !errors.As(err, &re) || !errors.As(err, &ae) || re.HTTPStatusCode() != http.StatusForbidden || ae.ErrorCode() != "InvalidSignatureException" {
		t.Errorf("bad secret: %v", err)
	}
	cfg.Credentials = credentials.NewStaticCredentialsProvider("AKIAUNKNOWNKEY000000", "secret", "")
	_, err = lambda.NewFromConfig(cfg, func(o *lambda.Options) { o.RetryMaxAttempts = 1 }).ListFunctions(t.Context(), &lambda.ListFunctionsInput{})
	if !errors.As(err, &re) || !errors.As(err, &ae) || re.HTTPStatusCode() != http.StatusForbidden || ae.ErrorCode() != "UnrecognizedClientException" {
		t.Errorf("unknown key: %v", err)
	}
}
