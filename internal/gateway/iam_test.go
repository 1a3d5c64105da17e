package gateway_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	rtypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/fogtest"
)

// credsPython answers the function's own credentials: a role session
// the Lambda service issued, to sign requests with.
const credsPython = `import os


def creds(event, context):
    return {k: os.environ.get(k, "") for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")}
`

const (
	missingTokenBody = `{"message":"Missing Authentication Token"}`
	invalidTokenBody = `{"message":"The security token included in the request is invalid."}`
	mismatchPrefix   = `{"message":"The request signature we calculated does not match the signature you provided. ` +
		`Check your AWS Secret Access Key and signing method. Consult the service documentation for details.`
)

// iamFixture is a server with an HTTP API and a REST API whose routes
// need a SigV4 signature, all calling the REST tests' echo function.
type iamFixture struct {
	*restFixture
	rootKey aws.Credentials
	session aws.Credentials
}

func newIAMFixture(t *testing.T) *iamFixture {
	t.Helper()
	f := &iamFixture{restFixture: newRESTFixture(t),
		rootKey: aws.Credentials{AccessKeyID: fogtest.AccessKeyID, SecretAccessKey: fogtest.SecretAccessKey}}
	f.session = f.sessionCredentials()

	res := f.resource(f.root, "iam")
	f.method(res, "ANY", "AWS_IAM")
	uri := "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + functionARN + "restecho/invocations"
	_, err := f.ag.PutIntegration(t.Context(), &apigateway.PutIntegrationInput{RestApiId: f.restID, ResourceId: res, HttpMethod: aws.String("ANY"),
		Type: rtypes.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: aws.String(uri), TimeoutInMillis: aws.Int32(testTimeout)})
	if err != nil {
		t.Fatalf("PutIntegration: %v", err)
	}
	f.deploy("prod", nil)

	f.agw = f.srv.APIGatewayV2(func(o *apigatewayv2.Options) { o.RetryMaxAttempts = 1 })
	api, err := f.agw.CreateApi(t.Context(), &apigatewayv2.CreateApiInput{Name: aws.String("iam"), ProtocolType: agtypes.ProtocolTypeHttp})
	if err != nil {
		t.Fatalf("CreateApi: %v", err)
	}
	f.apiID = api.ApiId
	iam := func(in *apigatewayv2.CreateRouteInput) { in.AuthorizationType = agtypes.AuthorizationTypeAwsIam }
	f.routeWith("GET /iam", "restecho", "2.0", testTimeout, iam)
	f.routeWith("POST /iam1", "restecho", "1.0", testTimeout, iam)
	f.stage("$default", nil)
	return f
}

// sessionCredentials creates a function and takes the role session the
// Lambda service gave it.
func (f *iamFixture) sessionCredentials() aws.Credentials {
	f.t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("creds.py")
	_, _ = w.Write([]byte(credsPython))
	if err := zw.Close(); err != nil {
		f.t.Fatal(err)
	}
	lc := f.srv.Lambda(func(o *lambda.Options) { o.RetryMaxAttempts = 1 })
	ctx := f.t.Context()
	_, err := lc.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("iamcreds"), Runtime: ltypes.RuntimePython312,
		Handler: aws.String("creds.creds"), Role: aws.String("arn:aws:iam::000000000000:role/caller"),
		Code: &ltypes.FunctionCode{ZipFile: buf.Bytes()}, Timeout: aws.Int32(25)})
	if err != nil {
		f.t.Fatalf("CreateFunction: %v", err)
	}
	out, err := lc.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("iamcreds")})
	if err != nil || out.FunctionError != nil {
		f.t.Fatalf("Invoke iamcreds: %v %s", err, out.Payload)
	}
	var env map[string]string
	if err := json.Unmarshal(out.Payload, &env); err != nil || env["AWS_SESSION_TOKEN"] == "" {
		f.t.Fatalf("iamcreds answered %s (%v)", out.Payload, err)
	}
	return aws.Credentials{AccessKeyID: env["AWS_ACCESS_KEY_ID"], SecretAccessKey: env["AWS_SECRET_ACCESS_KEY"], SessionToken: env["AWS_SESSION_TOKEN"]}
}

