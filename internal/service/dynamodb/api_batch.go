package dynamodb

import "github.com/fogbank/fogbank/internal/service/dynamodb/attr"

// This file holds the wire shapes of the batch and transaction operations
// (BatchGetItem, BatchWriteItem, TransactGetItems, TransactWriteItems).

// KeysAndAttributes is one table's part of a BatchGetItem request, and of
// its UnprocessedKeys.
type KeysAndAttributes struct {
	Keys                     []attr.Item       `json:"Keys"`
	ProjectionExpression     *string           `json:"ProjectionExpression,omitempty"`
	ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames,omitempty"`
	AttributesToGet          []string          `json:"AttributesToGet,omitempty"`
	ConsistentRead           *bool             `json:"ConsistentRead,omitempty"`
}

// BatchGetItemInput is BatchGetItem's request.
type BatchGetItemInput struct {
	RequestItems           map[string]KeysAndAttributes `json:"RequestItems"`
	ReturnConsumedCapacity string                       `json:"ReturnConsumedCapacity"`
}

// BatchGetItemOutput is BatchGetItem's response. Responses has an entry,
// possibly empty, for every requested table; UnprocessedKeys is always
// present.
type BatchGetItemOutput struct {
	Responses        map[string][]attr.Item       `json:"Responses"`
	UnprocessedKeys  map[string]KeysAndAttributes `json:"UnprocessedKeys"`
	ConsumedCapacity []ConsumedCapacity           `json:"ConsumedCapacity,omitempty"`
}

// PutRequest is a BatchWriteItem put.
type PutRequest struct {
	Item attr.Item `json:"Item"`
}

// DeleteRequest is a BatchWriteItem delete.
type DeleteRequest struct {
	Key attr.Item `json:"Key"`
}

// WriteRequest is one BatchWriteItem request: exactly one of its members is set.
type WriteRequest struct {
	PutRequest    *PutRequest    `json:"PutRequest,omitempty"`
	DeleteRequest *DeleteRequest `json:"DeleteRequest,omitempty"`
}

// BatchWriteItemInput is BatchWriteItem's request.
type BatchWriteItemInput struct {
	RequestItems                map[string][]WriteRequest `json:"RequestItems"`
	ReturnConsumedCapacity      string                    `json:"ReturnConsumedCapacity"`
	ReturnItemCollectionMetrics string                    `json:"ReturnItemCollectionMetrics"`
}

// BatchWriteItemOutput is BatchWriteItem's response; UnprocessedItems is
// always present.
type BatchWriteItemOutput struct {
	UnprocessedItems map[string][]WriteRequest `json:"UnprocessedItems"`
	ConsumedCapacity []ConsumedCapacity        `json:"ConsumedCapacity,omitempty"`
}

// transactCommon holds the members every TransactWriteItems action shares.
type transactCommon struct {
	TableName                           string                `json:"TableName"`
	ConditionExpression                 *string               `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string     `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           map[string]attr.Value `json:"ExpressionAttributeValues,omitempty"`
	ReturnValuesOnConditionCheckFailure string                `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

// ConditionCheck is a transaction action that only checks a condition.
type ConditionCheck struct {
	transactCommon
	Key attr.Item `json:"Key"`
}

// TransactPut is a transaction action that writes a whole item.
type TransactPut struct {
	transactCommon
	Item attr.Item `json:"Item"`
}

// TransactDelete is a transaction action that deletes an item.
type TransactDelete struct {
	transactCommon
	Key attr.Item `json:"Key"`
}

// TransactUpdate is a transaction action that updates an item.
type TransactUpdate struct {
	transactCommon
	Key              attr.Item `json:"Key"`
	UpdateExpression *string   `json:"UpdateExpression,omitempty"`
}

// TransactWriteItem is one TransactWriteItems action: exactly one of its
// members is set.
type TransactWriteItem struct {
	ConditionCheck *ConditionCheck `json:"ConditionCheck,omitempty"`
	Put            *TransactPut    `json:"Put,omitempty"`
	Delete         *TransactDelete `json:"Delete,omitempty"`
	Update         *TransactUpdate `json:"Update,omitempty"`
}

// TransactWriteItemsInput is TransactWriteItems' request.
type TransactWriteItemsInput struct {
	TransactItems               []TransactWriteItem `json:"TransactItems"`
	ClientRequestToken          *string             `json:"ClientRequestToken"`
	ReturnConsumedCapacity      string              `json:"ReturnConsumedCapacity"`
	ReturnItemCollectionMetrics string              `json:"ReturnItemCollectionMetrics"`
}

// TransactWriteItemsOutput is TransactWriteItems' response.
type TransactWriteItemsOutput struct {
	ConsumedCapacity []ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// CancellationReason says why (or whether) one action of a cancelled
// transaction failed.
type CancellationReason struct {
	Code    string    `json:"Code"`
	Message string    `json:"Message,omitempty"`
	Item    attr.Item `json:"Item,omitzero"`
}

// Get is a TransactGetItems read.
type Get struct {
	TableName                string            `json:"TableName"`
	Key                      attr.Item         `json:"Key"`
	ProjectionExpression     *string           `json:"ProjectionExpression"`
	ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames"`
}

// TransactGetItem is one TransactGetItems action.
type TransactGetItem struct {
	Get *Get `json:"Get"`
}

// TransactGetItemsInput is TransactGetItems' request.
type TransactGetItemsInput struct {
	TransactItems          []TransactGetItem `json:"TransactItems"`
	ReturnConsumedCapacity string            `json:"ReturnConsumedCapacity"`
}

// ItemResponse is one TransactGetItems result: empty when the item does not exist.
type ItemResponse struct {
	Item attr.Item `json:"Item,omitzero"`
}

// TransactGetItemsOutput is TransactGetItems' response, in request order.
type TransactGetItemsOutput struct {
	Responses        []ItemResponse     `json:"Responses"`
	ConsumedCapacity []ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}
