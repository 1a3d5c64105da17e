package dynamodb

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/storage"
)

// createTTLTable creates table "ttl" (pk S) and enables TTL on "exp".
func createTTLTable(t *testing.T, s *Service) {
	t.Helper()
	call(t, s, "CreateTable", `{"TableName":"ttl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	got := call(t, s, "UpdateTimeToLive", `{"TableName":"ttl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`)
	if want := `{"TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`; got != want {
		t.Fatalf("UpdateTimeToLive = %s, want %s", got, want)
	}
}

func TestTTLSweeper(t *testing.T) {
	t.Parallel()
	s := newTestService(t)
	createTTLTable(t, s)
	now := testNow.Unix()
	items := map[string]string{
		"expired":  `{"N":"` + strconv.FormatInt(now-10, 10) + `"}`,
		"now":      `{"N":"` + strconv.FormatInt(now, 10) + `"}`,
		"future":   `{"N":"` + strconv.FormatInt(now+3600, 10) + `"}`,
		"string":   `{"S":"` + strconv.FormatInt(now-10, 10) + `"}`,
		"ancient":  `{"N":"` + strconv.FormatInt(now-6*365*24*3600, 10) + `"}`,
		"fraction": `{"N":"` + strconv.FormatInt(now-1, 10) + `.5"}`,
	}
	for pk, exp := range items {
		call(t, s, "PutItem", `{"TableName":"ttl","Item":{"pk":{"S":"`+pk+`"},"exp":`+exp+`}}`)
	}
	call(t, s, "PutItem", `{"TableName":"ttl","Item":{"pk":{"S":"missing"}}}`)

	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := s.RunTTL(ctx, 20*time.Millisecond); err != nil {
			t.Errorf("RunTTL: %v", err)
		}
	})
	defer wg.Wait()
	defer cancel()

	for _, pk := range []string{"expired", "now", "fraction"} {
		waitGone(t, s, pk)
	}
	for _, pk := range []string{"future", "string", "ancient", "missing"} {
		if got := call(t, s, "GetItem", `{"TableName":"ttl","Key":{"pk":{"S":"`+pk+`"}}}`); got == "{}" {
			t.Errorf("item %q was deleted, want it kept", pk)
		}
	}
}

// waitGone polls GetItem until the item pk is gone, failing after 5 s.
func waitGone(t *testing.T, s *Service, pk string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for call(t, s, "GetItem", `{"TableName":"ttl","Key":{"pk":{"S":"`+pk+`"}}}`) != "{}" {
		if time.Now().After(deadline) {
			t.Fatalf("item %q still present after 5s", pk)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestTTLSweepRechecksExpiry(t *testing.T) {
	t.Parallel()
	s := newTestService(t)
	createTTLTable(t, s)
	past := strconv.FormatInt(testNow.Unix()-10, 10)
	call(t, s, "PutItem", `{"TableName":"ttl","Item":{"pk":{"S":"a"},"exp":{"N":"`+past+`"}}}`)
	tables, err := s.ttlTables(t.Context())
	if err != nil || len(tables) != 1 {
		t.Fatalf("ttlTables() = %d tables, %v; want 1", len(tables), err)
	}
	keys, _, _, err := s.expiredPage(t.Context(), tables[0], storage.Range{Start: tables[0].prefix, End: storage.PrefixEnd(tables[0].prefix)})
	if err != nil || len(keys) != 1 {
		t.Fatalf("expiredPage() = %d keys, %v; want 1", len(keys), err)
	}
	// A write extends the TTL after the sweep found the item expired.
	future := strconv.FormatInt(testNow.Unix()+3600, 10)
	call(t, s, "PutItem", `{"TableName":"ttl","Item":{"pk":{"S":"a"},"exp":{"N":"`+future+`"}}}`)
	n, err := s.deleteExpired(t.Context(), tables[0], keys)
	if err != nil || n != 0 {
		t.Errorf("deleteExpired() = %d, %v; want 0 deleted", n, err)
	}
	if got := call(t, s, "GetItem", `{"TableName":"ttl","Key":{"pk":{"S":"a"}}}`); got == "{}" {
		t.Errorf("item with an extended TTL was deleted")
	}
}

func TestRunTTLRejectsBadInterval(t *testing.T) {
	t.Parallel()
	if err := newTestService(t).RunTTL(t.Context(), 0); err == nil {
		t.Errorf("RunTTL(0) = nil, want an error")
	}
}

func TestWriteCauseOf(t *testing.T) {
	t.Parallel()
	var tx storage.Tx
	if got := writeCauseOf(tx); got != causeRequest {
		t.Errorf("writeCauseOf(plain tx) = %d, want causeRequest", got)
	}
	if got := writeCauseOf(causeTx{Tx: tx, cause: causeTTL}); got != causeTTL {
		t.Errorf("writeCauseOf(causeTx) = %d, want causeTTL", got)
	}
}

func TestTimeToLiveOps(t *testing.T) {
	t.Parallel()
	s := newTestService(t)
	call(t, s, "CreateTable", `{"TableName":"ttl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	for _, tc := range []struct {
		name, op, body, want string
	}{
		{"describe disabled", "DescribeTimeToLive", `{"TableName":"ttl"}`, `{"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}}`},
		{"disable when disabled", "UpdateTimeToLive", `{"TableName":"ttl","TimeToLiveSpecification":{"Enabled":false,"AttributeName":"e"}}`,
			"ValidationException: TimeToLive is already disabled"},
		{"no spec", "UpdateTimeToLive", `{"TableName":"ttl"}`,
			"ValidationException: 1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null"},
		{"empty spec", "UpdateTimeToLive", `{"TableName":"ttl","TimeToLiveSpecification":{}}`,
			"ValidationException: 2 validation errors detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null"},
		{"empty name", "UpdateTimeToLive", `{"TableName":"ttl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":""}}`,
			"ValidationException: TimeToLiveSpecification.AttributeName must be non empty"},
		{"unknown table", "UpdateTimeToLive", `{"TableName":"nope","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"e"}}`,
			"ResourceNotFoundException: Requested resource not found: Table: nope not found"},
		{"enable", "UpdateTimeToLive", `{"TableName":"ttl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"e"}}`,
			`{"TimeToLiveSpecification":{"Enabled":true,"AttributeName":"e"}}`},
		{"describe enabled", "DescribeTimeToLive", `{"TableName":"ttl"}`, `{"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"e"}}`},
		{"enable again", "UpdateTimeToLive", `{"TableName":"ttl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"e"}}`,
			"ValidationException: TimeToLive is already enabled"},
		{"other attribute", "UpdateTimeToLive", `{"TableName":"ttl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"f"}}`,
			"ValidationException: TimeToLive is active on a different AttributeName"},
		{"disable", "UpdateTimeToLive", `{"TableName":"ttl","TimeToLiveSpecification":{"Enabled":false,"AttributeName":"e"}}`,
			`{"TimeToLiveSpecification":{"Enabled":false,"AttributeName":"e"}}`},
		{"describe unknown", "DescribeTimeToLive", `{"TableName":"nope"}`, "ResourceNotFoundException: Requested resource not found: Table: nope not found"},
	} {
		// Steps depend on each other: run in order.
		if diff := cmp.Diff(tc.want, call(t, s, tc.op, tc.body)); diff != "" {
			t.Errorf("%s: %s(%s) (-want +got):\n%s", tc.name, tc.op, tc.body, diff)
		}
	}
}
