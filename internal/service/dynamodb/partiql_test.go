package dynamodb_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ignorePartiQL ignores the SDK's unexported markers in PartiQL results.
var ignorePartiQL = cmp.Options{ignoreSDK, cmpopts.IgnoreUnexported(
	types.AttributeValueMemberNS{}, types.BatchStatementResponse{}, types.BatchStatementError{},
	types.CancellationReason{}, types.ItemResponse{},
)}

// s and n build attribute values.
func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func n(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }

// exec runs one statement and fails the test on error.
func exec(t *testing.T, ddb *dynamodb.Client, stmt string, params ...types.AttributeValue) *dynamodb.ExecuteStatementOutput {
	t.Helper()
	out, err := ddb.ExecuteStatement(t.Context(), &dynamodb.ExecuteStatementInput{Statement: aws.String(stmt), Parameters: params})
	if err != nil {
		t.Fatalf("ExecuteStatement(%s): %v", stmt, err)
	}
	return out
}

// getItem returns the item (pk, sk), nil when absent.
func getItem(t *testing.T, ddb *dynamodb.Client, pk, sk string) map[string]types.AttributeValue {
	t.Helper()
	out, err := ddb.GetItem(t.Context(), &dynamodb.GetItemInput{TableName: aws.String("items"), Key: key(pk, sk)})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	return out.Item
}

func TestSDKExecuteStatementWrites(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	exec(t, ddb, `INSERT INTO "items" VALUE {'pk': ?, 'sk': ?, 'n': 1, 'tags': <<'a', 'b'>>, 'm': {'x': [true, null]}}`, s("a"), n("1"))
	want := map[string]types.AttributeValue{
		"pk": s("a"), "sk": n("1"), "n": n("1"), "tags": &types.AttributeValueMemberSS{Value: []string{"a", "b"}},
		"m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"x": &types.AttributeValueMemberL{Value: []types.AttributeValue{
			&types.AttributeValueMemberBOOL{Value: true}, &types.AttributeValueMemberNULL{Value: true},
		}}}},
	}
	if diff := cmp.Diff(want, getItem(t, ddb, "a", "1"), ignorePartiQL, cmpopts.IgnoreUnexported(types.AttributeValueMemberNULL{}, types.AttributeValueMemberSS{})); diff != "" {
		t.Errorf("item after INSERT (-want +got):\n%s", diff)
	}

	exec(t, ddb, `UPDATE items SET n = n + 1, "new" = ? REMOVE tags, m WHERE pk = ? AND sk = 1`, s("x"), s("a"))
	want = map[string]types.AttributeValue{"pk": s("a"), "sk": n("1"), "n": n("2"), "new": s("x")}
	if diff := cmp.Diff(want, getItem(t, ddb, "a", "1"), ignorePartiQL); diff != "" {
		t.Errorf("item after UPDATE (-want +got):\n%s", diff)
	}

	exec(t, ddb, `DELETE FROM items WHERE pk = 'a' AND sk = 1 AND n = 2`)
	if got := getItem(t, ddb, "a", "1"); got != nil {
		t.Errorf("item after DELETE = %v, want none", got)
	}
	exec(t, ddb, `DELETE FROM items WHERE pk = 'a' AND sk = 1 AND n = 2`) // a missing item is no error
}

func TestSDKExecuteStatementSelect(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	for _, sk := range []string{"1", "2", "3", "4", "5"} {
		exec(t, ddb, `INSERT INTO items VALUE {'pk': 'p', 'sk': ?, 'v': ?}`, n(sk), s("v"+sk))
	}
	exec(t, ddb, `INSERT INTO items VALUE {'pk': 'q', 'sk': 1, 'v': 'other'}`)
	for _, tc := range []struct {
		name   string
		stmt   string
		params []types.AttributeValue
		want   []string // the v attribute of each item, in order
	}{
		{"point read", `SELECT * FROM items WHERE pk = ? AND sk = ?`, []types.AttributeValue{s("p"), n("2")}, []string{"v2"}},
		{"partition", `SELECT v FROM "items" WHERE "pk" = 'p'`, nil, []string{"v1", "v2", "v3", "v4", "v5"}},
		{"sort key range", `SELECT v FROM items WHERE pk = 'p' AND sk > 3`, nil, []string{"v4", "v5"}},
		{"between and filter", `SELECT v FROM items WHERE pk = 'p' AND sk BETWEEN 2 AND 4 AND v <> 'v3'`, nil, []string{"v2", "v4"}},
		{"scan with filter", `SELECT v FROM items WHERE begins_with(v, 'v') AND sk >= 5`, nil, []string{"v5"}},
		{"scan on key", `SELECT v FROM items WHERE pk IN ['q']`, nil, []string{"other"}},
		{"no match", `SELECT * FROM items WHERE pk = 'zz'`, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := exec(t, ddb, tc.stmt, tc.params...)
			var got []string
			for _, it := range out.Items {
				got = append(got, it["v"].(*types.AttributeValueMemberS).Value)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.stmt, diff)
			}
		})
	}
}

