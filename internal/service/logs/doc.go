// Package logs is the CloudWatch Logs API subset (awsJson1_1, X-Amz-Target
// Logs_20140328.*) that serves the logs of Lambda functions and of clients
// writing their own.
//
// What works:
//   - CreateLogGroup, DeleteLogGroup, DescribeLogGroups (logGroupNamePrefix,
//     limit, nextToken);
//   - CreateLogStream, DeleteLogStream, DescribeLogStreams
//     (logStreamNamePrefix, orderBy LogStreamName or LastEventTime,
//     descending, limit, nextToken);
//   - PutLogEvents (chronological batches, rejectedLogEventsInfo for events
//     too old or too far in the future, the sequence token is returned and
//     ignored as AWS does since 2023);
//   - GetLogEvents (startFromHead, startTime/endTime, and the
//     nextForwardToken/nextBackwardToken walk, which returns the token it was
//     given once the end is reached);
//   - FilterLogEvents (logStreamNames or logStreamNamePrefix, startTime,
//     endTime, limit, nextToken, and term filter patterns: terms, quoted
//     phrases, ?alternatives and -exclusions, case-sensitive);
//   - [Service.Append], the in-process entry through which other services
//     (Lambda, API Gateway access logs) write, many streams in one
//     transaction, creating groups and streams on first use.
//
// Events are stored under logs/e/<group><stream><timestamp><sequence>, so a
// stream reads in timestamp order, with the per-stream sequence breaking
// ties in arrival order.
//
// Missing: retention (PutRetentionPolicy and expiry), JSON and
// space-delimited filter patterns, metric filters, subscriptions, Logs
// Insights, tags, KMS, the 1 MB response size cap (only the event count
// limit applies), storedBytes in answers is the sum of message sizes.
package logs
