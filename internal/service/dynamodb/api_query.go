package dynamodb

import "github.com/fogbank/fogbank/internal/service/dynamodb/attr"

// Condition is one legacy KeyConditions, QueryFilter or ScanFilter entry.
type Condition struct {
	ComparisonOperator string       `json:"ComparisonOperator"`
	AttributeValueList []attr.Value `json:"AttributeValueList"`
}

// readCommon holds the members Query and Scan share.
type readCommon struct {
	TableName                 string                `json:"TableName"`
	IndexName                 *string               `json:"IndexName"`
	Select                    string                `json:"Select"`
	AttributesToGet           []string              `json:"AttributesToGet"`
	Limit                     *int64                `json:"Limit"`
	ConsistentRead            bool                  `json:"ConsistentRead"`
	ExclusiveStartKey         attr.Item             `json:"ExclusiveStartKey"`
	ReturnConsumedCapacity    string                `json:"ReturnConsumedCapacity"`
	ProjectionExpression      *string               `json:"ProjectionExpression"`
	FilterExpression          *string               `json:"FilterExpression"`
	ConditionalOperator       string                `json:"ConditionalOperator"`
	ExpressionAttributeNames  map[string]string     `json:"ExpressionAttributeNames"`
	ExpressionAttributeValues map[string]attr.Value `json:"ExpressionAttributeValues"`
}

// QueryInput is Query's request.
type QueryInput struct {
	readCommon
	KeyConditionExpression *string              `json:"KeyConditionExpression"`
	KeyConditions          map[string]Condition `json:"KeyConditions"`
	QueryFilter            map[string]Condition `json:"QueryFilter"`
	ScanIndexForward       *bool                `json:"ScanIndexForward"`
}

// ScanInput is Scan's request.
type ScanInput struct {
	readCommon
	ScanFilter    map[string]Condition `json:"ScanFilter"`
	Segment       *int64               `json:"Segment"`
	TotalSegments *int64               `json:"TotalSegments"`
}

// ReadOutput is the response of Query and Scan.
type ReadOutput struct {
	Items            []attr.Item       `json:"Items,omitempty"`
	Count            int64             `json:"Count"`
	ScannedCount     int64             `json:"ScannedCount"`
	LastEvaluatedKey attr.Item         `json:"LastEvaluatedKey,omitzero"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// GlobalSecondaryIndexUpdate is one entry of UpdateTable's
// GlobalSecondaryIndexUpdates: exactly one of its actions is set.
type GlobalSecondaryIndexUpdate struct {
	Create *GlobalSecondaryIndex             `json:"Create"`
	Update *UpdateGlobalSecondaryIndexAction `json:"Update"`
	Delete *DeleteGlobalSecondaryIndexAction `json:"Delete"`
}

// UpdateGlobalSecondaryIndexAction changes a GSI's throughput.
type UpdateGlobalSecondaryIndexAction struct {
	IndexName             string                 `json:"IndexName"`
	ProvisionedThroughput *ProvisionedThroughput `json:"ProvisionedThroughput"`
	OnDemandThroughput    *OnDemandThroughput    `json:"OnDemandThroughput"`
}

// DeleteGlobalSecondaryIndexAction removes a GSI.
type DeleteGlobalSecondaryIndexAction struct {
	IndexName string `json:"IndexName"`
}
