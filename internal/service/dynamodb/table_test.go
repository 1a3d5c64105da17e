package dynamodb

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tableIDPattern matches generated table ids, which tests normalise.
var tableIDPattern = regexp.MustCompile(`"TableId":"[0-9a-f-]{36}"`)

func TestControlPlane(t *testing.T) {
	t.Parallel()
	const (
		inv   = "ValidationException: One or more parameter values were invalid: "
		keys  = `"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]`
		defs  = `"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]`
		odm   = `"BillingMode":"PAY_PER_REQUEST"`
		descr = `{"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],` +
			`"TableStatus":"%s","CreationDateTime":1735787045,"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},` +
			`"TableSizeBytes":%s,"ItemCount":%s,"TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tbl","TableId":"ID",` +
			`"BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST","LastUpdateToPayPerRequestDateTime":1735787045},"TableClassSummary":{"TableClass":"STANDARD"},"DeletionProtectionEnabled":%s}`
	)
	desc := func(status, size, count, protected string) string {
		out := descr
		for _, v := range []string{status, size, count, protected} {
			out = strings.Replace(out, "%s", v, 1)
		}
		return out
	}
	create := `{"TableName":"tbl",` + keys + `,` + defs + `,` + odm + `}`
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"lifecycle", []step{
			{"CreateTable", create, `{"TableDescription":` + desc("CREATING", "0", "0", "false") + `}`},
			{"CreateTable", create, "ResourceInUseException: Table already exists: tbl"},
			{"PutItem", `{"TableName":"tbl","Item":{"pk":{"S":"a"},"v":{"S":"xyz"}}}`, `{}`},
			{"DescribeTable", `{"TableName":"tbl"}`, `{"Table":` + desc("ACTIVE", "7", "1", "false") + `}`},
			{"UpdateTable", `{"TableName":"tbl","DeletionProtectionEnabled":true}`, `{"TableDescription":` + desc("ACTIVE", "7", "1", "true") + `}`},
			{"DeleteTable", `{"TableName":"tbl"}`, "ValidationException: " + msgDeletionProtected},
			{"UpdateTable", `{"TableName":"tbl","DeletionProtectionEnabled":false}`, `{"TableDescription":` + desc("ACTIVE", "7", "1", "false") + `}`},
			{"DeleteTable", `{"TableName":"tbl"}`, `{"TableDescription":` + desc("DELETING", "7", "1", "false") + `}`},
			{"DescribeTable", `{"TableName":"tbl"}`, "ResourceNotFoundException: Requested resource not found: Table: tbl not found"},
			{"CreateTable", create, `{"TableDescription":` + desc("CREATING", "0", "0", "false") + `}`},
			{"GetItem", `{"TableName":"tbl","Key":{"pk":{"S":"a"}}}`, `{}`},
		}},
		{"list tables", []step{
			{"CreateTable", strings.Replace(create, "tbl", "ccc", 1), ""},
			{"CreateTable", strings.Replace(create, "tbl", "aaa", 1), ""},
			{"CreateTable", strings.Replace(create, "tbl", "bbb", 1), ""},
			{"ListTables", `{}`, `{"TableNames":["aaa","bbb","ccc"]}`},
			{"ListTables", `{"Limit":2}`, `{"TableNames":["aaa","bbb"],"LastEvaluatedTableName":"bbb"}`},
			{"ListTables", `{"Limit":2,"ExclusiveStartTableName":"bbb"}`, `{"TableNames":["ccc"]}`},
			{"ListTables", `{"Limit":0}`, "ValidationException: 1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		}},
		{"tags", []step{
			{"CreateTable", create, ""},
			{"TagResource", `{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tbl","Tags":[{"Key":"a","Value":"1"},{"Key":"b","Value":"2"}]}`, `{}`},
			{"TagResource", `{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tbl","Tags":[{"Key":"a","Value":"3"}]}`, `{}`},
			{"UntagResource", `{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tbl","TagKeys":["b"]}`, `{}`},
			{"ListTagsOfResource", `{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tbl"}`, `{"Tags":[{"Key":"a","Value":"3"}]}`},
			{"ListTagsOfResource", `{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/nope"}`, "ResourceNotFoundException: Requested resource not found: ResourcArn: arn:aws:dynamodb:us-east-1:000000000000:table/nope not found"},
			{"TagResource", `{"ResourceArn":"bad","Tags":[{"Key":"a","Value":"1"}]}`, "ValidationException: Invalid TableArn: Invalid ResourceArn provided as input bad"},
			{"TagResource", `{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tbl","Tags":[]}`, "ValidationException: Atleast one Tag needs to be provided as Input."},
		}},
		{"limits and endpoints", []step{
			{"DescribeLimits", `{}`, `{"AccountMaxReadCapacityUnits":80000,"AccountMaxWriteCapacityUnits":80000,"TableMaxReadCapacityUnits":40000,"TableMaxWriteCapacityUnits":40000}`},
			{"DescribeEndpoints", `{}`, `{"Endpoints":[{"Address":"dynamodb.us-east-1.amazonaws.com","CachePeriodInMinutes":1440}]}`},
		}},
		{"billing switch", []step{
			{"CreateTable", `{"TableName":"tbl",` + keys + `,` + defs + `,"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}}`, ""},
			{"UpdateTable", `{"TableName":"tbl","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}}`,
				"ValidationException: The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."},
			{"UpdateTable", `{"TableName":"tbl","BillingMode":"PAY_PER_REQUEST","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}}`,
				inv + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"},
			{"UpdateTable", `{"TableName":"tbl"}`, "ValidationException: At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required"},
			{"UpdateTable", `{"TableName":"nope","BillingMode":"PAY_PER_REQUEST"}`, "ResourceNotFoundException: Requested resource not found: Table: nope not found"},
		}},
		{"create validation", []step{
			{"CreateTable", `{"TableName":"x",` + keys + `,` + defs + `,` + odm + `}`,
				"ValidationException: 1 validation error detected: Value 'x' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"},
			{"CreateTable", `{"TableName":"a b!",` + keys + `,` + defs + `,` + odm + `}`,
				"ValidationException: 1 validation error detected: Value 'a b!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"},
			{"CreateTable", `{"TableName":"tbl",` + keys + `,"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"x","AttributeType":"S"}],` + odm + `}`,
				inv + "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions"},
			{"CreateTable", `{"TableName":"tbl",` + keys + `,"AttributeDefinitions":[{"AttributeName":"x","AttributeType":"S"}],` + odm + `}`,
				inv + "Some index key attributes are not defined in AttributeDefinitions. Keys: [pk], AttributeDefinitions: [x]"},
			{"CreateTable", `{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"RANGE"}],` + defs + `,` + odm + `}`,
				"ValidationException: Invalid KeySchema: The first KeySchemaElement is not a HASH key type"},
			{"CreateTable", `{"TableName":"tbl",` + keys + `,"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"X"}],` + odm + `}`,
				"ValidationException: 1 validation error detected: Value 'X' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]"},
			{"CreateTable", `{"TableName":"tbl",` + keys + `,` + defs + `}`,
				inv + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"},
			{"CreateTable", `{"TableName":"tbl",` + keys + `,` + defs + `,` + odm + `,"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}`,
				inv + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"},
			{"CreateTable", `{"TableName":"tbl",` + keys + `,"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"},{"AttributeName":"u","AttributeType":"S"}],` + odm +
				`,"GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`,
				inv + "Some AttributeDefinitions are not used. AttributeDefinitions: [pk, g, u], keys used: [g, pk]"},
			{"CreateTable", `{"TableName":"tbl",` + keys + `,` + defs + `,` + odm + `,"LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`,
				inv + "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newTestService(t)
			for _, st := range tc.steps {
				got := tableIDPattern.ReplaceAllString(call(t, s, st.op, st.body), `"TableId":"ID"`)
				if st.want == "" {
					continue
				}
				if diff := cmp.Diff(st.want, got); diff != "" {
					t.Errorf("%s(%s) mismatch (-want +got):\n%s", st.op, st.body, diff)
				}
			}
		})
	}
}
