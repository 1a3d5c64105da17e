package gateway

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSelectRoute(t *testing.T) {
	t.Parallel()
	table := compileStage(Stage{Routes: []Route{
		{Key: "GET /pets/dog/1"}, {Key: "GET /pets/dog/{id}"}, {Key: "GET /pets/{proxy+}"},
		{Key: "ANY /{proxy+}"}, {Key: "ANY /pets/dog/{id}"}, {Key: "GET /"}, {Key: "$default"},
	}})
	tests := []struct {
		method, path string
		wantKey      string
		wantParams   map[string]string
	}{
		{"GET", "/pets/dog/1", "GET /pets/dog/1", nil},
		{"GET", "/pets/dog/2", "GET /pets/dog/{id}", map[string]string{"id": "2"}},
		{"POST", "/pets/dog/2", "ANY /pets/dog/{id}", map[string]string{"id": "2"}},
		{"GET", "/pets/cat/1", "GET /pets/{proxy+}", map[string]string{"proxy": "cat/1"}},
		{"POST", "/pets/cat/1", "ANY /{proxy+}", map[string]string{"proxy": "pets/cat/1"}},
		{"GET", "/", "GET /", nil},
		{"POST", "/", "$default", nil},
		{"GET", "/pets/dog/a%2Fb", "GET /pets/dog/{id}", map[string]string{"id": "a/b"}},
	}
	for _, tc := range tests {
		route, params := table.selectRoute(tc.method, splitSegments(tc.path))
		got := []any{route.Key, params}
		want := []any{tc.wantKey, tc.wantParams}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("selectRoute(%s %s) (-want +got):\n%s", tc.method, tc.path, diff)
		}
	}
}

func TestMapV2(t *testing.T) {
	t.Parallel()
	tests := []struct {
		payload    string
		wantStatus int
		wantBody   string
		wantErr    bool
	}{
		{`{"statusCode":204}`, 204, "", false},
		{`{"statusCode":200,"body":"aGk=","isBase64Encoded":true}`, 200, "hi", false},
		{`"plain"`, 200, "plain", false},
		{`[1,2]`, 200, "[1,2]", false},
		{`{"statusCode":"200"}`, 0, "", true},
		{`{"statusCode":700}`, 0, "", true},
		{`not json`, 0, "", true},
		{`{"headers":5,"body":"x"}`, 200, `{"headers":5,"body":"x"}`, false},
		{`{"statusCode":200,"headers":5}`, 0, "", true},
		{`{"headers":5,"statusCode":201}`, 0, "", true},
		{`{"statusCode":null}`, 0, "", true},
		{`{"statusCode":2e2}`, 0, "", true},
		{`{"statusCode":200.0}`, 0, "", true},
		{` {"statusCode" : 201 , "body":"ok"} `, 201, "ok", false},
	}
	for _, tc := range tests {
		out, err := mapV2([]byte(tc.payload))
		if (err != nil) != tc.wantErr {
			t.Errorf("mapV2(%s) error = %v, want error %v", tc.payload, err, tc.wantErr)
			continue
		}
		if err == nil && (out.status != tc.wantStatus || string(out.body) != tc.wantBody) {
			t.Errorf("mapV2(%s) = %d %q, want %d %q", tc.payload, out.status, out.body, tc.wantStatus, tc.wantBody)
		}
	}
}

func TestSubstituteAndFunctionOf(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"alias": "live"}
	got := functionOf(substitute("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"+
		"arn:aws:lambda:us-east-1:000000000000:function:f:${stageVariables.alias}/invocations", vars))
	if want := "arn:aws:lambda:us-east-1:000000000000:function:f:live"; got != want {
		t.Errorf("functionOf(substitute(...)) = %q, want %q", got, want)
	}
}

func BenchmarkSelectRoute(b *testing.B) {
	table := compileStage(Stage{Routes: []Route{
		{Key: "GET /pets/dog/1"}, {Key: "GET /pets/dog/{id}"}, {Key: "GET /pets/{proxy+}"}, {Key: "POST /pets"},
		{Key: "ANY /{proxy+}"}, {Key: "ANY /pets/dog/{id}"}, {Key: "GET /"}, {Key: "GET /hello"}, {Key: "$default"},
	}})
	segs := splitSegments("/pets/dog/42")
	b.ReportAllocs()
	for b.Loop() {
		if rt, _ := table.selectRoute("GET", segs); rt == nil {
			b.Fatal("no route")
		}
	}
}
