package dynamodb

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Table definitions the item tests run against.
const (
	createHashRange = `{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],` +
		`"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],"BillingMode":"PAY_PER_REQUEST"}`
	createHash = `{"TableName":"hash","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],` +
		`"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`
	createStringRange = `{"TableName":"srt","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],` +
		`"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`
	createWithGSI = `{"TableName":"gsi","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],` +
		`"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST",` +
		`"GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`
	itemA = `{"n":{"N":"5"},"pk":{"S":"a"},"sk":{"N":"1"},"x":{"S":"hello"}}`
	keyA  = `{"pk":{"S":"a"},"sk":{"N":"1"}}`
)

// step is one operation call and its expected JSON output or "Code: message".
type step struct {
	op, body, want string
}

// runSteps runs setup calls (whose results are ignored) and then checks steps.
func runSteps(t *testing.T, setup []step, steps []step) {
	t.Helper()
	s := newTestService(t)
	for _, c := range []string{createHashRange, createHash, createStringRange, createWithGSI} {
		call(t, s, "CreateTable", c)
	}
	for _, st := range setup {
		call(t, s, st.op, st.body)
	}
	for _, st := range steps {
		if diff := cmp.Diff(st.want, call(t, s, st.op, st.body)); diff != "" {
			t.Errorf("%s(%s) mismatch (-want +got):\n%s", st.op, st.body, diff)
		}
	}
}

