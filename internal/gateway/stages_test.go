package gateway_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/google/go-cmp/cmp"
)

// TestHTTPAPIStagesCallAliases gives two stages of one HTTP API
// different stage variables; the integration URI names the function's
// alias as ${stageVariables.alias}, so each stage calls its own version
// (the function's WHO variable differs between them).
func TestHTTPAPIStagesCallAliases(t *testing.T) {
	t.Parallel()
	f := newRESTFixture(t)
	f.agw = f.srv.APIGatewayV2(func(o *apigatewayv2.Options) { o.RetryMaxAttempts = 1 })
	api, err := f.agw.CreateApi(t.Context(), &apigatewayv2.CreateApiInput{Name: aws.String("staged"), ProtocolType: agtypes.ProtocolTypeHttp})
	if err != nil {
		t.Fatalf("CreateApi: %v", err)
	}
	f.apiID = api.ApiId
	f.route("GET /who", "restecho:${stageVariables.alias}", "2.0", testTimeout)
	f.stage("prod", map[string]string{"alias": "prod"})
	f.stage("staging", map[string]string{"alias": "staging"})

	got := map[string]any{}
	for _, stage := range []string{"prod", "staging"} {
		who, ev := f.echoed(newRequest(t, "GET", f.srv.APIURL(*f.apiID, stage, "/who"), ""))
		got[stage] = []any{who, ev["stageVariables"]}
	}
	want := map[string]any{
		"prod":    []any{"prod", map[string]any{"alias": "prod"}},
		"staging": []any{"staging", map[string]any{"alias": "staging"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
}
