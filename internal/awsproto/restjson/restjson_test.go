package restjson_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/awsproto/restjson"
)

var errNotFound = apierr.Def{Code: "ResourceNotFoundException", Status: http.StatusNotFound}

func testService() restjson.Service {
	return restjson.Service{
		MessageFields: map[string]string{"ResourceNotFoundException": "Message"},
		Routes: []restjson.Route{
			{Method: "GET", Pattern: "/v1/things/{Name}", Op: "GetThing", Call: func(_ context.Context, r *restjson.Request) (*restjson.Response, error) {
				if r.Label("Name") == "missing" {
					return nil, errNotFound.New("Thing not found: missing")
				}
				return restjson.JSON(http.StatusOK, map[string]string{"Name": r.Label("Name"), "Q": r.Query("Qualifier")})
			}},
			{Method: "POST", Pattern: "/v1/things", Op: "CreateThing", Call: func(context.Context, *restjson.Request) (*restjson.Response, error) {
				return nil, errors.New("disk on fire at /secret")
			}},
			{Method: "DELETE", Pattern: "/v1/things/{Name}", Op: "DeleteThing", Call: func(context.Context, *restjson.Request) (*restjson.Response, error) {
				return &restjson.Response{Status: http.StatusNoContent}, nil
			}},
		},
	}
}

func TestServe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, target string
		wantStatus     int
		wantType       string
		wantBody       string
	}{
		{"GET", "/v1/things/a%3Ab?Qualifier=3", 200, "", `{"Name":"a:b","Q":"3"}`},
		{"GET", "/v1/things/a/", 200, "", `{"Name":"a","Q":""}`},
		{"GET", "/v1/things/missing", 404, "ResourceNotFoundException", `{"Message":"Thing not found: missing","Type":"User"}`},
		{"POST", "/v1/things", 500, "ServiceException", `{"Type":"Service","message":"Internal server error"}`},
		{"POST", "/v1/things/", 500, "ServiceException", `{"Type":"Service","message":"Internal server error"}`},
		{"DELETE", "/v1/things/x", 204, "", ``},
		{"PUT", "/v1/things/x", 404, "UnknownOperationException", `{"Type":"User"}`},
		{"GET", "/v2/nothing", 404, "UnknownOperationException", `{"Type":"User"}`},
	}
	h := restjson.NewHandler(testService(), nil)
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, nil)
			w := httptest.NewRecorder()
			h.Serve(w, r, nil)
			body, _ := io.ReadAll(w.Result().Body)
			got := []any{w.Code, w.Header().Get(restjson.HeaderErrorType), string(body)}
			want := []any{tt.wantStatus, tt.wantType, tt.wantBody}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	h := restjson.NewHandler(testService(), nil)
	op, ok := h.Match(httptest.NewRequest("DELETE", "/v1/things/x", nil))
	if diff := cmp.Diff([]any{"DeleteThing", true}, []any{op, ok}); diff != "" {
		t.Error(diff)
	}
}

func TestDecode(t *testing.T) {
	t.Parallel()
	bad := apierr.Def{Code: "BadRequestException", Status: http.StatusBadRequest}
	var v struct{ Name string }
	for body, want := range map[string]string{
		``:             "",
		`{"Name":"a"}`: "",
		`{"Name":`:     "BadRequestException: Invalid request body: malformed JSON",
		`{"Name":[1]}`: "BadRequestException: Invalid request body: unexpected value for Name",
	} {
		err := (&restjson.Request{Body: []byte(body)}).Decode(&v, bad)
		got := ""
		var e *apierr.Error
		if errors.As(err, &e) {
			got = e.Code + ": " + e.Message
		} else if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("Decode(%q) = %q, want %q", body, got, want)
		}
	}
}