func TestItemOperations(t *testing.T) {
	t.Parallel()
	putA := step{"PutItem", `{"TableName":"tbl","Item":` + itemA + `}`, ""}
	for _, tc := range []struct {
		name  string
		setup []step
		steps []step
	}{
		{"put then get", nil, []step{
			{"PutItem", `{"TableName":"tbl","Item":` + itemA + `}`, `{}`},
			{"GetItem", `{"TableName":"tbl","Key":` + keyA + `}`, `{"Item":` + itemA + `}`},
		}},
		{"get missing item", nil, []step{
			{"GetItem", `{"TableName":"tbl","Key":` + keyA + `}`, `{}`},
		}},
		{"put ALL_OLD", []step{putA}, []step{
			{"PutItem", `{"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"}},"ReturnValues":"ALL_OLD"}`, `{"Attributes":` + itemA + `}`},
			{"PutItem", `{"TableName":"tbl","Item":{"pk":{"S":"b"},"sk":{"N":"1"}},"ReturnValues":"ALL_OLD"}`, `{}`},
		}},
		{"projection", []step{putA}, []step{
			{"GetItem", `{"TableName":"tbl","Key":` + keyA + `,"ProjectionExpression":"#x, n","ExpressionAttributeNames":{"#x":"x"}}`, `{"Item":{"n":{"N":"5"},"x":{"S":"hello"}}}`},
			{"GetItem", `{"TableName":"tbl","Key":` + keyA + `,"AttributesToGet":["x"]}`, `{"Item":{"x":{"S":"hello"}}}`},
		}},
		{"number keys normalise", nil, []step{
			{"PutItem", `{"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1.50"}}}`, `{}`},
			{"GetItem", `{"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"0001.5"}}}`, `{"Item":{"pk":{"S":"a"},"sk":{"N":"1.5"}}}`},
			{"PutItem", `{"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"12345678901234567890123456789012345678"}}}`, `{}`},
			{"GetItem", `{"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"12345678901234567890123456789012345678"}}}`,
				`{"Item":{"pk":{"S":"a"},"sk":{"N":"12345678901234567890123456789012345678"}}}`},
		}},
		{"update creates item", nil, []step{
			{"UpdateItem", `{"TableName":"tbl","Key":` + keyA + `,"UpdateExpression":"SET y = :v","ExpressionAttributeValues":{":v":{"S":"new"}},"ReturnValues":"ALL_NEW"}`,
				`{"Attributes":{"pk":{"S":"a"},"sk":{"N":"1"},"y":{"S":"new"}}}`},
		}},
		{"update return values", []step{putA}, []step{
			{"UpdateItem", `{"TableName":"tbl","Key":` + keyA + `,"UpdateExpression":"ADD n :one","ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnValues":"UPDATED_OLD"}`, `{"Attributes":{"n":{"N":"5"}}}`},
			{"UpdateItem", `{"TableName":"tbl","Key":` + keyA + `,"UpdateExpression":"ADD n :one","ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnValues":"UPDATED_NEW"}`, `{"Attributes":{"n":{"N":"7"}}}`},
			{"UpdateItem", `{"TableName":"tbl","Key":` + keyA + `,"UpdateExpression":"REMOVE n","ReturnValues":"ALL_OLD"}`,
				`{"Attributes":{"n":{"N":"7"},"pk":{"S":"a"},"sk":{"N":"1"},"x":{"S":"hello"}}}`},
			{"UpdateItem", `{"TableName":"tbl","Key":` + keyA + `,"UpdateExpression":"REMOVE x","ReturnValues":"NONE"}`, `{}`},
			{"GetItem", `{"TableName":"tbl","Key":` + keyA + `}`, `{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}`},
		}},
		{"delete", []step{putA}, []step{
			{"DeleteItem", `{"TableName":"tbl","Key":` + keyA + `,"ReturnValues":"ALL_OLD"}`, `{"Attributes":` + itemA + `}`},
			{"DeleteItem", `{"TableName":"tbl","Key":` + keyA + `,"ReturnValues":"ALL_OLD"}`, `{}`},
			{"GetItem", `{"TableName":"tbl","Key":` + keyA + `}`, `{}`},
		}},
		{"conditions", []step{putA}, []step{
			{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"ConditionExpression":"attribute_not_exists(pk)"}`, `ConditionalCheckFailedException: The conditional request failed`},
			{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"ConditionExpression":"attribute_not_exists(pk)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}`,
				`ConditionalCheckFailedException: The conditional request failed {"Item":` + itemA + `}`},
			{"DeleteItem", `{"TableName":"tbl","Key":` + keyA + `,"ConditionExpression":"n > :v","ExpressionAttributeValues":{":v":{"N":"10"}}}`, `ConditionalCheckFailedException: The conditional request failed`},
			{"UpdateItem", `{"TableName":"tbl","Key":{"pk":{"S":"zz"},"sk":{"N":"1"}},"UpdateExpression":"SET y = :v","ConditionExpression":"attribute_exists(pk)","ExpressionAttributeValues":{":v":{"S":"x"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}`,
				`ConditionalCheckFailedException: The conditional request failed`},
			{"DeleteItem", `{"TableName":"tbl","Key":` + keyA + `,"ConditionExpression":"n = :v","ExpressionAttributeValues":{":v":{"N":"5"}}}`, `{}`},
		}},
		{"legacy parameters", []step{putA}, []step{
			{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"Expected":{"x":{"Value":{"S":"nope"}}}}`, `ConditionalCheckFailedException: The conditional request failed`},
			{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"Expected":{"x":{"Exists":false}}}`, `ConditionalCheckFailedException: The conditional request failed`},
			{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"Expected":{"x":{"ComparisonOperator":"BEGINS_WITH","AttributeValueList":[{"S":"he"}]},"n":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"100"}]}},"ConditionalOperator":"OR"}`, `{}`},
			{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"Expected":{"n":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"1"},{"N":"9"}]},"q":{"ComparisonOperator":"NULL"}}}`, `{}`},
			{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"Expected":{"n":{"ComparisonOperator":"IN","AttributeValueList":[{"N":"4"},{"N":"6"}]}}}`, `ConditionalCheckFailedException: The conditional request failed`},
			{"UpdateItem", `{"TableName":"tbl","Key":` + keyA + `,"AttributeUpdates":{"n":{"Action":"ADD","Value":{"N":"2"}},"x":{"Action":"DELETE"},"s":{"Action":"ADD","Value":{"SS":["a"]}},"l":{"Action":"ADD","Value":{"L":[{"S":"e"}]}},"p":{"Value":{"BOOL":true}}},"ReturnValues":"ALL_NEW"}`,
				`{"Attributes":{"l":{"L":[{"S":"e"}]},"n":{"N":"7"},"p":{"BOOL":true},"pk":{"S":"a"},"s":{"SS":["a"]},"sk":{"N":"1"}}}`},
		}},
		{"capacity", []step{{"PutItem", `{"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"big":{"S":"` + strings.Repeat("x", 5000) + `"}}}`, ""}}, []step{
			{"GetItem", `{"TableName":"tbl","Key":` + keyA + `,"ReturnConsumedCapacity":"TOTAL"}`, ``},
			{"GetItem", `{"TableName":"tbl","Key":` + keyA + `,"ConsistentRead":true,"ReturnConsumedCapacity":"TOTAL","ProjectionExpression":"pk"}`,
				`{"Item":{"pk":{"S":"a"}},"ConsumedCapacity":{"TableName":"tbl","CapacityUnits":2}}`},
			{"GetItem", `{"TableName":"tbl","Key":{"pk":{"S":"b"},"sk":{"N":"1"}},"ReturnConsumedCapacity":"INDEXES"}`,
				`{"ConsumedCapacity":{"TableName":"tbl","CapacityUnits":0.5,"Table":{"CapacityUnits":0.5}}}`},
			{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"ReturnConsumedCapacity":"TOTAL"}`, `{"ConsumedCapacity":{"TableName":"tbl","CapacityUnits":5}}`},
			{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"ReturnConsumedCapacity":"TOTAL"}`, `{"ConsumedCapacity":{"TableName":"tbl","CapacityUnits":1}}`},
			{"DeleteItem", `{"TableName":"tbl","Key":` + keyA + `,"ReturnConsumedCapacity":"TOTAL"}`, `{"ConsumedCapacity":{"TableName":"tbl","CapacityUnits":1}}`},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			steps := tc.steps
			if tc.name == "capacity" {
				steps = steps[1:] // the first read's Item is too long to spell out
			}
			runSteps(t, tc.setup, steps)
		})
	}
}

