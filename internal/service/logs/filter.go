package logs

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/storage"
)

// maxFilterStreams is the most logStreamNames FilterLogEvents accepts.
const maxFilterStreams = 100

// FilterLogEventsInput is the body of FilterLogEvents.
type FilterLogEventsInput struct {
	LogGroupName        string   `json:"logGroupName"`
	LogGroupIdentifier  string   `json:"logGroupIdentifier"`
	LogStreamNames      []string `json:"logStreamNames"`
	LogStreamNamePrefix string   `json:"logStreamNamePrefix"`
	StartTime           *int64   `json:"startTime"`
	EndTime             *int64   `json:"endTime"`
	FilterPattern       string   `json:"filterPattern"`
	NextToken           string   `json:"nextToken"`
	Limit               *int     `json:"limit"`
}

// FilteredLogEvent is one event of FilterLogEvents.
type FilteredLogEvent struct {
	LogStreamName string `json:"logStreamName"`
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
	EventID       string `json:"eventId"`
}

// SearchedLogStream is a stream FilterLogEvents searched.
type SearchedLogStream struct {
	LogStreamName      string `json:"logStreamName"`
	SearchedCompletely bool   `json:"searchedCompletely"`
}

// FilterLogEventsOutput is FilterLogEvents' answer.
type FilterLogEventsOutput struct {
	Events             []FilteredLogEvent  `json:"events"`
	SearchedLogStreams []SearchedLogStream `json:"searchedLogStreams"`
	NextToken          string              `json:"nextToken,omitempty"`
}

// filterCursor is a position in FilterLogEvents' order: timestamp, stream
// name, sequence.
type filterCursor struct {
	T int64  `json:"t"`
	S string `json:"s"`
	Q uint64 `json:"q"`
}

func compareCursors(a, b filterCursor) int {
	return cmp.Or(cmp.Compare(a.T, b.T), strings.Compare(a.S, b.S), cmp.Compare(a.Q, b.Q))
}

// filterQuery is a validated FilterLogEvents request.
type filterQuery struct {
	group   string
	match   func(string) bool
	limit   int
	after   *filterCursor
	startTS *int64
	endTS   *int64
}

// FilterLogEvents searches the events of a group's streams, merged in
// timestamp order.
func (s *Service) FilterLogEvents(ctx context.Context, in *FilterLogEventsInput) (*FilterLogEventsOutput, error) {
	q, err := parseFilterQuery(in)
	if err != nil {
		return nil, err
	}
	var found []match
	var searched []SearchedLogStream
	err = s.engine.View(ctx, func(tx storage.ReadTx) error {
		streams, err := filterStreams(tx, q.group, in)
		if err != nil {
			return err
		}
		for _, name := range streams {
			events, err := q.searchStream(tx, name)
			if err != nil {
				return err
			}
			found = append(found, events...)
			searched = append(searched, SearchedLogStream{LogStreamName: name, SearchedCompletely: true})
		}
		return nil
	})
	if err != nil {
		return nil, notFound(err)
	}
	return q.page(found, searched), nil
}

// parseFilterQuery validates a FilterLogEvents request.
func parseFilterQuery(in *FilterLogEventsInput) (*filterQuery, error) {
	group, err := groupName(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if len(in.LogStreamNames) > 0 && in.LogStreamNamePrefix != "" {
		return nil, errInvalidParam.New("logStreamNames and logStreamNamePrefix are mutually exclusive")
	}
	if len(in.LogStreamNames) > maxFilterStreams {
		return nil, validationError("[...]", "logStreamNames", "Member must have length less than or equal to 100")
	}
	q := &filterQuery{group: group, startTS: in.StartTime, endTS: in.EndTime}
	if q.limit, err = eventsLimit(in.Limit); err != nil {
		return nil, err
	}
	if q.match, err = compilePattern(in.FilterPattern); err != nil {
		return nil, err
	}
	if in.NextToken != "" {
		q.after = &filterCursor{}
		if err := decodeToken(in.NextToken, q.after); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// filterStreams returns the names of the streams to search.
func filterStreams(tx storage.ReadTx, group string, in *FilterLogEventsInput) ([]string, error) {
	if _, err := loadGroup(tx, group); err != nil {
		return nil, err
	}
	if len(in.LogStreamNames) > 0 {
		for _, name := range in.LogStreamNames {
			if _, err := loadStream(tx, group, name); err != nil {
				return nil, err
			}
		}
		return in.LogStreamNames, nil
	}
	streams, err := listStreams(tx, group, in.LogStreamNamePrefix)
	names := make([]string, len(streams))
	for i, st := range streams {
		names[i] = st.Name
	}
	return names, err
}

// match is one event FilterLogEvents found, with its place in the order.
type match struct {
	cursor filterCursor
	event  FilteredLogEvent
}

// searchStream returns up to q.limit+1 matching events of one stream
// after the query's cursor.
func (q *filterQuery) searchStream(tx storage.ReadTx, stream string) ([]match, error) {
	start := q.startTS
	if q.after != nil && (start == nil || *start < q.after.T) {
		start = &q.after.T
	}
	r := eventRange(q.group, stream, start, q.endTS, 0, position{})
	prefixLen := len(eventsOf(q.group, stream))
	hash := streamHash(stream)
	var found []match
	var decodeErr error
	err := tx.Scan(r, func(k, v []byte) bool {
		var e storedEvent
		if e, decodeErr = decodeEvent(k, v, prefixLen); decodeErr != nil {
			return false
		}
		c := filterCursor{T: e.pos.Timestamp, S: stream, Q: e.pos.Seq}
		if (q.after == nil || compareCursors(c, *q.after) > 0) && q.match(e.Message) {
			found = append(found, match{cursor: c, event: FilteredLogEvent{LogStreamName: stream, Timestamp: c.T,
				Message: e.Message, IngestionTime: e.IngestionTime, EventID: eventID(e.pos, hash)}})
		}
		return len(found) <= q.limit
	})
	if err != nil {
		return nil, fmt.Errorf("logs: %w", err)
	}
	return found, decodeErr
}

// page merges the matching events of all streams and cuts q.limit of them.
func (q *filterQuery) page(found []match, searched []SearchedLogStream) *FilterLogEventsOutput {
	slices.SortFunc(found, func(a, b match) int { return compareCursors(a.cursor, b.cursor) })
	out := &FilterLogEventsOutput{Events: []FilteredLogEvent{}, SearchedLogStreams: searched}
	if len(found) > q.limit {
		found = found[:q.limit]
		out.NextToken = encodeToken(found[q.limit-1].cursor)
	}
	for _, m := range found {
		out.Events = append(out.Events, m.event)
	}
	return out
}
