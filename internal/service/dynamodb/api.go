package dynamodb

import "github.com/fogbank/fogbank/internal/service/dynamodb/attr"

// This file holds the wire shapes of the operations: Go structs whose JSON
// member names are exactly AWS's. Optional members are pointers or carry
// omitempty/omitzero so that absent members stay absent on the wire.

// KeySchemaElement is one attribute of a primary or index key.
type KeySchemaElement struct {
	AttributeName string `json:"AttributeName"`
	KeyType       string `json:"KeyType"`
}

// AttributeDefinition declares the type (S, N or B) of a key attribute.
type AttributeDefinition struct {
	AttributeName string `json:"AttributeName"`
	AttributeType string `json:"AttributeType"`
}

// ProvisionedThroughput is the requested capacity of a table or index.
type ProvisionedThroughput struct {
	ReadCapacityUnits  *int64 `json:"ReadCapacityUnits,omitempty"`
	WriteCapacityUnits *int64 `json:"WriteCapacityUnits,omitempty"`
}

// ProvisionedThroughputDescription is the capacity as DescribeTable shows it.
type ProvisionedThroughputDescription struct {
	LastIncreaseDateTime   *float64 `json:"LastIncreaseDateTime,omitempty"`
	LastDecreaseDateTime   *float64 `json:"LastDecreaseDateTime,omitempty"`
	NumberOfDecreasesToday int64    `json:"NumberOfDecreasesToday"`
	ReadCapacityUnits      int64    `json:"ReadCapacityUnits"`
	WriteCapacityUnits     int64    `json:"WriteCapacityUnits"`
}

// Projection says which attributes an index copies.
type Projection struct {
	ProjectionType   string   `json:"ProjectionType,omitempty"`
	NonKeyAttributes []string `json:"NonKeyAttributes,omitempty"`
}

// OnDemandThroughput caps an on-demand table's request units.
type OnDemandThroughput struct {
	MaxReadRequestUnits  *int64 `json:"MaxReadRequestUnits,omitempty"`
	MaxWriteRequestUnits *int64 `json:"MaxWriteRequestUnits,omitempty"`
}

// GlobalSecondaryIndex is a GSI in a CreateTable request.
type GlobalSecondaryIndex struct {
	IndexName             string                 `json:"IndexName"`
	KeySchema             []KeySchemaElement     `json:"KeySchema"`
	Projection            *Projection            `json:"Projection"`
	ProvisionedThroughput *ProvisionedThroughput `json:"ProvisionedThroughput,omitempty"`
	OnDemandThroughput    *OnDemandThroughput    `json:"OnDemandThroughput,omitempty"`
}

// LocalSecondaryIndex is an LSI in a CreateTable request.
type LocalSecondaryIndex struct {
	IndexName  string             `json:"IndexName"`
	KeySchema  []KeySchemaElement `json:"KeySchema"`
	Projection *Projection        `json:"Projection"`
}

// GlobalSecondaryIndexDescription is a GSI as DescribeTable shows it.
type GlobalSecondaryIndexDescription struct {
	IndexName             string                            `json:"IndexName"`
	KeySchema             []KeySchemaElement                `json:"KeySchema"`
	Projection            *Projection                       `json:"Projection,omitempty"`
	IndexStatus           string                            `json:"IndexStatus"`
	Backfilling           *bool                             `json:"Backfilling,omitempty"`
	ProvisionedThroughput *ProvisionedThroughputDescription `json:"ProvisionedThroughput,omitempty"`
	OnDemandThroughput    *OnDemandThroughput               `json:"OnDemandThroughput,omitempty"`
	IndexSizeBytes        int64                             `json:"IndexSizeBytes"`
	ItemCount             int64                             `json:"ItemCount"`
	IndexArn              string                            `json:"IndexArn"`
}

// LocalSecondaryIndexDescription is an LSI as DescribeTable shows it.
type LocalSecondaryIndexDescription struct {
	IndexName      string             `json:"IndexName"`
	KeySchema      []KeySchemaElement `json:"KeySchema"`
	Projection     *Projection        `json:"Projection,omitempty"`
	IndexSizeBytes int64              `json:"IndexSizeBytes"`
	ItemCount      int64              `json:"ItemCount"`
	IndexArn       string             `json:"IndexArn"`
}

