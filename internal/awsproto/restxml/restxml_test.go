package restxml_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/awsproto/restxml"
	"github.com/fogbank/fogbank/internal/logging"
)

func TestWriteError(t *testing.T) {
	t.Parallel()
	noSuchKey := apierr.Def{Code: "NoSuchKey", Status: http.StatusNotFound}.New("The specified key does not exist.").With("Key", "a<b")
	for _, tc := range []struct {
		name, method string
		err          error
		wantStatus   int
		wantBody     string
	}{
		{"modeled", http.MethodGet, noSuchKey, 404, `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
			`<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a&lt;b</Key>` +
			`<RequestId>req-1</RequestId><HostId>cmVxLTE=</HostId></Error>`},
		{"head has no body", http.MethodHead, noSuchKey, 404, ""},
		{"fault", http.MethodGet, errors.New("disk on fire"), 500, `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
			`<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message>` +
			`<RequestId>req-1</RequestId><HostId>cmVxLTE=</HostId></Error>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequestWithContext(logging.WithRequestID(t.Context(), "req-1"), tc.method, "/b/k", nil)
			w := httptest.NewRecorder()
			restxml.WriteError(w, r, nil, tc.err)
			if w.Code != tc.wantStatus {
				t.Errorf("status = %d, want %d", w.Code, tc.wantStatus)
			}
			if diff := cmp.Diff(tc.wantBody, w.Body.String()); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
