package dynamodb

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hashPuts returns n BatchWriteItem put requests for table "hash" with keys
// prefix0, prefix1, ...
func hashPuts(prefix string, n int) string {
	reqs := make([]string, n)
	for i := range reqs {
		reqs[i] = fmt.Sprintf(`{"PutRequest":{"Item":{"pk":{"S":"%s%d"}}}}`, prefix, i)
	}
	return "[" + strings.Join(reqs, ",") + "]"
}

// hashKeys returns n BatchGetItem keys for table "hash".
func hashKeys(prefix string, n int) string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf(`{"pk":{"S":"%s%d"}}`, prefix, i)
	}
	return "[" + strings.Join(keys, ",") + "]"
}

func TestBatchOperations(t *testing.T) {
	t.Parallel()
	putHashA := step{"PutItem", `{"TableName":"hash","Item":{"pk":{"S":"a"},"v":{"S":"x"},"w":{"N":"1"}}}`, ""}
	const invalid = "ValidationException: "
	for _, tc := range []struct {
		name  string
		setup []step
		steps []step
	}{
		{"write then get", nil, []step{
			{"BatchWriteItem", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"pk":{"S":"a"},"v":{"S":"x"}}}}],` +
				`"tbl":[{"PutRequest":{"Item":` + itemA + `}},{"DeleteRequest":{"Key":{"pk":{"S":"z"},"sk":{"N":"1"}}}}]},"ReturnConsumedCapacity":"TOTAL"}`,
				`{"UnprocessedItems":{},"ConsumedCapacity":[{"TableName":"hash","CapacityUnits":1},{"TableName":"tbl","CapacityUnits":2}]}`},
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"b"}}]},"tbl":{"Keys":[` + keyA + `],"ConsistentRead":true}},"ReturnConsumedCapacity":"INDEXES"}`,
				`{"Responses":{"hash":[{"pk":{"S":"a"},"v":{"S":"x"}}],"tbl":[` + itemA + `]},"UnprocessedKeys":{},` +
					`"ConsumedCapacity":[{"TableName":"hash","CapacityUnits":1,"Table":{"CapacityUnits":1}},{"TableName":"tbl","CapacityUnits":1,"Table":{"CapacityUnits":1}}]}`},
		}},
		{"get empty responses", nil, []step{
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"nope"}}]}}}`, `{"Responses":{"hash":[]},"UnprocessedKeys":{}}`},
		}},
		{"get projections", []step{putHashA}, []step{
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"a"}}],"ProjectionExpression":"#v","ExpressionAttributeNames":{"#v":"v"}}}}`,
				`{"Responses":{"hash":[{"v":{"S":"x"}}]},"UnprocessedKeys":{}}`},
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"a"}}],"AttributesToGet":["w","q"]}}}`,
				`{"Responses":{"hash":[{"w":{"N":"1"}}]},"UnprocessedKeys":{}}`},
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"a"}}],"AttributesToGet":["q"]}}}`,
				`{"Responses":{"hash":[{}]},"UnprocessedKeys":{}}`},
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"a"}}],"AttributesToGet":["w","w"]}}}`,
				invalid + "One or more parameter values were invalid: Duplicate value in attribute name: w"},
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"a"}}],"ProjectionExpression":"v","AttributesToGet":["w"]}}}`,
				invalid + "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"},
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"a"}}],"ProjectionExpression":"v","ExpressionAttributeNames":{"#u":"u"}}}}`,
				invalid + "Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}"},
		}},
		{"get validation", nil, []step{
			{"BatchGetItem", `{}`, invalid + "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null"},
			{"BatchGetItem", `{"RequestItems":{}}`, invalid + "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"},
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":[]}},"ReturnConsumedCapacity":"hi"}`, invalid + "2 validation errors detected: " +
				"Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; " +
				"Value '[]' at 'requestItems.hash.member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1"},
			{"BatchGetItem", `{"RequestItems":{"hash":{}}}`, invalid + "1 validation error detected: Value null at 'requestItems.hash.member.keys' failed to satisfy constraint: Member must not be null"},
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":` + hashKeys("a", 60) + `},"srt":{"Keys":` + hashKeys("b", 41) + `}}}`,
				invalid + "Too many items requested for the BatchGetItem call"},
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"b"}},{"pk":{"S":"a"}}]}}}`, invalid + msgBatchDuplicates},
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"b"}},{"pk":{"S":"a"}}]}}}`, invalid + msgBatchDuplicates},
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"N":"1"}}]}}}`, invalid + msgKeyMismatch},
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"a"},"x":{"S":"b"}}]}}}`, invalid + msgKeyMismatch},
			{"BatchGetItem", `{"RequestItems":{"tbl":{"Keys":[{"pk":{"S":"a"}}]}}}`, invalid + msgKeyMismatch},
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":""}}]}}}`,
				invalid + "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
			{"BatchGetItem", `{"RequestItems":{"nope":{"Keys":[{"pk":{"S":"a"}}]}}}`, "ResourceNotFoundException: Requested resource not found"},
		}},
		{"write validation", nil, []step{
			{"BatchWriteItem", `{}`, invalid + "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null"},
			{"BatchWriteItem", `{"RequestItems":{},"ReturnItemCollectionMetrics":"hi"}`, invalid + "2 validation errors detected: " +
				"Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]; " +
				"Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"},
			{"BatchWriteItem", `{"RequestItems":{"hash":[{"PutRequest":{}}]}}`,
				invalid + "1 validation error detected: Value null at 'requestItems.hash.member.1.member.putRequest.item' failed to satisfy constraint: Member must not be null"},
			{"BatchWriteItem", `{"RequestItems":{"hash":[{}]}}`, invalid + msgEmptyRequest},
			{"BatchWriteItem", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"pk":{"S":"a"}}},"DeleteRequest":{"Key":{"pk":{"S":"a"}}}}]}}`, invalid + msgEmptyRequest},
			{"BatchWriteItem", `{"RequestItems":{"hash":` + hashPuts("a", 13) + `,"srt":` + hashPuts("b", 13) + `}}`,
				invalid + "Too many items requested for the BatchWriteItem call"},
			{"BatchWriteItem", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"a"}}}}]}}`, invalid + msgBatchDuplicates},
			{"BatchWriteItem", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"x":{"S":"a"}}}}]}}`, invalid + msgKeyMismatch},
			{"BatchWriteItem", `{"RequestItems":{"tbl":[{"PutRequest":{"Item":{"pk":{"S":"a"},"sk":{"S":"1"}}}}]}}`, invalid + msgKeyMismatch},
			{"BatchWriteItem", `{"RequestItems":{"hash":[{"DeleteRequest":{"Key":{"pk":{"S":"a"},"v":{"S":"a"}}}}]}}`, invalid + msgKeyMismatch},
			{"BatchWriteItem", `{"RequestItems":{"gsi":[{"PutRequest":{"Item":{"pk":{"S":"a"},"g":{"N":"1"}}}}]}}`,
				invalid + "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: byG"},
			{"BatchWriteItem", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}}],"nope":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}}]}}`,
				"ResourceNotFoundException: Requested resource not found"},
			{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"a"}}]}}}`, `{"Responses":{"hash":[]},"UnprocessedKeys":{}}`},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			runSteps(t, tc.setup, tc.steps)
		})
	}
}

// TestBatchJavaRenderedValues checks the validation messages that quote a
// whole list or map, whose element rendering is only stable in shape.
func TestBatchJavaRenderedValues(t *testing.T) {
	t.Parallel()
	s := newTestService(t)
	for _, tc := range []struct{ op, body, prefix, suffix string }{
		{"BatchWriteItem", `{"RequestItems":{"hash":` + hashPuts("a", 26) + `}}`,
			"ValidationException: 1 validation error detected: Value '{hash=[com.amazonaws.dynamodb.v20120810.WriteRequest@",
			"]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"},
		{"BatchWriteItem", `{"RequestItems":{"a":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}}]}}`,
			"ValidationException: 1 validation error detected: Value '{a=[com.amazonaws.dynamodb.v20120810.WriteRequest@",
			"]}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, " +
				"Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]"},
		{"BatchGetItem", `{"RequestItems":{"hash":{"Keys":` + hashKeys("a", 101) + `}}}`,
			"ValidationException: 1 validation error detected: Value '[com.amazonaws.dynamodb.v20120810.Key@",
			"]' at 'requestItems.hash.member.keys' failed to satisfy constraint: Member must have length less than or equal to 100"},
	} {
		got := call(t, s, tc.op, tc.body)
		if !strings.HasPrefix(got, tc.prefix) || !strings.HasSuffix(got, tc.suffix) {
			t.Errorf("%s: got %q, want %q...%q", tc.op, got, tc.prefix, tc.suffix)
		}
	}
}

// TestBatchGetResponseLimit fills a table past 16 MB and checks that
// BatchGetItem stops at the limit and returns the rest as UnprocessedKeys,
// with the table's other parameters.
func TestBatchGetResponseLimit(t *testing.T) {
	t.Parallel()
	s := newTestService(t)
	call(t, s, "CreateTable", createHash)
	big := strings.Repeat("x", maxItemBytes-20)
	const n = 45
	for start := 0; start < n; start += 15 {
		reqs := make([]string, 15)
		for i := range reqs {
			reqs[i] = fmt.Sprintf(`{"PutRequest":{"Item":{"pk":{"S":"k%02d"},"b":{"S":"%s"}}}}`, start+i, big)
		}
		if got := call(t, s, "BatchWriteItem", `{"RequestItems":{"hash":[`+strings.Join(reqs, ",")+`]}}`); got != `{"UnprocessedItems":{}}` {
			t.Fatalf("BatchWriteItem: %.200s", got)
		}
	}
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf(`{"pk":{"S":"k%02d"}}`, i)
	}
	raw := call(t, s, "BatchGetItem", `{"RequestItems":{"hash":{"Keys":[`+strings.Join(keys, ",")+`],"ConsistentRead":true}}}`)
	var out struct {
		Responses       map[string][]json.RawMessage
		UnprocessedKeys map[string]struct {
			Keys           []json.RawMessage
			ConsistentRead bool
		}
	}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("BatchGetItem: %v: %.200s", err, raw)
	}
	perItem := 2 + 3 + 1 + len(big) // "pk" + "kNN" + "b" + value
	fit := maxBatchGetBytes / perItem
	unprocessed := out.UnprocessedKeys["hash"]
	got := []int{len(out.Responses["hash"]), len(unprocessed.Keys)}
	if diff := cmp.Diff([]int{fit, n - fit}, got); diff != "" {
		t.Errorf("returned, unprocessed (-want +got):\n%s", diff)
	}
	if !unprocessed.ConsistentRead || len(unprocessed.Keys) == 0 || string(unprocessed.Keys[0]) != keys[fit] {
		t.Errorf("UnprocessedKeys = %+v, want keys from %s with ConsistentRead", unprocessed, keys[fit])
	}
}