// StreamSpecification enables a table's stream.
type StreamSpecification struct {
	StreamEnabled  bool   `json:"StreamEnabled"`
	StreamViewType string `json:"StreamViewType,omitempty"`
}

// SSESpecification requests server-side encryption settings.
type SSESpecification struct {
	Enabled        *bool  `json:"Enabled,omitempty"`
	SSEType        string `json:"SSEType,omitempty"`
	KMSMasterKeyID string `json:"KMSMasterKeyId,omitempty"`
}

// SSEDescription is the encryption state DescribeTable shows.
type SSEDescription struct {
	Status          string `json:"Status,omitempty"`
	SSEType         string `json:"SSEType,omitempty"`
	KMSMasterKeyArn string `json:"KMSMasterKeyArn,omitempty"`
}

// BillingModeSummary is the billing mode DescribeTable shows.
type BillingModeSummary struct {
	BillingMode                       string   `json:"BillingMode"`
	LastUpdateToPayPerRequestDateTime *float64 `json:"LastUpdateToPayPerRequestDateTime,omitempty"`
}

// TableClassSummary is the table class DescribeTable shows.
type TableClassSummary struct {
	TableClass         string   `json:"TableClass"`
	LastUpdateDateTime *float64 `json:"LastUpdateDateTime,omitempty"`
}

// Tag is one resource tag.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// TableDescription is the table as DescribeTable (and the other control-plane
// operations) return it.
type TableDescription struct {
	AttributeDefinitions      []AttributeDefinition             `json:"AttributeDefinitions"`
	TableName                 string                            `json:"TableName"`
	KeySchema                 []KeySchemaElement                `json:"KeySchema"`
	TableStatus               string                            `json:"TableStatus"`
	CreationDateTime          float64                           `json:"CreationDateTime"`
	ProvisionedThroughput     *ProvisionedThroughputDescription `json:"ProvisionedThroughput,omitempty"`
	TableSizeBytes            int64                             `json:"TableSizeBytes"`
	ItemCount                 int64                             `json:"ItemCount"`
	TableArn                  string                            `json:"TableArn"`
	TableID                   string                            `json:"TableId"`
	BillingModeSummary        *BillingModeSummary               `json:"BillingModeSummary,omitempty"`
	LocalSecondaryIndexes     []LocalSecondaryIndexDescription  `json:"LocalSecondaryIndexes,omitempty"`
	GlobalSecondaryIndexes    []GlobalSecondaryIndexDescription `json:"GlobalSecondaryIndexes,omitempty"`
	StreamSpecification       *StreamSpecification              `json:"StreamSpecification,omitempty"`
	LatestStreamLabel         string                            `json:"LatestStreamLabel,omitempty"`
	LatestStreamArn           string                            `json:"LatestStreamArn,omitempty"`
	SSEDescription            *SSEDescription                   `json:"SSEDescription,omitempty"`
	TableClassSummary         *TableClassSummary                `json:"TableClassSummary,omitempty"`
	DeletionProtectionEnabled bool                              `json:"DeletionProtectionEnabled"`
	OnDemandThroughput        *OnDemandThroughput               `json:"OnDemandThroughput,omitempty"`
}

// CreateTableInput is CreateTable's request.
type CreateTableInput struct {
	TableName                 string                 `json:"TableName"`
	AttributeDefinitions      []AttributeDefinition  `json:"AttributeDefinitions"`
	KeySchema                 []KeySchemaElement     `json:"KeySchema"`
	BillingMode               string                 `json:"BillingMode"`
	ProvisionedThroughput     *ProvisionedThroughput `json:"ProvisionedThroughput"`
	GlobalSecondaryIndexes    []GlobalSecondaryIndex `json:"GlobalSecondaryIndexes"`
	LocalSecondaryIndexes     []LocalSecondaryIndex  `json:"LocalSecondaryIndexes"`
	StreamSpecification       *StreamSpecification   `json:"StreamSpecification"`
	SSESpecification          *SSESpecification      `json:"SSESpecification"`
	Tags                      []Tag                  `json:"Tags"`
	TableClass                string                 `json:"TableClass"`
	DeletionProtectionEnabled bool                   `json:"DeletionProtectionEnabled"`
	OnDemandThroughput        *OnDemandThroughput    `json:"OnDemandThroughput"`
}

