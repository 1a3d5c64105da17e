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
// Reads: Query and Scan on tables and secondary indexes
// (KeyConditionExpression, FilterExpression, ProjectionExpression, Select,
// paging, parallel scan, and the legacy KeyConditions, QueryFilter,
// ScanFilter, ConditionalOperator and AttributesToGet). UpdateTable's
// GlobalSecondaryIndexUpdates (Create, Update, Delete).
//
// Batches and transactions: BatchGetItem (100 keys, one consistent View,
// UnprocessedKeys past the 16 MB response limit), BatchWriteItem (25 puts
// and deletes, one storage Update for the whole batch, so it is atomic
// although AWS does not promise that; UnprocessedItems is always empty),
// TransactWriteItems (Put, Update, Delete, ConditionCheck: every action is
// evaluated, then all are applied, in one storage Update, so a transaction
// is serializable against all other writes; CancellationReasons in order;
// ClientRequestToken idempotency for 10 minutes, tokens stored at
// "ddb/rt/<token>" with an expiry index at "ddb/rx/", swept lazily) and
// TransactGetItems (one View). All of them and the single-item writes share
// one write path (item_write.go): a writeAction is evaluated into an
// itemChange, which is applied through replaceItem.
//
// TTL: UpdateTimeToLive, DescribeTimeToLive, and a sweeper
// ([Service.RunTTL]) that deletes expired items through replaceItem, marked
// as service deletions (causeTTL). Each sweep scans every TTL table's items
// in pages (an O(n) read per sweep; no expiry index yet), and deletes in
// batches of 100, re-checking each item's expiry in the deleting
// transaction so that a concurrent write extending the TTL wins. Like AWS,
// it ignores TTL values more than five years in the past.
//
// PartiQL (parser in package partiql): ExecuteStatement,
// BatchExecuteStatement and ExecuteTransaction with SELECT (projection or
// *, from a table or index; a WHERE clause pinning the partition key with
// an equality runs as a Query, with at most one sort key condition as key
// condition and the rest as filter, anything else as a Scan filtered by the
// whole clause; Limit and NextToken page it), INSERT (DuplicateItemException
// for an existing item), UPDATE (SET with +, -, list_append, if_not_exists,
// set_add, set_delete; REMOVE) and DELETE, whose WHERE clause must pin the
// whole primary key and whose other conditions are the write's condition.
// Conditions support =, <>, <, <=, >, >=, BETWEEN, IN, IS [NOT]
// MISSING/NULL, begins_with, contains, attribute_type and size. Statements
// are translated into expression strings over generated placeholders, so
// package expr stays the one evaluator.
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
//   - Secondary indexes are maintained in the item's own transaction (so
//     GSIs are never behind their table). A GSI added by UpdateTable is
//     CREATING (Backfilling) while a background goroutine indexes existing
//     items in batches, then ACTIVE; a deleted GSI is DELETING until its
//     entries are removed. Per-index ItemCount and IndexSizeBytes are
//     computed like the table's; IndexSizeBytes sums projected item sizes.
//   - Query and Scan stop a page after 1 MB of (pre-filter) item data or
//     Limit items, and return LastEvaluatedKey whenever they stop early,
//     even when no item is left. Scan visits partitions in the order of a
//     32-bit hash of the partition key; parallel scan segments are equal
//     hash ranges. Query/Scan capacity is the page's bytes read, in 4 KB
//     units (at least one), halved for eventually consistent reads.
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
//   - Batches and transactions: validation messages that quote a whole
//     list or map render its elements as Java's toString would, with
//     stand-in identity hashes; the 4 MB transaction limit counts Put items
//     and the keys of the other actions, with Fogbank's own message;
//     TransactGetItems does not enforce 4 MB; the
//     IdempotentParameterMismatchException message is not AWS-verified;
//     transactional capacity is 2 units per KB written (ConditionCheck
//     included) or per 4 KB read, and an idempotent replay reports the read
//     units, as AWS does, but only CapacityUnits (no Read/WriteCapacityUnits
//     split) is reported.
//   - UpdateTimeToLive takes effect at once: DescribeTimeToLive never
//     reports ENABLING or DISABLING, and there is no one-hour cool-down.
//   - PartiQL: no RETURNING, ORDER BY, EXISTS (transaction condition
//     checks), nested SELECTs, multi-item INSERT or arithmetic in WHERE;
//     NextToken is the base64 of the last evaluated key (not encrypted); a
//     SELECT on an index is planned from the index's key schema like a table;
//     BatchExecuteStatement and ExecuteTransaction report no consumed
//     capacity; error texts for syntax errors after "Statement wasn't well
//     formed, can't be processed: " are Fogbank's own.
package dynamodb
