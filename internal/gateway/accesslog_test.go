package gateway_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/fogtest"
)

// jsonAccessFormat is a JSON access log format in the style of the API
// Gateway console's, with numbers unquoted and one unknown variable.
const jsonAccessFormat = `{"requestId":"$context.requestId","extendedRequestId":"$context.extendedRequestId",` +
	`"apiId":"$context.apiId","stage":"$context.stage","routeKey":"$context.routeKey","resourcePath":"$context.resourcePath",` +
	`"httpMethod":"$context.httpMethod","path":"$context.path","protocol":"$context.protocol","status":$context.status,` +
	`"responseLength":$context.responseLength,"responseLatency":$context.responseLatency,` +
	`"integrationLatency":"$context.integrationLatency","integrationStatus":"$context.integrationStatus",` +
	`"ip":"$context.identity.sourceIp","userAgent":"$context.identity.userAgent","requestTime":"$context.requestTime",` +
	`"requestTimeEpoch":$context.requestTimeEpoch,"domainName":"$context.domainName","error":"$context.error.message",` +
	`"authorizerError":"$context.authorizer.error","unknown":"$context.nope.nothing"}`

// clfAccessFormat is the console's Common Log Format.
const clfAccessFormat = `$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" ` +
	`$context.status $context.responseLength $context.requestId $context.routeKey "$context.error.message".`

// TestAccessLogs gives an HTTP API stage (JSON format, CreateStage) and a
// REST API stage (CLF format, UpdateStage patch operations)
// AccessLogSettings, calls their routes, and reads the rendered lines back
// from CloudWatch Logs with FilterLogEvents.
func TestAccessLogs(t *testing.T) {
	t.Parallel()
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, "hello")
	}))
	t.Cleanup(upstream.Close)
	srv := fogtest.Start(t)
	account := srv.Config().AccountID
	arn := func(group string) string {
		return "arn:aws:logs:" + fogtest.Region + ":" + account + ":log-group:" + group
	}

	httpAPI := httpAPIWithAccessLog(t, srv, upstream.URL, arn("/fog/http"))
	restID := restAPIWithAccessLog(t, srv, arn("/fog/rest:*"))

	call := func(url string) (status int, requestID string) {
		req := newRequest(t, "GET", url, "")
		req.Header.Set("User-Agent", "access-test/1.0")
		f := &fixture{t: t, srv: srv}
		resp, _ := f.do(req)
		return resp.StatusCode, resp.Header.Get("Apigw-Requestid")
	}
	okStatus, okID := call(srv.APIURL(httpAPI, "prod", "/items/7"))
	missStatus, missID := call(srv.APIURL(httpAPI, "prod", "/nope"))
	restStatus, restID1 := call(srv.RESTAPIURL(restID, "v1", "/items"))
	restMiss, restID2 := call(srv.RESTAPIURL(restID, "v1", "/missing"))
	if got := []int{okStatus, missStatus, restStatus, restMiss}; !cmp.Equal(got, []int{202, 404, 201, 403}) {
		t.Fatalf("statuses = %v", got)
	}

	lines := readLog(t, srv, "/fog/http", 2)
	var ok, miss map[string]any
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line is not JSON: %v\n%s", err, l)
		}
		if m["requestId"] == okID {
			ok = m
		} else {
			miss = m
		}
	}
	if ok == nil || miss == nil {
		t.Fatalf("lines %q do not carry request ids %s, %s", lines, okID, missID)
	}
	for _, m := range []map[string]any{ok, miss} {
		for _, k := range []string{"responseLatency", "requestTimeEpoch"} {
			if _, isNum := m[k].(float64); !isNum {
				t.Errorf("%s = %v, want a number", k, m[k])
			}
			delete(m, k)
		}
		if _, err := time.Parse("02/Jan/2006:15:04:05 -0700", m["requestTime"].(string)); err != nil {
			t.Errorf("requestTime %v: %v", m["requestTime"], err)
		}
		delete(m, "requestTime")
	}
	if lat, err := strconv.Atoi(ok["integrationLatency"].(string)); err != nil || lat < 0 {
		t.Errorf("integrationLatency = %v", ok["integrationLatency"])
	}
	delete(ok, "integrationLatency")
	domain := httpAPI + ".execute-api.localhost"
	wantOK := map[string]any{"requestId": okID, "extendedRequestId": okID, "apiId": httpAPI, "stage": "prod",
		"routeKey": "GET /items/{id}", "resourcePath": "-", "httpMethod": "GET", "path": "/prod/items/7", "protocol": "HTTP/1.1",
		"status": 202.0, "responseLength": 5.0, "integrationStatus": "202", "ip": "127.0.0.1", "userAgent": "access-test/1.0",
		"domainName": domain, "error": "-", "authorizerError": "-", "unknown": "-"}
	if diff := cmp.Diff(wantOK, ok); diff != "" {
		t.Errorf("HTTP API line of a served route (-want +got):\n%s", diff)
	}
	wantMiss := map[string]any{"requestId": missID, "extendedRequestId": missID, "apiId": httpAPI, "stage": "prod",
		"routeKey": "-", "resourcePath": "-", "httpMethod": "GET", "path": "/prod/nope", "protocol": "HTTP/1.1",
		"status": 404.0, "responseLength": float64(len(`{"message":"Not Found"}`)), "integrationLatency": "-", "integrationStatus": "-",
		"ip": "127.0.0.1", "userAgent": "access-test/1.0", "domainName": domain, "error": "Not Found", "authorizerError": "-", "unknown": "-"}
	if diff := cmp.Diff(wantMiss, miss); diff != "" {
		t.Errorf("HTTP API line of no route (-want +got):\n%s", diff)
	}

	clf := regexp.MustCompile(`^127\.0\.0\.1 - - \[\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] (.*)$`)
	var got []string
	for _, l := range readLog(t, srv, "/fog/rest", 2) {
		m := clf.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("CLF line %q", l)
		}
		got = append(got, m[1])
	}
	want := []string{
		`"GET /items HTTP/1.1" 201 14 ` + restID1 + ` - "-".`,
		`"GET - HTTP/1.1" 403 42 ` + restID2 + ` - "Missing Authentication Token".`,
	}
	if diff := cmp.Diff(want, got, sortStrings); diff != "" {
		t.Errorf("REST API lines (-want +got):\n%s", diff)
	}
}

