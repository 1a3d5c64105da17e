package dynamodb

import (
	"strconv"
	"testing"
)

// putTbl returns a PutItem step of item (pk, sk N) with attribute n.
func putTbl(pk, sk, n string) step {
	return step{"PutItem", `{"TableName":"tbl","Item":{"pk":{"S":"` + pk + `"},"sk":{"N":"` + sk + `"},"n":{"N":"` + n + `"}}}`, ""}
}

// tblItem renders the item putTbl writes.
func tblItem(pk, sk, n string) string {
	return `{"n":{"N":"` + n + `"},"pk":{"S":"` + pk + `"},"sk":{"N":"` + sk + `"}}`
}

// queryTbl returns a Query of partition "a" of tbl with extra members.
func queryTbl(extra string) string {
	return `{"TableName":"tbl","KeyConditionExpression":"pk = :p` + extra
}

func TestQueryKeyConditions(t *testing.T) {
	t.Parallel()
	setup := []step{putTbl("a", "-10", "1"), putTbl("a", "-0.5", "2"), putTbl("a", "0", "3"), putTbl("a", "2.5", "4"), putTbl("a", "10", "5"), putTbl("b", "1", "6")}
	all := []string{tblItem("a", "-10", "1"), tblItem("a", "-0.5", "2"), tblItem("a", "0", "3"), tblItem("a", "2.5", "4"), tblItem("a", "10", "5")}
	items := func(idx ...int) string {
		out := `{"Items":[`
		for i, j := range idx {
			if i > 0 {
				out += ","
			}
			out += all[j]
		}
		return out + `],"Count":` + itoa(len(idx)) + `,"ScannedCount":` + itoa(len(idx)) + `}`
	}
	vals := func(v ...string) string {
		out := `"ExpressionAttributeValues":{":p":{"S":"a"}`
		for i, x := range v {
			out += `,":v` + itoa(i) + `":{"N":"` + x + `"}`
		}
		return out + `}}`
	}
	runSteps(t, setup, []step{
		{"Query", queryTbl(`",` + vals()), items(0, 1, 2, 3, 4)},
		{"Query", queryTbl(`",` + `"ScanIndexForward":false,` + vals()), items(4, 3, 2, 1, 0)},
		{"Query", queryTbl(` AND sk = :v0",` + vals("0.0")), items(2)},
		{"Query", queryTbl(` AND sk < :v0",` + vals("0")), items(0, 1)},
		{"Query", queryTbl(` AND sk <= :v0",` + vals("0")), items(0, 1, 2)},
		{"Query", queryTbl(` AND sk > :v0",` + vals("0")), items(3, 4)},
		{"Query", queryTbl(` AND :v0 <= sk",` + vals("0")), items(2, 3, 4)},
		{"Query", queryTbl(` AND sk BETWEEN :v0 AND :v1",` + vals("-0.5", "2.5")), items(1, 2, 3)},
		{"Query", queryTbl(`",` + `"Limit":2,` + vals()), `{"Items":[` + all[0] + `,` + all[1] + `],"Count":2,"ScannedCount":2,"LastEvaluatedKey":{"pk":{"S":"a"},"sk":{"N":"-0.5"}}}`},
		{"Query", queryTbl(`",` + `"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"-0.5"}},` + vals()), items(2, 3, 4)},
		{"Query", queryTbl(`",` + `"ScanIndexForward":false,"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"0"}},` + vals()), items(1, 0)},
		{"Query", queryTbl(`","FilterExpression":"n > :v0",` + vals("3")), `{"Items":[` + all[3] + `,` + all[4] + `],"Count":2,"ScannedCount":5}`},
		{"Query", queryTbl(`","Select":"COUNT",` + vals()), `{"Count":5,"ScannedCount":5}`},
		{"Query", queryTbl(`","ProjectionExpression":"n","ReturnConsumedCapacity":"TOTAL",` + vals("0")[0:len(vals("0"))-len(`,":v0":{"N":"0"}}}`)] + `}}`),
			`{"Items":[{"n":{"N":"1"}},{"n":{"N":"2"}},{"n":{"N":"3"}},{"n":{"N":"4"}},{"n":{"N":"5"}}],"Count":5,"ScannedCount":5,"ConsumedCapacity":{"TableName":"tbl","CapacityUnits":0.5}}`},
		{"Query", `{"TableName":"tbl","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]},"sk":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"0"}]}},` +
			`"QueryFilter":{"n":{"ComparisonOperator":"LT","AttributeValueList":[{"N":"5"}]}}}`, `{"Items":[` + all[3] + `],"Count":1,"ScannedCount":2}`},
	})
}