func TestSDKExecuteStatementPaging(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	for _, sk := range []string{"1", "2", "3", "4", "5"} {
		exec(t, ddb, `INSERT INTO items VALUE {'pk': 'p', 'sk': ?}`, n(sk))
	}
	var got []string
	var token *string
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatalf("more than 5 pages")
		}
		out, err := ddb.ExecuteStatement(t.Context(), &dynamodb.ExecuteStatementInput{
			Statement: aws.String(`SELECT sk FROM items WHERE pk = 'p'`), Limit: aws.Int32(2), NextToken: token,
		})
		if err != nil {
			t.Fatalf("ExecuteStatement: %v", err)
		}
		for _, it := range out.Items {
			got = append(got, it["sk"].(*types.AttributeValueMemberN).Value)
		}
		if out.NextToken == nil {
			break
		}
		token = out.NextToken
	}
	if diff := cmp.Diff([]string{"1", "2", "3", "4", "5"}, got); diff != "" {
		t.Errorf("paged SELECT (-want +got):\n%s", diff)
	}
}

func TestSDKExecuteStatementErrors(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	exec(t, ddb, `INSERT INTO items VALUE {'pk': 'a', 'sk': 1, 'n': 5}`)
	for _, tc := range []struct {
		name      string
		stmt      string
		params    []types.AttributeValue
		code, msg string
	}{
		{"not DML", `CREATE TABLE x`, nil, "ValidationException", "Statement wasn't well formed, can't be processed: Expected data manipulation"},
		{"syntax", `SELECT * FROM items WHERE`, nil, "ValidationException", "Statement wasn't well formed, can't be processed: Unexpected end of statement"},
		{"missing parameter", `SELECT * FROM items WHERE pk = ?`, nil, "ValidationException", "Number of parameters in request and statement don't match."},
		{"unknown table", `SELECT * FROM nope WHERE pk = 'a'`, nil, "ResourceNotFoundException", "Requested resource not found"},
		{"duplicate insert", `INSERT INTO items VALUE {'pk': 'a', 'sk': 1}`, nil, "DuplicateItemException", "Duplicate primary key exists in table"},
		{"insert without key", `INSERT INTO items VALUE {'pk': 'a'}`, nil, "ValidationException", "One or more parameter values were invalid: Missing the key sk in the item"},
		{"insert not a map", `INSERT INTO items VALUE ?`, []types.AttributeValue{s("x")}, "ValidationException",
			"Unsupported format in item expression. Please use struct format {...} to express item values for insert statement."},
		{"update failed condition", `UPDATE items SET n = 1 WHERE pk = 'a' AND sk = 1 AND n > 10`, nil, "ConditionalCheckFailedException", "The conditional request failed"},
		{"update missing item", `UPDATE items SET n = 1 WHERE pk = 'b' AND sk = 1`, nil, "ConditionalCheckFailedException", "The conditional request failed"},
		{"update partial key", `UPDATE items SET n = 1 WHERE pk = 'a'`, nil, "ValidationException", "Where clause does not contain a mandatory equality on all key attributes"},
		{"update key attribute", `UPDATE items SET sk = 2 WHERE pk = 'a' AND sk = 1`, nil, "ValidationException",
			"One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key"},
		{"delete without where", `DELETE FROM items`, nil, "ValidationException", "Where clause does not contain a mandatory equality on all key attributes"},
		{"delete failed condition", `DELETE FROM items WHERE pk = 'a' AND sk = 1 AND n = 4`, nil, "ConditionalCheckFailedException", "The conditional request failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ddb.ExecuteStatement(t.Context(), &dynamodb.ExecuteStatementInput{Statement: aws.String(tc.stmt), Parameters: tc.params})
			apiError(t, tc.stmt, err, tc.code, tc.msg)
		})
	}
}