// CreateTableOutput is CreateTable's response.
type CreateTableOutput struct {
	TableDescription *TableDescription `json:"TableDescription"`
}

// DescribeTableInput is DescribeTable's request.
type DescribeTableInput struct {
	TableName string `json:"TableName"`
}

// DescribeTableOutput is DescribeTable's response.
type DescribeTableOutput struct {
	Table *TableDescription `json:"Table"`
}

// DeleteTableInput is DeleteTable's request.
type DeleteTableInput struct {
	TableName string `json:"TableName"`
}

// DeleteTableOutput is DeleteTable's response.
type DeleteTableOutput struct {
	TableDescription *TableDescription `json:"TableDescription"`
}

// UpdateTableInput is UpdateTable's request.
type UpdateTableInput struct {
	TableName                   string                       `json:"TableName"`
	AttributeDefinitions        []AttributeDefinition        `json:"AttributeDefinitions"`
	BillingMode                 string                       `json:"BillingMode"`
	ProvisionedThroughput       *ProvisionedThroughput       `json:"ProvisionedThroughput"`
	StreamSpecification         *StreamSpecification         `json:"StreamSpecification"`
	SSESpecification            *SSESpecification            `json:"SSESpecification"`
	TableClass                  string                       `json:"TableClass"`
	DeletionProtectionEnabled   *bool                        `json:"DeletionProtectionEnabled"`
	OnDemandThroughput          *OnDemandThroughput          `json:"OnDemandThroughput"`
	GlobalSecondaryIndexUpdates []GlobalSecondaryIndexUpdate `json:"GlobalSecondaryIndexUpdates"`
}

// UpdateTableOutput is UpdateTable's response.
type UpdateTableOutput struct {
	TableDescription *TableDescription `json:"TableDescription"`
}

// ListTablesInput is ListTables' request.
type ListTablesInput struct {
	ExclusiveStartTableName *string `json:"ExclusiveStartTableName"`
	Limit                   *int64  `json:"Limit"`
}

// ListTablesOutput is ListTables' response.
type ListTablesOutput struct {
	TableNames             []string `json:"TableNames"`
	LastEvaluatedTableName string   `json:"LastEvaluatedTableName,omitempty"`
}

// TagResourceInput is TagResource's request.
type TagResourceInput struct {
	ResourceArn string `json:"ResourceArn"`
	Tags        []Tag  `json:"Tags"`
}

// UntagResourceInput is UntagResource's request.
type UntagResourceInput struct {
	ResourceArn string   `json:"ResourceArn"`
	TagKeys     []string `json:"TagKeys"`
}

// ListTagsOfResourceInput is ListTagsOfResource's request.
type ListTagsOfResourceInput struct {
	ResourceArn string `json:"ResourceArn"`
	NextToken   string `json:"NextToken"`
}

// ListTagsOfResourceOutput is ListTagsOfResource's response.
type ListTagsOfResourceOutput struct {
	Tags      []Tag  `json:"Tags"`
	NextToken string `json:"NextToken,omitempty"`
}

// Empty is the output of operations that return no members: "{}".
type Empty struct{}

// DescribeLimitsInput is DescribeLimits' (empty) request.
type DescribeLimitsInput struct{}

// DescribeLimitsOutput is DescribeLimits' response.
type DescribeLimitsOutput struct {
	AccountMaxReadCapacityUnits  int64 `json:"AccountMaxReadCapacityUnits"`
	AccountMaxWriteCapacityUnits int64 `json:"AccountMaxWriteCapacityUnits"`
	TableMaxReadCapacityUnits    int64 `json:"TableMaxReadCapacityUnits"`
	TableMaxWriteCapacityUnits   int64 `json:"TableMaxWriteCapacityUnits"`
}

// DescribeEndpointsInput is DescribeEndpoints' (empty) request.
type DescribeEndpointsInput struct{}

// Endpoint is one address DescribeEndpoints advertises.
type Endpoint struct {
	Address              string `json:"Address"`
	CachePeriodInMinutes int64  `json:"CachePeriodInMinutes"`
}

