package lambda

import "time"

// Log batching: each write to the sink is a durable storage transaction,
// so the shipper gathers the logs of the invocations that end within
// logLinger of each other and writes each stream's share in one Append.
const (
	// logLinger is how long the shipper waits for more logs after the
	// first; logs reach the sink at most this much later.
	logLinger = 50 * time.Millisecond
	// maxGatheredEvents bounds the events of one gathering (PutLogEvents
	// takes at most 10,000).
	maxGatheredEvents = 10000
)

// gatherLogs returns first and the batches queued within logLinger after
// it, merged per log stream (in order of first appearance, each stream's
// events in queue order).
func (s *Service) gatherLogs(first logBatch) []logBatch {
	merged := []logBatch{first}
	events := len(first.events)
	timer := time.NewTimer(logLinger)
	defer timer.Stop()
	for events < maxGatheredEvents {
		select {
		case b, ok := <-s.logQueue:
			if !ok {
				return merged
			}
			merged = mergeBatch(merged, b)
			events += len(b.events)
		case <-timer.C:
			return merged
		}
	}
	return merged
}

// mergeBatch appends b's events to the batch of its stream in merged, or
// b itself when its stream has none yet.
func mergeBatch(merged []logBatch, b logBatch) []logBatch {
	for i := range merged {
		if merged[i].group == b.group && merged[i].stream == b.stream {
			merged[i].events = append(merged[i].events, b.events...)
			return merged
		}
	}
	return append(merged, b)
}