// sortStrings compares string slices as sets.
var sortStrings = cmp.Transformer("sort", func(in []string) map[string]bool {
	out := make(map[string]bool, len(in))
	for _, s := range in {
		out[s] = true
	}
	return out
})

// httpAPIWithAccessLog creates an HTTP API with GET /items/{id} forwarded
// to upstream, on stage prod logging to destination.
func httpAPIWithAccessLog(t *testing.T, srv *fogtest.Server, upstream, destination string) string {
	t.Helper()
	agw := srv.APIGatewayV2(func(o *apigatewayv2.Options) { o.RetryMaxAttempts = 1 })
	api, err := agw.CreateApi(t.Context(), &apigatewayv2.CreateApiInput{Name: aws.String("logged"), ProtocolType: v2types.ProtocolTypeHttp})
	if err != nil {
		t.Fatalf("CreateApi: %v", err)
	}
	f := &fixture{t: t, srv: srv, agw: agw, apiID: api.ApiId}
	f.proxyRoute("GET /items/{id}", upstream, testTimeout)
	_, err = agw.CreateStage(t.Context(), &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("prod"), AutoDeploy: aws.Bool(true),
		AccessLogSettings: &v2types.AccessLogSettings{DestinationArn: aws.String(destination), Format: aws.String(jsonAccessFormat)}})
	if err != nil {
		t.Fatalf("CreateStage: %v", err)
	}
	return aws.ToString(api.ApiId)
}

// restAPIWithAccessLog creates a REST API with a MOCK GET /items, deployed
// to stage v1 which UpdateStage gives access logging to destination.
func restAPIWithAccessLog(t *testing.T, srv *fogtest.Server, destination string) string {
	t.Helper()
	ag := srv.APIGateway(func(o *apigateway.Options) { o.RetryMaxAttempts = 1 })
	api, err := ag.CreateRestApi(t.Context(), &apigateway.CreateRestApiInput{Name: aws.String("logged")})
	if err != nil {
		t.Fatalf("CreateRestApi: %v", err)
	}
	f := &restFixture{fixture: &fixture{t: t, srv: srv}, ag: ag, restID: api.Id, root: api.RootResourceId}
	f.mock(f.resource(api.RootResourceId, "items"))
	f.deploy("v1", nil)
	_, err = ag.UpdateStage(t.Context(), &apigateway.UpdateStageInput{RestApiId: api.Id, StageName: aws.String("v1"),
		PatchOperations: []agtypes.PatchOperation{{Op: agtypes.OpReplace, Path: aws.String("/accessLogSettings/destinationArn"), Value: aws.String("not-an-arn")}}})
	var bad *agtypes.BadRequestException
	if !errors.As(err, &bad) || aws.ToString(bad.Message) != "Invalid ARN specified in the request" {
		t.Errorf("UpdateStage with a bad destination: %v", err)
	}
	_, err = ag.UpdateStage(t.Context(), &apigateway.UpdateStageInput{RestApiId: api.Id, StageName: aws.String("v1"),
		PatchOperations: []agtypes.PatchOperation{
			{Op: agtypes.OpReplace, Path: aws.String("/accessLogSettings/destinationArn"), Value: aws.String(destination)},
			{Op: agtypes.OpReplace, Path: aws.String("/accessLogSettings/format"), Value: aws.String(clfAccessFormat)},
		}})
	if err != nil {
		t.Fatalf("UpdateStage: %v", err)
	}
	st, err := ag.GetStage(t.Context(), &apigateway.GetStageInput{RestApiId: api.Id, StageName: aws.String("v1")})
	if err != nil || st.AccessLogSettings == nil || aws.ToString(st.AccessLogSettings.Format) != clfAccessFormat {
		t.Fatalf("GetStage = %+v, %v", st, err)
	}
	return aws.ToString(api.Id)
}

// readLog waits (generously: lines are shipped in the background) for n
// events in a log group and returns their messages.
func readLog(t *testing.T, srv *fogtest.Server, group string, n int) []string {
	t.Helper()
	logs := srv.Logs()
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := logs.FilterLogEvents(t.Context(), &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group)})
		var msgs []string
		if err == nil {
			for _, e := range out.Events {
				msgs = append(msgs, aws.ToString(e.Message))
			}
		}
		if len(msgs) >= n || time.Now().After(deadline) {
			if len(msgs) != n {
				t.Fatalf("log group %s: %d events %q (err %v), want %d", group, len(msgs), msgs, err, n)
			}
			return msgs
		}
		time.Sleep(20 * time.Millisecond)
	}
}