// DescribeEndpointsOutput is DescribeEndpoints' response.
type DescribeEndpointsOutput struct {
	Endpoints []Endpoint `json:"Endpoints"`
}

// Capacity is the capacity one table or index consumed.
type Capacity struct {
	CapacityUnits      float64  `json:"CapacityUnits"`
	ReadCapacityUnits  *float64 `json:"ReadCapacityUnits,omitempty"`
	WriteCapacityUnits *float64 `json:"WriteCapacityUnits,omitempty"`
}

// ConsumedCapacity is the capacity an operation consumed.
type ConsumedCapacity struct {
	TableName          string    `json:"TableName"`
	CapacityUnits      float64   `json:"CapacityUnits"`
	ReadCapacityUnits  *float64  `json:"ReadCapacityUnits,omitempty"`
	WriteCapacityUnits *float64  `json:"WriteCapacityUnits,omitempty"`
	Table              *Capacity `json:"Table,omitempty"`
}

// ExpectedAttributeValue is one legacy Expected condition.
type ExpectedAttributeValue struct {
	Value              *attr.Value  `json:"Value"`
	Exists             *bool        `json:"Exists"`
	ComparisonOperator string       `json:"ComparisonOperator"`
	AttributeValueList []attr.Value `json:"AttributeValueList"`
}

// AttributeValueUpdate is one legacy AttributeUpdates action.
type AttributeValueUpdate struct {
	Value  *attr.Value `json:"Value"`
	Action string      `json:"Action"`
}

// writeCommon holds the members PutItem, UpdateItem and DeleteItem share.
type writeCommon struct {
	TableName                           string                            `json:"TableName"`
	ConditionExpression                 *string                           `json:"ConditionExpression"`
	ExpressionAttributeNames            map[string]string                 `json:"ExpressionAttributeNames"`
	ExpressionAttributeValues           map[string]attr.Value             `json:"ExpressionAttributeValues"`
	Expected                            map[string]ExpectedAttributeValue `json:"Expected"`
	ConditionalOperator                 string                            `json:"ConditionalOperator"`
	ReturnValues                        string                            `json:"ReturnValues"`
	ReturnValuesOnConditionCheckFailure string                            `json:"ReturnValuesOnConditionCheckFailure"`
	ReturnConsumedCapacity              string                            `json:"ReturnConsumedCapacity"`
	ReturnItemCollectionMetrics         string                            `json:"ReturnItemCollectionMetrics"`
}

// PutItemInput is PutItem's request.
type PutItemInput struct {
	writeCommon
	Item attr.Item `json:"Item"`
}

// PutItemOutput is PutItem's response.
type PutItemOutput struct {
	Attributes       attr.Item         `json:"Attributes,omitzero"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// UpdateItemInput is UpdateItem's request.
type UpdateItemInput struct {
	writeCommon
	Key              attr.Item                       `json:"Key"`
	UpdateExpression *string                         `json:"UpdateExpression"`
	AttributeUpdates map[string]AttributeValueUpdate `json:"AttributeUpdates"`
}

// UpdateItemOutput is UpdateItem's response.
type UpdateItemOutput struct {
	Attributes       attr.Item         `json:"Attributes,omitzero"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// DeleteItemInput is DeleteItem's request.
type DeleteItemInput struct {
	writeCommon
	Key attr.Item `json:"Key"`
}

// DeleteItemOutput is DeleteItem's response.
type DeleteItemOutput struct {
	Attributes       attr.Item         `json:"Attributes,omitzero"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// GetItemInput is GetItem's request.
type GetItemInput struct {
	TableName                string            `json:"TableName"`
	Key                      attr.Item         `json:"Key"`
	ConsistentRead           bool              `json:"ConsistentRead"`
	ProjectionExpression     *string           `json:"ProjectionExpression"`
	ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames"`
	AttributesToGet          []string          `json:"AttributesToGet"`
	ReturnConsumedCapacity   string            `json:"ReturnConsumedCapacity"`
}

// GetItemOutput is GetItem's response.
type GetItemOutput struct {
	Item             attr.Item         `json:"Item,omitzero"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}
