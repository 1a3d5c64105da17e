package logs

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/keyenc"
)

// The keyspace of this package, all under "logs/":
//
//	logs/g/<group>                             a log group (JSON groupRecord)
//	logs/s/<group><stream>                     a log stream (JSON streamRecord)
//	logs/e/<group><stream><timestamp><seq>     an event (JSON eventRecord)
//
// Group names are stored raw after logs/g/ (they cannot hold 0x00, so a
// name prefix is a key prefix); in the other keys names are keyenc
// strings, and timestamp and seq are keyenc uint64s.
const (
	groupsPrefix  = "logs/g/"
	streamsPrefix = "logs/s/"
	eventsPrefix  = "logs/e/"
)

// groupRecord is the stored form of a log group.
type groupRecord struct {
	CreationTime int64 `json:"c"`
}

// streamRecord is the stored form of a log stream.
type streamRecord struct {
	CreationTime   int64  `json:"c"`
	FirstEventTime int64  `json:"f,omitempty"`
	LastEventTime  int64  `json:"l,omitempty"`
	LastIngestion  int64  `json:"i,omitempty"`
	NextSeq        uint64 `json:"n"`
	StoredBytes    int64  `json:"b,omitempty"`
}

// eventRecord is the stored form of one log event.
type eventRecord struct {
	Message       string `json:"m"`
	IngestionTime int64  `json:"i"`
}

// errNoGroup and errNoStream are the load functions' answers for missing records.
var (
	errNoGroup  = errors.New("logs: no such group")
	errNoStream = errors.New("logs: no such stream")
)

func groupKey(group string) []byte { return append([]byte(groupsPrefix), group...) }

func streamsOf(group string) []byte {
	return keyenc.AppendString([]byte(streamsPrefix), group)
}

func streamKey(group, stream string) []byte { return keyenc.AppendString(streamsOf(group), stream) }

// groupEvents is the key prefix of all the events of a group.
func groupEvents(group string) []byte { return keyenc.AppendString([]byte(eventsPrefix), group) }

// eventsOf is the key prefix of a stream's events.
func eventsOf(group, stream string) []byte { return keyenc.AppendString(groupEvents(group), stream) }

// eventKey appends an event position (timestamp, seq) to a stream's prefix.
func eventKey(prefix []byte, p position) []byte {
	k := make([]byte, len(prefix), len(prefix)+16)
	copy(k, prefix)
	return keyenc.AppendUint64(keyenc.AppendUint64(k, uint64(p.Timestamp)), p.Seq)
}

// position orders the events of one stream.
type position struct {
	Timestamp int64
	Seq       uint64
}

// decodePosition reads the position at the end of an event key.
func decodePosition(key []byte, prefixLen int) (position, error) {
	ts, rest, err := keyenc.DecodeUint64(key[prefixLen:])
	if err != nil {
		return position{}, fmt.Errorf("logs: event key: %w", err)
	}
	seq, _, err := keyenc.DecodeUint64(rest)
	if err != nil {
		return position{}, fmt.Errorf("logs: event key: %w", err)
	}
	return position{Timestamp: int64(ts), Seq: seq}, nil
}

// load reads the JSON record at key into v, returning missing when absent.
func load(tx storage.ReadTx, key []byte, v any, missing error) error {
	raw, err := tx.Get(key)
	if errors.Is(err, storage.ErrNotFound) {
		return missing
	}
	if err != nil {
		return fmt.Errorf("logs: load %q: %w", key, err)
	}
	return decode(key, raw, v)
}

// decode decodes the JSON record raw, stored at key, into v.
func decode(key, raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("logs: decode %q: %w", key, err)
	}
	return nil
}

// save writes v as JSON at key.
func save(tx storage.Tx, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("logs: encode: %w", err)
	}
	if err := tx.Set(key, raw); err != nil {
		return fmt.Errorf("logs: save: %w", err)
	}
	return nil
}

func loadGroup(tx storage.ReadTx, group string) (*groupRecord, error) {
	var g groupRecord
	return &g, load(tx, groupKey(group), &g, errNoGroup)
}

// loadStream reads a stream, answering errNoGroup when its group is missing.
func loadStream(tx storage.ReadTx, group, stream string) (*streamRecord, error) {
	if _, err := loadGroup(tx, group); err != nil {
		return nil, err
	}
	var st streamRecord
	return &st, load(tx, streamKey(group, stream), &st, errNoStream)
}

// deleteRange deletes every key starting with prefix.
func deleteRange(tx storage.Tx, prefix []byte) error {
	var keys [][]byte
	err := tx.Scan(storage.Range{Start: prefix, End: storage.PrefixEnd(prefix)}, func(k, _ []byte) bool {
		keys = append(keys, append([]byte(nil), k...))
		return true
	})
	if err != nil {
		return fmt.Errorf("logs: %w", err)
	}
	for _, k := range keys {
		if err := tx.Delete(k); err != nil {
			return fmt.Errorf("logs: %w", err)
		}
	}
	return nil
}

// notFound maps the load errors to the API's ResourceNotFoundException.
func notFound(err error) error {
	switch {
	case errors.Is(err, errNoGroup):
		return errNotFound.New(msgGroupNotFound)
	case errors.Is(err, errNoStream):
		return errNotFound.New(msgStreamNotFound)
	}
	return err
}
