package logs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/fogbank/fogbank/internal/logship"
	"github.com/fogbank/fogbank/internal/storage"
)

// Limits of PutLogEvents and of the event reads.
const (
	maxBatchEvents  = 10000
	maxEventsLimit  = 10000
	maxBatchSpan    = 24 * time.Hour
	maxEventAge     = 14 * 24 * time.Hour
	maxEventFuture  = 2 * time.Hour
	eventOverhead   = 26
	maxMessageBytes = 256<<10 - eventOverhead
)

// InputLogEvent is one event of PutLogEvents.
type InputLogEvent struct {
	Timestamp int64  `json:"timestamp"`
	Message   string `json:"message"`
}

// PutLogEventsInput is the body of PutLogEvents.
type PutLogEventsInput struct {
	LogGroupName  string          `json:"logGroupName"`
	LogStreamName string          `json:"logStreamName"`
	LogEvents     []InputLogEvent `json:"logEvents"`
	SequenceToken string          `json:"sequenceToken"`
}

// RejectedLogEventsInfo says which events of a batch were not stored.
type RejectedLogEventsInfo struct {
	TooNewLogEventStartIndex *int `json:"tooNewLogEventStartIndex,omitempty"`
	TooOldLogEventEndIndex   *int `json:"tooOldLogEventEndIndex,omitempty"`
}

// PutLogEventsOutput is PutLogEvents' answer.
type PutLogEventsOutput struct {
	NextSequenceToken     string                 `json:"nextSequenceToken"`
	RejectedLogEventsInfo *RejectedLogEventsInfo `json:"rejectedLogEventsInfo,omitempty"`
}

// PutLogEvents appends a chronological batch of events to a stream.
func (s *Service) PutLogEvents(ctx context.Context, in *PutLogEventsInput) (*PutLogEventsOutput, error) {
	if err := cmp.Or(checkGroupName(in.LogGroupName, "logGroupName"), checkStreamName(in.LogStreamName)); err != nil {
		return nil, err
	}
	if err := checkBatch(in.LogEvents); err != nil {
		return nil, err
	}
	events, rejected := s.admit(in.LogEvents)
	var seq uint64
	err := s.engine.Update(ctx, func(tx storage.Tx) error {
		st, err := loadStream(tx, in.LogGroupName, in.LogStreamName)
		if err != nil {
			return err
		}
		seq, err = s.appendEvents(tx, in.LogGroupName, in.LogStreamName, st, events)
		return err
	})
	if err != nil {
		return nil, notFound(err)
	}
	return &PutLogEventsOutput{NextSequenceToken: sequenceToken(seq), RejectedLogEventsInfo: rejected}, nil
}

// checkBatch validates the size, order and span of a PutLogEvents batch.
func checkBatch(events []InputLogEvent) error {
	if len(events) < 1 || len(events) > maxBatchEvents {
		return validationError(strconv.Itoa(len(events)), "logEvents", "Member must have length between 1 and 10000")
	}
	for i, e := range events {
		if len(e.Message) > maxMessageBytes {
			return errInvalidParam.Newf("Log event too large: %d bytes exceeds limit of %d", len(e.Message)+eventOverhead, maxMessageBytes+eventOverhead)
		}
		if i > 0 && e.Timestamp < events[i-1].Timestamp {
			return errInvalidParam.New("Log events in a single PutLogEvents request must be in chronological order.")
		}
	}
	if span := events[len(events)-1].Timestamp - events[0].Timestamp; span > maxBatchSpan.Milliseconds() {
		return errInvalidParam.New("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
	}
	return nil
}

// admit drops the events too old or too far in the future, as AWS does,
// and says which it dropped.
func (s *Service) admit(events []InputLogEvent) ([]InputLogEvent, *RejectedLogEventsInfo) {
	now := s.nowMillis()
	oldest, newest := now-maxEventAge.Milliseconds(), now+maxEventFuture.Milliseconds()
	first := slices.IndexFunc(events, func(e InputLogEvent) bool { return e.Timestamp >= oldest })
	last := slices.IndexFunc(events, func(e InputLogEvent) bool { return e.Timestamp > newest })
	if first < 0 {
		first = len(events)
	}
	if last < 0 {
		last = len(events)
	}
	var rejected *RejectedLogEventsInfo
	if first > 0 || last < len(events) {
		rejected = &RejectedLogEventsInfo{}
		if first > 0 {
			rejected.TooOldLogEventEndIndex = &first
		}
		if last < len(events) {
			rejected.TooNewLogEventStartIndex = &last
		}
	}
	return events[first:max(first, last)], rejected
}

// appendEvents stores events in a loaded stream and saves the stream,
// returning its next sequence number.
func (s *Service) appendEvents(tx storage.Tx, group, stream string, st *streamRecord, events []InputLogEvent) (uint64, error) {
	now := s.nowMillis()
	prefix := eventsOf(group, stream)
	for _, e := range events {
		key := eventKey(prefix, position{Timestamp: e.Timestamp, Seq: st.NextSeq})
		if err := save(tx, key, eventRecord{Message: e.Message, IngestionTime: now}); err != nil {
			return 0, err
		}
		st.NextSeq++
		st.StoredBytes += int64(len(e.Message))
		if st.FirstEventTime == 0 || e.Timestamp < st.FirstEventTime {
			st.FirstEventTime = e.Timestamp
		}
		st.LastEventTime = max(st.LastEventTime, e.Timestamp)
	}
	if len(events) > 0 {
		st.LastIngestion = now
	}
	return st.NextSeq, save(tx, streamKey(group, stream), st)
}

// Append writes batches of events to their streams in one transaction,
// creating the groups and streams that do not exist yet: the Service is the
// [logship.Sink] through which other services (Lambda, API Gateway access
// logs) write. Messages over the event size limit are truncated.
func (s *Service) Append(ctx context.Context, batches []logship.Batch) error {
	inputs := make([][]InputLogEvent, len(batches))
	for i, b := range batches {
		inputs[i] = make([]InputLogEvent, len(b.Events))
		for j, e := range b.Events {
			msg := e.Message
			if len(msg) > maxMessageBytes {
				msg = msg[:maxMessageBytes]
			}
			inputs[i][j] = InputLogEvent{Timestamp: e.Timestamp.UnixMilli(), Message: msg}
		}
	}
	return s.engine.Update(ctx, func(tx storage.Tx) error {
		for i, b := range batches {
			st, err := s.ensureStream(tx, b.Group, b.Stream)
			if err != nil {
				return err
			}
			if _, err := s.appendEvents(tx, b.Group, b.Stream, st, inputs[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// ensureStream loads a stream, creating it and its group when missing.
func (s *Service) ensureStream(tx storage.Tx, group, stream string) (*streamRecord, error) {
	st, err := loadStream(tx, group, stream)
	switch {
	case err == nil:
		return st, nil
	case errors.Is(err, errNoGroup):
		if err := save(tx, groupKey(group), groupRecord{CreationTime: s.nowMillis()}); err != nil {
			return nil, err
		}
	case !errors.Is(err, errNoStream):
		return nil, err
	}
	return &streamRecord{CreationTime: s.nowMillis()}, nil
}

// eventID renders an event's identity as AWS's 56-digit event id.
func eventID(p position, streamHash uint32) string {
	return fmt.Sprintf("%020d%020d%016d", p.Timestamp, p.Seq, streamHash)
}