func TestItemValidation(t *testing.T) {
	t.Parallel()
	const inv = "ValidationException: One or more parameter values were invalid: "
	for _, tc := range []struct {
		name string
		step step
	}{
		{"unknown table", step{"GetItem", `{"TableName":"nope","Key":` + keyA + `}`, "ResourceNotFoundException: Requested resource not found"}},
		{"unknown table put", step{"PutItem", `{"TableName":"nope","Item":` + itemA + `}`, "ResourceNotFoundException: Requested resource not found"}},
		{"key too few", step{"GetItem", `{"TableName":"tbl","Key":{"pk":{"S":"a"}}}`, "ValidationException: The provided key element does not match the schema"}},
		{"key extra attribute", step{"DeleteItem", `{"TableName":"hash","Key":{"pk":{"S":"a"},"x":{"S":"b"}}}`, "ValidationException: The provided key element does not match the schema"}},
		{"key wrong type", step{"GetItem", `{"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"S":"1"}}}`, "ValidationException: The provided key element does not match the schema"}},
		{"key empty string", step{"GetItem", `{"TableName":"tbl","Key":{"pk":{"S":""},"sk":{"N":"1"}}}`, inv + "The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"}},
		{"put missing key", step{"PutItem", `{"TableName":"tbl","Item":{"pk":{"S":"a"}}}`, inv + "Missing the key sk in the item"}},
		{"put key type", step{"PutItem", `{"TableName":"tbl","Item":{"pk":{"N":"1"},"sk":{"N":"1"}}}`, inv + "Type mismatch for key pk expected: S actual: N"}},
		{"put empty key", step{"PutItem", `{"TableName":"hash","Item":{"pk":{"S":""}}}`, "ValidationException: One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"}},
		{"put index key type", step{"PutItem", `{"TableName":"gsi","Item":{"pk":{"S":"a"},"g":{"N":"1"}}}`, inv + "Type mismatch for Index Key g Expected: S Actual: N IndexName: byG"}},
		{"hash key too large", step{"PutItem", `{"TableName":"hash","Item":{"pk":{"S":"` + strings.Repeat("k", 2049) + `"}}}`, "ValidationException: " + msgHashKeyTooLarge}},
		{"range key too large", step{"GetItem", `{"TableName":"srt","Key":{"pk":{"S":"a"},"sk":{"S":"` + strings.Repeat("k", 1025) + `"}}}`, "ValidationException: " + msgRangeKeyTooLarge}},
		{"range key at limit", step{"PutItem", `{"TableName":"srt","Item":{"pk":{"S":"` + strings.Repeat("k", 2048) + `"},"sk":{"S":"` + strings.Repeat("k", 1024) + `"}}}`, "{}"}},
		{"item too large", step{"PutItem", `{"TableName":"hash","Item":{"pk":{"S":"a"},"v":{"S":"` + strings.Repeat("v", 400*1024) + `"}}}`, "ValidationException: Item size has exceeded the maximum allowed size"}},
		{"update key attribute", step{"UpdateItem", `{"TableName":"tbl","Key":` + keyA + `,"UpdateExpression":"SET pk = :v","ExpressionAttributeValues":{":v":{"S":"b"}}}`, inv + "Cannot update attribute pk. This attribute is part of the key"}},
		{"legacy update key attribute", step{"UpdateItem", `{"TableName":"tbl","Key":` + keyA + `,"AttributeUpdates":{"sk":{"Value":{"N":"2"}}}}`, inv + "Cannot update attribute sk. This attribute is part of the key"}},
		{"mixed parameters", step{"GetItem", `{"TableName":"tbl","Key":` + keyA + `,"AttributesToGet":["a"],"ProjectionExpression":"b"}`,
			"ValidationException: Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"}},
		{"mixed update parameters", step{"UpdateItem", `{"TableName":"tbl","Key":` + keyA + `,"AttributeUpdates":{"a":{"Value":{"N":"2"}}},"ConditionExpression":"attribute_exists(a)"}`,
			"ValidationException: Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {ConditionExpression}"}},
		{"names without expressions", step{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"ExpressionAttributeNames":{"#a":"a"}}`, "ValidationException: ExpressionAttributeNames can only be specified when using expressions"}},
		{"values without expressions", step{"UpdateItem", `{"TableName":"tbl","Key":` + keyA + `,"ExpressionAttributeValues":{":a":{"S":"a"}}}`,
			"ValidationException: ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null"}},
		{"empty values", step{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"ConditionExpression":"attribute_exists(a)","ExpressionAttributeValues":{}}`, "ValidationException: ExpressionAttributeValues must not be empty"}},
		{"unused value", step{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"ConditionExpression":"attribute_exists(a)","ExpressionAttributeValues":{":v":{"S":"x"}}}`,
			"ValidationException: Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"}},
		{"unused name", step{"UpdateItem", `{"TableName":"tbl","Key":` + keyA + `,"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":"x"}},"ExpressionAttributeNames":{"#n":"n"}}`,
			"ValidationException: Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}"}},
		{"put return values", step{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"ReturnValues":"ALL_NEW"}`, "ValidationException: ReturnValues can only be ALL_OLD or NONE"}},
		{"delete return values", step{"DeleteItem", `{"TableName":"tbl","Key":` + keyA + `,"ReturnValues":"UPDATED_NEW"}`, "ValidationException: ReturnValues can only be ALL_OLD or NONE"}},
		{"return values enum", step{"UpdateItem", `{"TableName":"tbl","Key":` + keyA + `,"ReturnValues":"SOME"}`,
			"ValidationException: 1 validation error detected: Value 'SOME' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"}},
		{"legacy exists without value", step{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"Expected":{"x":{"Exists":true}}}`, inv + "Value must be provided when Exists is true for Attribute: x"}},
		{"legacy argument count", step{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"Expected":{"x":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"1"}]}}}`, inv + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"}},
		{"legacy add string", step{"UpdateItem", `{"TableName":"tbl","Key":` + keyA + `,"AttributeUpdates":{"x":{"Action":"ADD","Value":{"S":"s"}}}}`, inv + "ADD action is not supported for the type S"}},
		{"legacy duplicate attributes", step{"GetItem", `{"TableName":"tbl","Key":` + keyA + `,"AttributesToGet":["a","a"]}`, inv + "Duplicate value in attribute name: a"}},
		{"bad expression", step{"PutItem", `{"TableName":"tbl","Item":` + itemA + `,"ConditionExpression":""}`, "ValidationException: Invalid ConditionExpression: The expression can not be empty;"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			runSteps(t, nil, []step{tc.step})
		})
	}
}
