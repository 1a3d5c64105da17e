package dynamodb

import "github.com/fogbank/fogbank/internal/service/dynamodb/attr"

// ExecuteStatementInput is ExecuteStatement's request.
type ExecuteStatementInput struct {
	Statement                           string       `json:"Statement"`
	Parameters                          []attr.Value `json:"Parameters"`
	ConsistentRead                      bool         `json:"ConsistentRead"`
	NextToken                           *string      `json:"NextToken"`
	Limit                               *int64       `json:"Limit"`
	ReturnConsumedCapacity              string       `json:"ReturnConsumedCapacity"`
	ReturnValuesOnConditionCheckFailure string       `json:"ReturnValuesOnConditionCheckFailure"`
}

// ExecuteStatementOutput is ExecuteStatement's response.
type ExecuteStatementOutput struct {
	Items            []attr.Item       `json:"Items"`
	NextToken        string            `json:"NextToken,omitempty"`
	LastEvaluatedKey attr.Item         `json:"LastEvaluatedKey,omitzero"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// BatchStatementRequest is one statement of a BatchExecuteStatement.
type BatchStatementRequest struct {
	Statement                           string       `json:"Statement"`
	Parameters                          []attr.Value `json:"Parameters"`
	ConsistentRead                      bool         `json:"ConsistentRead"`
	ReturnValuesOnConditionCheckFailure string       `json:"ReturnValuesOnConditionCheckFailure"`
}

// BatchExecuteStatementInput is BatchExecuteStatement's request.
type BatchExecuteStatementInput struct {
	Statements             []BatchStatementRequest `json:"Statements"`
	ReturnConsumedCapacity string                  `json:"ReturnConsumedCapacity"`
}

// BatchStatementError is why one statement of a batch failed.
type BatchStatementError struct {
	Code    string    `json:"Code"`
	Message string    `json:"Message,omitempty"`
	Item    attr.Item `json:"Item,omitzero"`
}

// BatchStatementResponse is the result of one statement of a batch.
type BatchStatementResponse struct {
	Error     *BatchStatementError `json:"Error,omitempty"`
	TableName string               `json:"TableName,omitempty"`
	Item      attr.Item            `json:"Item,omitzero"`
}

// BatchExecuteStatementOutput is BatchExecuteStatement's response.
type BatchExecuteStatementOutput struct {
	Responses        []BatchStatementResponse `json:"Responses"`
	ConsumedCapacity []ConsumedCapacity       `json:"ConsumedCapacity,omitempty"`
}

// ParameterizedStatement is one statement of an ExecuteTransaction.
type ParameterizedStatement struct {
	Statement                           string       `json:"Statement"`
	Parameters                          []attr.Value `json:"Parameters"`
	ReturnValuesOnConditionCheckFailure string       `json:"ReturnValuesOnConditionCheckFailure"`
}

// ExecuteTransactionInput is ExecuteTransaction's request.
type ExecuteTransactionInput struct {
	TransactStatements     []ParameterizedStatement `json:"TransactStatements"`
	ClientRequestToken     *string                  `json:"ClientRequestToken"`
	ReturnConsumedCapacity string                   `json:"ReturnConsumedCapacity"`
}

// ExecuteTransactionOutput is ExecuteTransaction's response; Responses
// holds a read transaction's items (ItemResponse is TransactGetItems').
type ExecuteTransactionOutput struct {
	Responses        []ItemResponse     `json:"Responses,omitempty"`
	ConsumedCapacity []ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}