func TestQueryStringSortKey(t *testing.T) {
	t.Parallel()
	put := func(sk string) step {
		return step{"PutItem", `{"TableName":"srt","Item":{"pk":{"S":"a"},"sk":{"S":"` + sk + `"}}}`, ""}
	}
	item := func(sk string) string { return `{"pk":{"S":"a"},"sk":{"S":"` + sk + `"}}` }
	runSteps(t, []step{put("ab"), put("a"), put("b"), put("abc"), put("B")}, []step{
		{"Query", `{"TableName":"srt","KeyConditionExpression":"pk = :p AND begins_with(sk, :v)","ExpressionAttributeValues":{":p":{"S":"a"},":v":{"S":"a"}}}`,
			`{"Items":[` + item("a") + `,` + item("ab") + `,` + item("abc") + `],"Count":3,"ScannedCount":3}`},
		{"Query", `{"TableName":"srt","KeyConditionExpression":"pk = :p AND sk < :v","ExpressionAttributeValues":{":p":{"S":"a"},":v":{"S":"a"}}}`,
			`{"Items":[` + item("B") + `],"Count":1,"ScannedCount":1}`},
	})
}

func TestQueryValidation(t *testing.T) {
	t.Parallel()
	const p = `"ExpressionAttributeValues":{":p":{"S":"a"}}`
	runSteps(t, nil, []step{
		{"Query", `{"TableName":"tbl"}`, "ValidationException: Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."},
		{"Query", `{"TableName":"tbl","KeyConditionExpression":"sk = :p",` + p + `}`, "ValidationException: Query condition missed key schema element: pk"},
		{"Query", `{"TableName":"tbl","KeyConditionExpression":"pk = :p AND x = :p",` + p + `}`, "ValidationException: Query condition missed key schema element: sk"},
		{"Query", `{"TableName":"hash","KeyConditionExpression":"pk = :p AND x = :p",` + p + `}`, "ValidationException: Query key condition not supported"},
		{"Query", `{"TableName":"tbl","KeyConditionExpression":"pk > :p",` + p + `}`, "ValidationException: Query key condition not supported"},
		{"Query", `{"TableName":"tbl","KeyConditionExpression":"pk = :p AND sk = :p",` + p + `}`, "ValidationException: One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{"Query", `{"TableName":"tbl","KeyConditionExpression":"pk = :p AND begins_with(sk, :n)","ExpressionAttributeValues":{":p":{"S":"a"},":n":{"N":"1"}}}`,
			"ValidationException: Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"Query", `{"TableName":"tbl","KeyConditionExpression":"pk = :p","FilterExpression":"sk > :n","ExpressionAttributeValues":{":p":{"S":"a"},":n":{"N":"1"}}}`,
			"ValidationException: Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"},
		{"Query", `{"TableName":"tbl","KeyConditionExpression":"pk = :p","Select":"SPECIFIC_ATTRIBUTES",` + p + `}`,
			"ValidationException: 1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"},
		{"Query", `{"TableName":"tbl","KeyConditionExpression":"pk = :p","Select":"ALL_PROJECTED_ATTRIBUTES",` + p + `}`,
			"ValidationException: 1 validation error detected: ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"},
		{"Query", `{"TableName":"tbl","KeyConditionExpression":"pk = :p","Select":"COUNT","ProjectionExpression":"n",` + p + `}`,
			"ValidationException: 1 validation error detected: Cannot specify the ProjectionExpression when choosing to get only the Count"},
		{"Query", `{"TableName":"tbl","KeyConditionExpression":"pk = :p","Limit":0,` + p + `}`,
			"ValidationException: 1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"Query", `{"TableName":"tbl","IndexName":"nope","KeyConditionExpression":"pk = :p",` + p + `}`, "ValidationException: The table does not have the specified index: nope"},
		{"Query", `{"TableName":"gsi","IndexName":"byG","ConsistentRead":true,"KeyConditionExpression":"g = :p",` + p + `}`,
			"ValidationException: Consistent reads are not supported on global secondary indexes"},
		{"Query", `{"TableName":"tbl","KeyConditionExpression":"pk = :p","ExclusiveStartKey":{"pk":{"S":"b"},"sk":{"N":"1"}},` + p + `}`,
			"ValidationException: The provided starting key is outside query boundaries based on provided conditions"},
		{"Query", `{"TableName":"tbl","KeyConditionExpression":"pk = :p","ExclusiveStartKey":{"pk":{"S":"a"}},` + p + `}`,
			"ValidationException: The provided starting key is invalid: The provided key element does not match the schema"},
		{"Query", `{"TableName":"tbl","KeyConditions":{"pk":{"ComparisonOperator":"NE","AttributeValueList":[{"S":"a"}]}}}`,
			"ValidationException: Attempted conditional constraint is not an indexable operation"},
		{"Query", `{"TableName":"nope","KeyConditionExpression":"pk = :p",` + p + `}`, "ResourceNotFoundException: Requested resource not found"},
		{"Scan", `{"TableName":"tbl","Segment":1}`, "ValidationException: The TotalSegments parameter is required but was not present in the request when Segment parameter is present"},
		{"Scan", `{"TableName":"tbl","TotalSegments":2}`, "ValidationException: The Segment parameter is required but was not present in the request when parameter TotalSegments is present"},
		{"Scan", `{"TableName":"tbl","Segment":2,"TotalSegments":2}`, "ValidationException: The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 2 is not less than TotalSegments: 2"},
		{"Scan", `{"TableName":"tbl","Segment":0,"TotalSegments":1000001}`,
			"ValidationException: 1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000"},
		{"Scan", `{"TableName":"tbl","Select":"SPECIFIC_ATTRIBUTES"}`, "ValidationException: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"},
		{"Scan", `{"TableName":"tbl","Select":"ALL_ATTRIBUTES","AttributesToGet":["n"]}`, "ValidationException: Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES"},
	})
}

func TestScanFilterAndLegacy(t *testing.T) {
	t.Parallel()
	setup := []step{putTbl("a", "1", "1"), putTbl("b", "1", "2"), putTbl("c", "1", "3")}
	runSteps(t, setup, []step{
		{"Scan", `{"TableName":"tbl","Select":"COUNT"}`, `{"Count":3,"ScannedCount":3}`},
		{"Scan", `{"TableName":"tbl","FilterExpression":"n >= :v","ExpressionAttributeValues":{":v":{"N":"2"}},"Select":"COUNT"}`, `{"Count":2,"ScannedCount":3}`},
		{"Scan", `{"TableName":"tbl","ScanFilter":{"n":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"2"}]}},"AttributesToGet":["pk"]}`, `{"Items":[{"pk":{"S":"b"}}],"Count":1,"ScannedCount":3}`},
		{"Scan", `{"TableName":"tbl","ScanFilter":{"n":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"2"}]},"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]}},"ConditionalOperator":"OR","Select":"COUNT"}`,
			`{"Count":2,"ScannedCount":3}`},
	})
}

// itoa formats n.
func itoa(n int) string { return strconv.Itoa(n) }