// signed returns a request with body signed for execute-api with creds at
// time at, over signedBody (the body itself when empty).
func (f *iamFixture) signed(method, url, body string, creds aws.Credentials, at time.Time, signedBody ...string) *http.Request {
	f.t.Helper()
	req := newRequest(f.t, method, url, body)
	over := body
	if len(signedBody) > 0 {
		over = signedBody[0]
	}
	sum := sha256.Sum256([]byte(over))
	if err := v4.NewSigner().SignHTTP(f.t.Context(), creds, req, hex.EncodeToString(sum[:]), "execute-api", fogtest.Region, at); err != nil {
		f.t.Fatalf("SignHTTP: %v", err)
	}
	return req
}

// refusal is what a test compares of a refused request.
type refusal struct {
	Status    int
	ErrorType string
	Body      string
}

func (f *iamFixture) refusal(req *http.Request, bodyPrefix string) refusal {
	f.t.Helper()
	resp, body := f.do(req)
	if bodyPrefix != "" && strings.HasPrefix(body, bodyPrefix) {
		body = bodyPrefix
	}
	return refusal{resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), body}
}

func TestIAMAuthorization(t *testing.T) {
	t.Parallel()
	f := newIAMFixture(t)
	now := time.Now()
	rootIdentity := map[string]any{"accessKey": fogtest.AccessKeyID, "accountId": "000000000000", "caller": "000000000000",
		"user": "000000000000", "userArn": "arn:aws:iam::000000000000:root", "cognitoIdentityId": nil, "principalOrgId": nil}
	pickIdentity := func(ev map[string]any) map[string]any {
		id, _ := ev["requestContext"].(map[string]any)["identity"].(map[string]any)
		return pick(id, "accessKey", "accountId", "caller", "user", "userArn", "cognitoIdentityId", "principalOrgId")
	}

	t.Run("HTTP API payload 2.0", func(t *testing.T) {
		_, ev := f.echoed(f.signed("GET", f.srv.APIURL(*f.apiID, "", "/iam?x=1"), "", f.rootKey, now))
		got := pick(ev, "requestContext.authorizer.iam")["requestContext.authorizer.iam"]
		want := map[string]any{"accessKey": fogtest.AccessKeyID, "accountId": "000000000000", "callerId": "000000000000",
			"cognitoIdentity": nil, "principalOrgId": nil, "userArn": "arn:aws:iam::000000000000:root", "userId": "000000000000"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("authorizer.iam (-want +got):\n%s", diff)
		}
		_, ev = f.echoed(f.signed("GET", f.srv.APIURL(*f.apiID, "", "/iam"), "", f.session, now))
		got = pick(ev, "requestContext.authorizer.iam")["requestContext.authorizer.iam"]
		want = map[string]any{"accessKey": f.session.AccessKeyID, "accountId": "000000000000", "callerId": "caller:iamcreds",
			"cognitoIdentity": nil, "principalOrgId": nil, "userArn": "arn:aws:sts::000000000000:assumed-role/caller/iamcreds", "userId": "caller:iamcreds"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("authorizer.iam of a role session (-want +got):\n%s", diff)
		}
	})

	t.Run("HTTP API payload 1.0, body and path-style URL", func(t *testing.T) {
		_, ev := f.echoed(f.signed("POST", f.srv.URL()+"/_api/"+*f.apiID+"/iam1", "hello", f.rootKey, now))
		if diff := cmp.Diff(rootIdentity, pickIdentity(ev)); diff != "" {
			t.Errorf("identity (-want +got):\n%s", diff)
		}
		if ev["body"] != "hello" {
			t.Errorf("body = %v, want hello", ev["body"])
		}
	})

	t.Run("REST API", func(t *testing.T) {
		_, ev := f.echoed(f.signed("GET", f.srv.RESTAPIURL(*f.restID, "prod", "/iam"), "", f.rootKey, now))
		if diff := cmp.Diff(rootIdentity, pickIdentity(ev)); diff != "" {
			t.Errorf("identity (-want +got):\n%s", diff)
		}
		_, ev = f.echoed(f.signed("PUT", f.srv.RESTAPIURL(*f.restID, "prod", "/iam"), `{"a":1}`, f.session, now))
		want := map[string]any{"accessKey": f.session.AccessKeyID, "accountId": "000000000000", "caller": "caller:iamcreds",
			"user": "caller:iamcreds", "userArn": "arn:aws:sts::000000000000:assumed-role/caller/iamcreds", "cognitoIdentityId": nil, "principalOrgId": nil}
		if diff := cmp.Diff(want, pickIdentity(ev)); diff != "" {
			t.Errorf("identity of a role session (-want +got):\n%s", diff)
		}
	})

	t.Run("presigned URL", func(t *testing.T) {
		req := newRequest(t, "GET", f.srv.APIURL(*f.apiID, "", "/iam?X-Amz-Expires=60"), "")
		uri, _, err := v4.NewSigner().PresignHTTP(t.Context(), f.rootKey, req, hex.EncodeToString(sha256.New().Sum(nil)), "execute-api", fogtest.Region, now)
		if err != nil {
			t.Fatalf("PresignHTTP: %v", err)
		}
		_, ev := f.echoed(newRequest(t, "GET", uri, ""))
		if got := pick(ev, "requestContext.authorizer.iam.accessKey")["requestContext.authorizer.iam.accessKey"]; got != fogtest.AccessKeyID {
			t.Errorf("presigned: accessKey %v", got)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		wrongSecret := f.rootKey
		wrongSecret.SecretAccessKey = "not-the-secret"
		unknown := aws.Credentials{AccessKeyID: "AKIAUNKNOWNKEY000000", SecretAccessKey: "x"}
		noToken := f.session
		noToken.SessionToken = ""
		httpURL, restURL := f.srv.APIURL(*f.apiID, "", "/iam"), f.srv.RESTAPIURL(*f.restID, "prod", "/iam")
		tests := []struct {
			name   string
			req    *http.Request
			prefix string
			want   refusal
		}{
			{"unsigned", newRequest(t, "GET", httpURL, ""), "", refusal{403, "MissingAuthenticationTokenException", missingTokenBody}},
			{"unsigned REST", newRequest(t, "GET", restURL, ""), "", refusal{403, "MissingAuthenticationTokenException", missingTokenBody}},
			{"wrong secret", f.signed("GET", httpURL, "", wrongSecret, now), mismatchPrefix, refusal{403, "InvalidSignatureException", mismatchPrefix}},
			{"wrong secret REST", f.signed("GET", restURL, "", wrongSecret, now), mismatchPrefix, refusal{403, "InvalidSignatureException", mismatchPrefix}},
			{"body not the one signed", f.signed("POST", f.srv.APIURL(*f.apiID, "", "/iam1"), "hello", f.rootKey, now, "other"), mismatchPrefix,
				refusal{403, "InvalidSignatureException", mismatchPrefix}},
			{"unknown key", f.signed("GET", httpURL, "", unknown, now), "", refusal{403, "AccessDeniedException", invalidTokenBody}},
			{"unknown key REST", f.signed("GET", restURL, "", unknown, now), "", refusal{403, "AccessDeniedException", invalidTokenBody}},
			{"session key without its token", f.signed("GET", restURL, "", noToken, now), "", refusal{403, "AccessDeniedException", invalidTokenBody}},
			{"signed 20 minutes ago", f.signed("GET", httpURL, "", f.rootKey, now.Add(-20*time.Minute)), `{"message":"Signature expired: `,
				refusal{403, "InvalidSignatureException", `{"message":"Signature expired: `}},
		}
		// A header that is not a signature gets what a signature lacks,
		// on AWS_IAM routes and, on REST APIs, where no method matches.
		withAuth := func(url, auth string) *http.Request {
			req := newRequest(t, "GET", url, "")
			req.Header.Set("Authorization", auth)
			return req
		}
		const lacks = `{"message":"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. ` +
			`Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=allow"}`
		notPair := `{"message":"'abc.def' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc.def'."}`
		tests = append(tests, []struct {
			name   string
			req    *http.Request
			prefix string
			want   refusal
		}{
			{"a token", withAuth(httpURL, "allow"), "", refusal{403, "IncompleteSignatureException", lacks}},
			{"a token REST", withAuth(restURL, "allow"), "", refusal{403, "IncompleteSignatureException", lacks}},
			{"a bearer token", withAuth(httpURL, "Bearer abc.def"), "", refusal{403, "IncompleteSignatureException", notPair}},
			{"a token, no such REST method", withAuth(f.srv.RESTAPIURL(*f.restID, "prod", "/nowhere"), "allow"), "",
				refusal{403, "IncompleteSignatureException", lacks}},
			{"no such REST method", newRequest(t, "GET", f.srv.RESTAPIURL(*f.restID, "prod", "/nowhere"), ""), "",
				refusal{403, "MissingAuthenticationTokenException", missingTokenBody}},
		}...)
		for _, tc := range tests {
			if diff := cmp.Diff(tc.want, f.refusal(tc.req, tc.prefix)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.name, diff)
			}
		}
	})
}
