package dynamodb

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/storage"
)

func TestTransactOperations(t *testing.T) {
	t.Parallel()
	const invalid = "ValidationException: "
	putA := `{"Put":{"TableName":"tbl","Item":` + itemA + `}}`
	for _, tc := range []struct {
		name  string
		setup []step
		steps []step
	}{
		{"constraints", nil, []step{
			{"TransactWriteItems", `{}`, invalid + "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null"},
			{"TransactWriteItems", `{"TransactItems":[],"ReturnConsumedCapacity":"hi"}`, invalid + "2 validation errors detected: " +
				"Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"},
			{"TransactWriteItems", `{"TransactItems":[` + putA + `,{"ConditionCheck":{"TableName":"tbl","Key":{"pk":{"S":"b"},"sk":{"N":"1"}}}}]}`,
				invalid + "1 validation error detected: Value null at 'transactItems.2.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null"},
			{"TransactWriteItems", `{"TransactItems":[{"Update":{"Key":{"pk":{"S":"b"},"sk":{"N":"1"}},"ReturnValuesOnConditionCheckFailure":"ALL"}}]}`,
				invalid + "3 validation errors detected: " +
					"Value null at 'transactItems.1.member.update.tableName' failed to satisfy constraint: Member must not be null; " +
					"Value 'ALL' at 'transactItems.1.member.update.returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]; " +
					"Value null at 'transactItems.1.member.update.updateExpression' failed to satisfy constraint: Member must not be null"},
			{"TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"tbl"}},{"Delete":{"TableName":"tbl"}}]}`,
				invalid + "2 validation errors detected: " +
					"Value null at 'transactItems.1.member.put.item' failed to satisfy constraint: Member must not be null; " +
					"Value null at 'transactItems.2.member.delete.key' failed to satisfy constraint: Member must not be null"},
			{"TransactWriteItems", `{"TransactItems":[` + putA + `],"ClientRequestToken":""}`,
				invalid + "1 validation error detected: Value '' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 1"},
			{"TransactGetItems", `{"TransactItems":[{},{"Get":{"TableName":"tbl"}}]}`, invalid + "2 validation errors detected: " +
				"Value null at 'transactItems.1.member.get' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'transactItems.2.member.get.key' failed to satisfy constraint: Member must not be null"},
		}},
		{"expressions", nil, []step{
			{"TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"tbl","Item":` + itemA + `,"ConditionExpression":"a = :v"}}]}`,
				invalid + "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v"},
			{"TransactWriteItems", `{"TransactItems":[{"Delete":{"TableName":"tbl","Key":` + keyA + `,"ExpressionAttributeNames":{"#a":"a"}}}]}`,
				invalid + "ExpressionAttributeNames can only be specified when using expressions"},
			{"TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"tbl","Key":` + keyA + `,"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":"x"},":w":{"S":"y"}}}}]}`,
				invalid + "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"},
			{"TransactGetItems", `{"TransactItems":[{"Get":{"TableName":"tbl","Key":` + keyA + `,"ExpressionAttributeNames":{"#a":"a"}}}]}`,
				invalid + "ExpressionAttributeNames can only be specified when using expressions"},
		}},
		{"writes and capacity", nil, []step{
			{"TransactWriteItems", `{"TransactItems":[` + putA + `,{"Update":{"TableName":"hash","Key":{"pk":{"S":"h"}},"UpdateExpression":"SET v = :v",` +
				`"ExpressionAttributeValues":{":v":{"S":"x"}}}}],"ReturnConsumedCapacity":"INDEXES","ReturnItemCollectionMetrics":"SIZE"}`,
				`{"ConsumedCapacity":[{"TableName":"hash","CapacityUnits":2,"Table":{"CapacityUnits":2}},{"TableName":"tbl","CapacityUnits":2,"Table":{"CapacityUnits":2}}]}`},
			{"TransactGetItems", `{"TransactItems":[{"Get":{"TableName":"hash","Key":{"pk":{"S":"h"}}}},{"Get":{"TableName":"tbl","Key":` + keyA + `,"ProjectionExpression":"x"}},` +
				`{"Get":{"TableName":"hash","Key":{"pk":{"S":"none"}}}}]}`,
				`{"Responses":[{"Item":{"pk":{"S":"h"},"v":{"S":"x"}}},{"Item":{"x":{"S":"hello"}}},{}]}`},
			{"TransactWriteItems", `{"TransactItems":[{"Delete":{"TableName":"tbl","Key":` + keyA + `,"ConditionExpression":"n = :five","ExpressionAttributeValues":{":five":{"N":"5"}}}},` +
				`{"ConditionCheck":{"TableName":"hash","Key":{"pk":{"S":"h"}},"ConditionExpression":"attribute_exists(v)"}}]}`, `{}`},
			{"GetItem", `{"TableName":"tbl","Key":` + keyA + `}`, `{}`},
		}},
		{"update too large", nil, []step{
			{"TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"hash","Key":{"pk":{"S":"h"}},"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"S":"` +
				bigString(maxItemBytes) + `"}}}}]}`,
				`TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError] ` +
					`{"CancellationReasons":[{"Code":"ValidationError","Message":"Item size to update has exceeded the maximum allowed size"}]}`},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			runSteps(t, tc.setup, tc.steps)
		})
	}
}

// bigString returns a string of n 'x' bytes.
func bigString(n int) string { return strings.Repeat("x", n) }

// TestTransactTokenExpiry checks that a token is forgotten after ten minutes
// and that expired tokens are swept from storage.
func TestTransactTokenExpiry(t *testing.T) {
	t.Parallel()
	s := newTestService(t)
	now := testNow
	s.opts.Now = func() time.Time { return now }
	call(t, s, "CreateTable", createHash)
	add := func(token, by string) string {
		return call(t, s, "TransactWriteItems", `{"ClientRequestToken":"`+token+`","TransactItems":[{"Update":{"TableName":"hash","Key":{"pk":{"S":"a"}},`+
			`"UpdateExpression":"ADD n :by","ExpressionAttributeValues":{":by":{"N":"`+by+`"}}}}]}`)
	}
	add("t1", "1")
	add("t1", "1")
	now = now.Add(tokenWindow - time.Second)
	if got := add("t1", "2"); got != "IdempotentParameterMismatchException: "+msgTokenMismatch {
		t.Errorf("reuse within the window: %s", got)
	}
	now = now.Add(2 * time.Second)
	add("t1", "2") // expired: a new request, which sweeps nothing (t1 itself is rewritten)
	now = now.Add(tokenWindow + time.Second)
	add("t2", "4") // sweeps t1
	got := call(t, s, "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"a"}}}`)
	if diff := cmp.Diff(`{"Item":{"n":{"N":"7"},"pk":{"S":"a"}}}`, got); diff != "" {
		t.Errorf("GetItem (-want +got):\n%s", diff)
	}
	var tokens []string
	err := s.opts.Engine.View(t.Context(), func(r storage.ReadTx) error {
		return r.Scan(storage.Range{Start: []byte("ddb/r"), End: []byte("ddb/s")}, func(k, _ []byte) bool {
			tokens = append(tokens, string(k[:len(tokensPrefix)])+string(k[len(k)-2:]))
			return true
		})
	})
	if err != nil {
		t.Fatalf("scan tokens: %v", err)
	}
	if diff := cmp.Diff([]string{"ddb/rt/t2", "ddb/rx/t2"}, tokens); diff != "" {
		t.Errorf("stored tokens (-want +got):\n%s", diff)
	}
}
