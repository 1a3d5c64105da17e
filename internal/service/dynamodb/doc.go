// Package dynamodb is Fogbank's DynamoDB-compatible API: tables and items
// stored through the storage seam, served over the awsJson1_0 protocol.
//
// # Supported operations
//
// Control plane: CreateTable, DescribeTable, ListTables, UpdateTable (billing
// mode, provisioned throughput, stream, SSE, table class, deletion
// protection, on-demand throughput), DeleteTable, TagResource,
// UntagResource, ListTagsOfResource, DescribeLimits, DescribeEndpoints.
//
// Items: PutItem, GetItem, UpdateItem, DeleteItem, with condition, update
// and projection expressions (package expr), the legacy Expected,
// AttributeUpdates and AttributesToGet parameters (translated into
// expressions over generated placeholders, so one evaluator serves both),
// ReturnValues, ReturnValuesOnConditionCheckFailure and
// ReturnConsumedCapacity.
//
// # Storage
//
// Table metadata lives at "ddb/t/<name>", items at "ddb/i/<table id>/<key>"
// (see keys.go). Every item operation reads the table metadata in the same
// storage transaction as the item, and every write is one Update (read
// metadata, read old item, evaluate condition, write), so conditional writes
// are serializable and never act on a deleted or recreated table. Decoded
// metadata is cached, but a cache entry is used only when the bytes just read
// equal the bytes it was decoded from. Items are stored as their
// AttributeValue JSON.
//
// ItemCount and TableSizeBytes are exact when computed: DescribeTable scans
// the table's items, and caches the result per table until this process
// writes to the table or statsMaxAge (5 s) passes (writes by other nodes
// sharing the engine show up within that time). AWS itself refreshes these
// numbers only about every six hours. TableSizeBytes is the sum of the
// items' DynamoDB sizes, without AWS's per-item storage overhead.
//
// # Known deviations from AWS
//
//   - Tables and indexes are ACTIVE at once: CreateTable answers CREATING as
//     AWS does, but every later DescribeTable says ACTIVE; UpdateTable
//     answers UPDATING for capacity changes and is done at once.
//   - Secondary indexes are validated and described but not yet maintained
//     (queries on them come later); GlobalSecondaryIndexUpdates in
//     UpdateTable is rejected.
//   - Every read is strongly consistent; ConsistentRead only changes the
//     reported capacity.
//   - Provisioned throughput is recorded, never enforced: no throttling.
//   - ConsumedCapacity reports the table's units only (no per-index units).
//   - DeleteTable removes items in batches after the metadata; a purge cut
//     short by a crash leaves unreachable keys behind (never visible).
//   - Validation messages follow AWS's wording where it is known (checked
//     against published error texts); legacy AttributeUpdates type errors
//     use the expression-language wording.
//   - ReturnItemCollectionMetrics is accepted and ignored.
package dynamodb