func TestSDKExecuteStatementConditionItem(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	exec(t, ddb, `INSERT INTO items VALUE {'pk': 'a', 'sk': 1, 'n': 5}`)
	_, err := ddb.ExecuteStatement(t.Context(), &dynamodb.ExecuteStatementInput{
		Statement:                           aws.String(`UPDATE items SET n = 6 WHERE pk = 'a' AND sk = 1 AND n = 4`),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		t.Fatalf("ExecuteStatement: err = %v, want ConditionalCheckFailedException", err)
	}
	want := map[string]types.AttributeValue{"pk": s("a"), "sk": n("1"), "n": n("5")}
	if diff := cmp.Diff(want, ccf.Item, ignorePartiQL); diff != "" {
		t.Errorf("ConditionalCheckFailedException.Item (-want +got):\n%s", diff)
	}
}

func TestSDKBatchExecuteStatement(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	exec(t, ddb, `INSERT INTO items VALUE {'pk': 'a', 'sk': 1, 'n': 5}`)
	out, err := ddb.BatchExecuteStatement(t.Context(), &dynamodb.BatchExecuteStatementInput{Statements: []types.BatchStatementRequest{
		{Statement: aws.String(`INSERT INTO items VALUE {'pk': ?, 'sk': 2}`), Parameters: []types.AttributeValue{s("b")}},
		{Statement: aws.String(`INSERT INTO items VALUE {'pk': 'a', 'sk': 1}`)},
		{Statement: aws.String(`UPDATE items SET n = 6 WHERE pk = 'a' AND sk = 1 AND n = 4`), ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld},
		{Statement: aws.String(`UPDATE items SET n = 7 WHERE pk = 'a' AND sk = 1`)},
		{Statement: aws.String(`DELETE items`)},
		{Statement: aws.String(`DELETE FROM nope WHERE pk = 'a' AND sk = 1`)},
	}})
	if err != nil {
		t.Fatalf("BatchExecuteStatement: %v", err)
	}
	want := []types.BatchStatementResponse{
		{TableName: aws.String("items")},
		{TableName: aws.String("items"), Error: &types.BatchStatementError{Code: types.BatchStatementErrorCodeEnumDuplicateItem, Message: aws.String("Duplicate primary key exists in table")}},
		{TableName: aws.String("items"), Error: &types.BatchStatementError{Code: types.BatchStatementErrorCodeEnumConditionalCheckFailed, Message: aws.String("The conditional request failed"),
			Item: map[string]types.AttributeValue{"pk": s("a"), "sk": n("1"), "n": n("5")}}},
		{TableName: aws.String("items")},
		{Error: &types.BatchStatementError{Code: types.BatchStatementErrorCodeEnumValidationError, Message: aws.String("Statement wasn't well formed, can't be processed: Unexpected token: items")}},
		{TableName: aws.String("nope"), Error: &types.BatchStatementError{Code: types.BatchStatementErrorCodeEnumResourceNotFound, Message: aws.String("Requested resource not found")}},
	}
	if diff := cmp.Diff(want, out.Responses, ignorePartiQL); diff != "" {
		t.Errorf("BatchExecuteStatement responses (-want +got):\n%s", diff)
	}

	reads, err := ddb.BatchExecuteStatement(t.Context(), &dynamodb.BatchExecuteStatementInput{Statements: []types.BatchStatementRequest{
		{Statement: aws.String(`SELECT n FROM items WHERE pk = 'a' AND sk = 1`)},
		{Statement: aws.String(`SELECT * FROM items WHERE pk = 'zz' AND sk = 1`)},
		{Statement: aws.String(`SELECT * FROM items WHERE pk = 'a'`)},
	}})
	if err != nil {
		t.Fatalf("BatchExecuteStatement reads: %v", err)
	}
	want = []types.BatchStatementResponse{
		{TableName: aws.String("items"), Item: map[string]types.AttributeValue{"n": n("7")}},
		{TableName: aws.String("items")},
		{Error: &types.BatchStatementError{Code: types.BatchStatementErrorCodeEnumValidationError,
			Message: aws.String("Select statements within BatchExecuteStatement must specify the primary key in the where clause.")}},
	}
	if diff := cmp.Diff(want, reads.Responses, ignorePartiQL); diff != "" {
		t.Errorf("BatchExecuteStatement reads (-want +got):\n%s", diff)
	}

	_, err = ddb.BatchExecuteStatement(t.Context(), &dynamodb.BatchExecuteStatementInput{Statements: []types.BatchStatementRequest{
		{Statement: aws.String(`SELECT * FROM items WHERE pk = 'a' AND sk = 1`)},
		{Statement: aws.String(`DELETE FROM items WHERE pk = 'a' AND sk = 1`)},
	}})
	apiError(t, "mixed batch", err, "ValidationException", "Read and write requests together in the same batch is not supported.")
}

func TestSDKExecuteTransaction(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	exec(t, ddb, `INSERT INTO items VALUE {'pk': 'a', 'sk': 1, 'n': 5}`)
	stmts := func(cond string) []types.ParameterizedStatement {
		return []types.ParameterizedStatement{
			{Statement: aws.String(`INSERT INTO items VALUE {'pk': 'b', 'sk': 1}`)},
			{Statement: aws.String(`UPDATE items SET n = n - 1 WHERE pk = 'a' AND sk = 1 AND n = ?`), Parameters: []types.AttributeValue{n(cond)}},
		}
	}
	_, err := ddb.ExecuteTransaction(t.Context(), &dynamodb.ExecuteTransactionInput{TransactStatements: stmts("4")})
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		t.Fatalf("ExecuteTransaction: err = %v, want TransactionCanceledException", err)
	}
	if want := "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]"; tce.ErrorMessage() != want {
		t.Errorf("message = %q, want %q", tce.ErrorMessage(), want)
	}
	wantReasons := []types.CancellationReason{{Code: aws.String("None")}, {Code: aws.String("ConditionalCheckFailed"), Message: aws.String("The conditional request failed")}}
	if diff := cmp.Diff(wantReasons, tce.CancellationReasons, ignorePartiQL); diff != "" {
		t.Errorf("CancellationReasons (-want +got):\n%s", diff)
	}
	if got := getItem(t, ddb, "b", "1"); got != nil {
		t.Errorf("cancelled transaction inserted %v", got)
	}

	if _, err := ddb.ExecuteTransaction(t.Context(), &dynamodb.ExecuteTransactionInput{TransactStatements: stmts("5"), ClientRequestToken: aws.String("tok")}); err != nil {
		t.Fatalf("ExecuteTransaction: %v", err)
	}
	// The same token replays without writing again.
	if _, err := ddb.ExecuteTransaction(t.Context(), &dynamodb.ExecuteTransactionInput{TransactStatements: stmts("5"), ClientRequestToken: aws.String("tok")}); err != nil {
		t.Fatalf("ExecuteTransaction replay: %v", err)
	}
	reads, err := ddb.ExecuteTransaction(t.Context(), &dynamodb.ExecuteTransactionInput{TransactStatements: []types.ParameterizedStatement{
		{Statement: aws.String(`SELECT n FROM items WHERE pk = 'a' AND sk = 1`)},
		{Statement: aws.String(`SELECT * FROM items WHERE pk = 'b' AND sk = 1`)},
		{Statement: aws.String(`SELECT * FROM items WHERE pk = 'c' AND sk = 1`)},
	}})
	if err != nil {
		t.Fatalf("ExecuteTransaction reads: %v", err)
	}
	want := []types.ItemResponse{{Item: map[string]types.AttributeValue{"n": n("4")}}, {Item: key("b", "1")}, {}}
	if diff := cmp.Diff(want, reads.Responses, ignorePartiQL); diff != "" {
		t.Errorf("read transaction (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		name  string
		stmts []types.ParameterizedStatement
		msg   string
	}{
		{"same item twice", []types.ParameterizedStatement{
			{Statement: aws.String(`UPDATE items SET n = 1 WHERE pk = 'a' AND sk = 1`)},
			{Statement: aws.String(`DELETE FROM items WHERE pk = 'a' AND sk = 1`)},
		}, "Transaction request cannot include multiple operations on one item"},
		{"mixed", []types.ParameterizedStatement{
			{Statement: aws.String(`SELECT * FROM items WHERE pk = 'a' AND sk = 1`)},
			{Statement: aws.String(`DELETE FROM items WHERE pk = 'b' AND sk = 1`)},
		}, "ExecuteTransaction API does not support both read and write operations in the same request."},
	} {
		_, err := ddb.ExecuteTransaction(t.Context(), &dynamodb.ExecuteTransactionInput{TransactStatements: tc.stmts})
		apiError(t, tc.name, err, "ValidationException", tc.msg)
	}
}
