package logs

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/keyenc"
)

// Orders of DescribeLogStreams.
const (
	orderByName     = "LogStreamName"
	orderByLastTime = "LastEventTime"
)

// LogStream is a log stream as DescribeLogStreams describes it.
type LogStream struct {
	LogStreamName       string `json:"logStreamName"`
	CreationTime        int64  `json:"creationTime"`
	FirstEventTimestamp int64  `json:"firstEventTimestamp,omitempty"`
	LastEventTimestamp  int64  `json:"lastEventTimestamp,omitempty"`
	LastIngestionTime   int64  `json:"lastIngestionTime,omitempty"`
	UploadSequenceToken string `json:"uploadSequenceToken"`
	Arn                 string `json:"arn"`
	StoredBytes         int64  `json:"storedBytes"`
}

// CreateLogStreamInput is the body of CreateLogStream and DeleteLogStream.
type CreateLogStreamInput struct {
	LogGroupName  string `json:"logGroupName"`
	LogStreamName string `json:"logStreamName"`
}

// DescribeLogStreamsInput is the body of DescribeLogStreams.
type DescribeLogStreamsInput struct {
	LogGroupName        string `json:"logGroupName"`
	LogGroupIdentifier  string `json:"logGroupIdentifier"`
	LogStreamNamePrefix string `json:"logStreamNamePrefix"`
	OrderBy             string `json:"orderBy"`
	Descending          bool   `json:"descending"`
	NextToken           string `json:"nextToken"`
	Limit               *int   `json:"limit"`
}

// DescribeLogStreamsOutput is DescribeLogStreams' answer.
type DescribeLogStreamsOutput struct {
	LogStreams []LogStream `json:"logStreams"`
	NextToken  string      `json:"nextToken,omitempty"`
}

// namedStream is a stored stream with its name.
type namedStream struct {
	Name string
	streamRecord
}

func checkStreamName(name string) error {
	if len(name) < 1 || len(name) > maxNameLen {
		return validationError(name, "logStreamName", "Member must have length between 1 and 512")
	}
	if strings.ContainsAny(name, ":*\x00") {
		return validationError(name, "logStreamName", "Member must satisfy regular expression pattern: [^:*]*")
	}
	return nil
}

// CreateLogStream creates an empty stream in a group.
func (s *Service) CreateLogStream(ctx context.Context, in *CreateLogStreamInput) (*Empty, error) {
	if err := cmp.Or(checkGroupName(in.LogGroupName, "logGroupName"), checkStreamName(in.LogStreamName)); err != nil {
		return nil, err
	}
	err := s.engine.Update(ctx, func(tx storage.Tx) error {
		_, err := loadStream(tx, in.LogGroupName, in.LogStreamName)
		switch {
		case err == nil:
			return errAlreadyExists.New(msgStreamExists)
		case !errors.Is(err, errNoStream):
			return err
		}
		return save(tx, streamKey(in.LogGroupName, in.LogStreamName), streamRecord{CreationTime: s.nowMillis()})
	})
	return &Empty{}, notFound(err)
}

// DeleteLogStream deletes a stream and its events.
func (s *Service) DeleteLogStream(ctx context.Context, in *CreateLogStreamInput) (*Empty, error) {
	if err := cmp.Or(checkGroupName(in.LogGroupName, "logGroupName"), checkStreamName(in.LogStreamName)); err != nil {
		return nil, err
	}
	err := s.engine.Update(ctx, func(tx storage.Tx) error {
		if _, err := loadStream(tx, in.LogGroupName, in.LogStreamName); err != nil {
			return err
		}
		if err := tx.Delete(streamKey(in.LogGroupName, in.LogStreamName)); err != nil {
			return fmt.Errorf("logs: %w", err)
		}
		return deleteRange(tx, eventsOf(in.LogGroupName, in.LogStreamName))
	})
	return &Empty{}, notFound(err)
}

