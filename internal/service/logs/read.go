package logs

import (
	"bytes"
	"context"
	"fmt"
	"hash/crc32"
	"slices"

	"github.com/fogbank/fogbank/internal/storage"
)

// OutputLogEvent is one event of GetLogEvents.
type OutputLogEvent struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
}

// GetLogEventsInput is the body of GetLogEvents.
type GetLogEventsInput struct {
	LogGroupName       string `json:"logGroupName"`
	LogGroupIdentifier string `json:"logGroupIdentifier"`
	LogStreamName      string `json:"logStreamName"`
	StartTime          *int64 `json:"startTime"`
	EndTime            *int64 `json:"endTime"`
	NextToken          string `json:"nextToken"`
	Limit              *int   `json:"limit"`
	StartFromHead      bool   `json:"startFromHead"`
}

// GetLogEventsOutput is GetLogEvents' answer.
type GetLogEventsOutput struct {
	Events            []OutputLogEvent `json:"events"`
	NextForwardToken  string           `json:"nextForwardToken"`
	NextBackwardToken string           `json:"nextBackwardToken"`
}

// storedEvent is an event read from a stream, with its position.
type storedEvent struct {
	pos position
	eventRecord
}

// GetLogEvents reads a page of one stream's events, from its head, its
// tail, or either side of a token.
func (s *Service) GetLogEvents(ctx context.Context, in *GetLogEventsInput) (*GetLogEventsOutput, error) {
	group, err := groupName(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if err := checkStreamName(in.LogStreamName); err != nil {
		return nil, err
	}
	limit, err := eventsLimit(in.Limit)
	if err != nil {
		return nil, err
	}
	dir, from, err := parseEventToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	forward := dir == 'f' || dir == 0 && in.StartFromHead
	r := eventRange(group, in.LogStreamName, in.StartTime, in.EndTime, dir, from)
	r.Reverse, r.Limit = !forward, limit
	var events []storedEvent
	err = s.engine.View(ctx, func(tx storage.ReadTx) error {
		if _, err := loadStream(tx, group, in.LogStreamName); err != nil {
			return err
		}
		events, err = scanEvents(tx, r, len(eventsOf(group, in.LogStreamName)))
		return err
	})
	if err != nil {
		return nil, notFound(err)
	}
	if !forward {
		slices.Reverse(events)
	}
	return eventsPage(events, from), nil
}

// eventRange is the key range of a stream's events within the time bounds
// and on the side of a token that dir ('f', 'b' or 0 for none) says.
func eventRange(group, stream string, startTime, endTime *int64, dir byte, from position) storage.Range {
	prefix := eventsOf(group, stream)
	r := storage.Range{Start: prefix, End: storage.PrefixEnd(prefix)}
	if startTime != nil {
		r.Start = eventKey(prefix, position{Timestamp: max(*startTime, 0)})
	}
	if endTime != nil {
		r.End = eventKey(prefix, position{Timestamp: max(*endTime, 0)})
	}
	switch dir {
	case 'f':
		if after := append(eventKey(prefix, from), 0); bytes.Compare(after, r.Start) > 0 {
			r.Start = after
		}
	case 'b':
		if before := eventKey(prefix, from); bytes.Compare(before, r.End) < 0 {
			r.End = before
		}
	}
	return r
}

// eventsPage builds GetLogEvents' answer; from is the token's position,
// which both tokens keep when there are no events.
func eventsPage(events []storedEvent, from position) *GetLogEventsOutput {
	out := &GetLogEventsOutput{Events: make([]OutputLogEvent, len(events))}
	first, last := from, from
	for i, e := range events {
		out.Events[i] = OutputLogEvent{Timestamp: e.pos.Timestamp, Message: e.Message, IngestionTime: e.IngestionTime}
	}
	if len(events) > 0 {
		first, last = events[0].pos, events[len(events)-1].pos
	}
	out.NextForwardToken, out.NextBackwardToken = eventToken('f', last), eventToken('b', first)
	return out
}

// scanEvents reads the events of r; prefixLen is the length of the
// stream's key prefix.
func scanEvents(tx storage.ReadTx, r storage.Range, prefixLen int) ([]storedEvent, error) {
	var events []storedEvent
	var decodeErr error
	err := tx.Scan(r, func(k, v []byte) bool {
		var e storedEvent
		if e, decodeErr = decodeEvent(k, v, prefixLen); decodeErr != nil {
			return false
		}
		events = append(events, e)
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("logs: %w", err)
	}
	return events, decodeErr
}

// decodeEvent decodes one stored event.
func decodeEvent(k, v []byte, prefixLen int) (storedEvent, error) {
	var e storedEvent
	var err error
	if e.pos, err = decodePosition(k, prefixLen); err != nil {
		return e, err
	}
	return e, decode(k, v, &e.eventRecord)
}

// eventToken renders a GetLogEvents token: "f/" or "b/" and a position.
func eventToken(dir byte, p position) string {
	return fmt.Sprintf("%c/%020d%020d", dir, p.Timestamp, p.Seq)
}

// parseEventToken reads a token of eventToken; dir is 0 for "".
func parseEventToken(token string) (dir byte, p position, err error) {
	if token == "" {
		return 0, position{}, nil
	}
	var ts int64
	var seq uint64
	n, scanErr := fmt.Sscanf(token, "%c/%020d%020d", &dir, &ts, &seq)
	if scanErr != nil || n != 3 || dir != 'f' && dir != 'b' || ts < 0 {
		return 0, position{}, errInvalidParam.New(msgBadToken)
	}
	return dir, position{Timestamp: ts, Seq: seq}, nil
}

// eventsLimit validates an event limit, defaulting to 10000.
func eventsLimit(limit *int) (int, error) {
	if limit == nil {
		return maxEventsLimit, nil
	}
	if *limit < 1 || *limit > maxEventsLimit {
		return 0, validationError(fmt.Sprint(*limit), "limit", "Member must have value less than or equal to 10000")
	}
	return *limit, nil
}

// streamHash is the part of an event id that names its stream.
func streamHash(stream string) uint32 { return crc32.ChecksumIEEE([]byte(stream)) }