// DescribeLogStreams lists a group's streams by name or by last event time.
func (s *Service) DescribeLogStreams(ctx context.Context, in *DescribeLogStreamsInput) (*DescribeLogStreamsOutput, error) {
	group, err := groupName(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	limit, err := describeLimit(in.Limit)
	if err != nil {
		return nil, err
	}
	switch in.OrderBy {
	case "", orderByName:
	case orderByLastTime:
		if in.LogStreamNamePrefix != "" {
			return nil, errInvalidParam.New("Cannot order by LastEventTime with a logStreamNamePrefix.")
		}
	default:
		return nil, validationError(in.OrderBy, "orderBy", "Member must satisfy enum value set: [LogStreamName, LastEventTime]")
	}
	var streams []namedStream
	err = s.engine.View(ctx, func(tx storage.ReadTx) error {
		if _, err := loadGroup(tx, group); err != nil {
			return err
		}
		streams, err = listStreams(tx, group, in.LogStreamNamePrefix)
		return err
	})
	if err != nil {
		return nil, notFound(err)
	}
	return s.pageStreams(group, streams, in, limit)
}

// streamCursor is the position of a DescribeLogStreams page.
type streamCursor struct {
	Name     string `json:"n"`
	LastTime int64  `json:"t"`
}

// pageStreams sorts streams as in asks and returns the page after its token.
func (s *Service) pageStreams(group string, streams []namedStream, in *DescribeLogStreamsInput, limit int) (*DescribeLogStreamsOutput, error) {
	byTime := in.OrderBy == orderByLastTime
	compare := func(a, b streamCursor) int {
		c := strings.Compare(a.Name, b.Name)
		if byTime {
			c = cmp.Or(cmp.Compare(a.LastTime, b.LastTime), c)
		}
		if in.Descending {
			return -c
		}
		return c
	}
	cursorOf := func(st namedStream) streamCursor { return streamCursor{Name: st.Name, LastTime: st.LastEventTime} }
	slices.SortFunc(streams, func(a, b namedStream) int { return compare(cursorOf(a), cursorOf(b)) })
	if in.NextToken != "" {
		var after streamCursor
		if err := decodeToken(in.NextToken, &after); err != nil {
			return nil, err
		}
		i, _ := slices.BinarySearchFunc(streams, after, func(st namedStream, c streamCursor) int {
			return compare(cursorOf(st), c)
		})
		for i < len(streams) && compare(cursorOf(streams[i]), after) <= 0 {
			i++
		}
		streams = streams[i:]
	}
	out := &DescribeLogStreamsOutput{LogStreams: []LogStream{}}
	if len(streams) > limit {
		streams = streams[:limit]
		out.NextToken = encodeToken(cursorOf(streams[limit-1]))
	}
	for _, st := range streams {
		out.LogStreams = append(out.LogStreams, s.describeStream(group, st))
	}
	return out, nil
}

func (s *Service) describeStream(group string, st namedStream) LogStream {
	return LogStream{
		LogStreamName: st.Name, CreationTime: st.CreationTime, FirstEventTimestamp: st.FirstEventTime,
		LastEventTimestamp: st.LastEventTime, LastIngestionTime: st.LastIngestion,
		UploadSequenceToken: sequenceToken(st.NextSeq), Arn: s.groupARN(group) + ":log-stream:" + st.Name,
		StoredBytes: st.StoredBytes,
	}
}

// sequenceToken renders a stream's next sequence number as AWS's opaque
// upload sequence token.
func sequenceToken(seq uint64) string { return fmt.Sprintf("4962%052d", seq) }

// listStreams returns the streams of group whose names start with prefix,
// in name order.
func listStreams(tx storage.ReadTx, group, prefix string) ([]namedStream, error) {
	base := streamsOf(group)
	start := append(append([]byte(nil), base...), prefix...)
	var streams []namedStream
	var decodeErr error
	err := tx.Scan(storage.Range{Start: start, End: storage.PrefixEnd(start)}, func(k, v []byte) bool {
		name, _, err := keyenc.DecodeBytes(k[len(base):])
		if err == nil {
			st := namedStream{Name: string(name)}
			err = decode(k, v, &st.streamRecord)
			streams = append(streams, st)
		}
		decodeErr = err
		return err == nil
	})
	if err != nil {
		return nil, fmt.Errorf("logs: %w", err)
	}
	return streams, decodeErr
}

// encodeToken renders a paging cursor as an opaque token.
func encodeToken(v any) string {
	b, _ := json.Marshal(v) // cursors are plain structs
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeToken reads a token made by encodeToken into v.
func decodeToken(token string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || json.Unmarshal(b, v) != nil {
		return errInvalidParam.New(msgBadToken)
	}
	return nil
}
