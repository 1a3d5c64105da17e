package s3

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/fogbank/fogbank/internal/awsproto/restxml"
	"github.com/fogbank/fogbank/internal/identity"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/storage"
)

// The event log: every object event that a bucket's notification
// configuration asks for is appended, in the transaction of the change
// itself, under
//
//	s3/e/<bucket>/<sequence, 16 hex digits> → Event (JSON)
//
// once for each configuration it matches. Sequences grow within a bucket
// (and across its deletion and re-creation, as they start from the clock
// in nanoseconds), so a dispatcher delivers a bucket's events in order by
// reading after the last sequence it delivered (ReadEvents) and trimming
// what it has delivered (TrimEvents). Deleting a bucket deletes its log.
const eventsPrefix = "s3/e/"

func eventsOf(bucket string) []byte { return []byte(eventsPrefix + bucket + "/") }

func eventKey(bucket string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(eventsOf(bucket), seq)
}

// Event is one entry of a bucket's event log: a notification message for
// one destination.
type Event struct {
	// Seq orders the bucket's events; it is also the message's sequencer.
	Seq uint64 `json:"-"`
	// ConfigurationID is the Id of the configuration that matched.
	ConfigurationID string `json:"configurationId"`
	// DestinationARN is the queue, topic or function the configuration
	// names.
	DestinationARN string `json:"destination"`
	// EventName is the event type without "s3:", like "ObjectCreated:Put",
	// or "s3:TestEvent" for the test message sent to a new destination.
	EventName string `json:"eventName"`
	// Body is the message exactly as S3 sends it: {"Records":[...]}, or
	// the test event.
	Body json.RawMessage `json:"body"`
}

// maxReadEvents bounds one ReadEvents.
const maxReadEvents = 1000

// ReadEvents returns up to limit events of bucket's log with a sequence
// above after, oldest first (limit 0 or above 1,000 reads 1,000).
func (s *Service) ReadEvents(ctx context.Context, bucket string, after uint64, limit int) ([]Event, error) {
	if limit <= 0 || limit > maxReadEvents {
		limit = maxReadEvents
	}
	if after == ^uint64(0) {
		return nil, nil
	}
	var events []Event
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		events = nil
		prefix := eventsOf(bucket)
		var decodeErr error
		r := storage.Range{Start: eventKey(bucket, after+1), End: storage.PrefixEnd(prefix), Limit: limit}
		err := tx.Scan(r, func(k, v []byte) bool {
			e := Event{Seq: binary.BigEndian.Uint64(k[len(prefix):])}
			if decodeErr = json.Unmarshal(v, &e); decodeErr != nil {
				return false
			}
			events = append(events, e)
			return true
		})
		return errors.Join(err, decodeErr)
	})
	if err != nil {
		return nil, wrapf(err, "read events of %s", bucket)
	}
	return events, nil
}

// NotifyingBuckets returns the buckets that have a notification
// configuration, whose event logs a dispatcher reads.
func (s *Service) NotifyingBuckets(ctx context.Context) ([]string, error) {
	var buckets []string
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		buckets = nil
		prefix := configsOf(configNotification)
		return tx.Scan(storage.Range{Start: prefix, End: storage.PrefixEnd(prefix)}, func(k, _ []byte) bool {
			buckets = append(buckets, string(k[len(prefix):]))
			return true
		})
	})
	if err != nil {
		return nil, wrapf(err, "list notifying buckets")
	}
	return buckets, nil
}

// TrimEvents deletes bucket's events up to sequence upTo, once delivered.
func (s *Service) TrimEvents(ctx context.Context, bucket string, upTo uint64) error {
	return s.engine.Update(ctx, func(tx storage.Tx) error {
		return deleteEvents(tx, bucket, storage.Range{Start: eventsOf(bucket), End: eventKey(bucket, upTo+1)})
	})
}

// deleteEventLog deletes a bucket's whole event log.
func deleteEventLog(tx storage.Tx, bucket string) error {
	return deleteEvents(tx, bucket, storage.Range{Start: eventsOf(bucket), End: storage.PrefixEnd(eventsOf(bucket))})
}

func deleteEvents(tx storage.Tx, bucket string, r storage.Range) error {
	var keys [][]byte
	err := tx.Scan(r, func(k, _ []byte) bool {
		keys = append(keys, append([]byte(nil), k...))
		return true
	})
	if err != nil {
		return wrapf(err, "scan events of %s", bucket)
	}
	for _, k := range keys {
		if err := tx.Delete(k); err != nil {
			return wrapf(err, "delete event")
		}
	}
	return nil
}

// eventSource is what an object event records of its cause.
type eventSource struct {
	requestID, sourceIP, principal string
	// created is how the request creates objects: "Put", "Copy", "Post"
	// or "CompleteMultipartUpload".
	created string
	// lifecycle marks the changes of the lifecycle worker.
	lifecycle bool
}

type eventSourceKey struct{}

// withEventSource returns r with what the object events it causes record
// of it.
func withEventSource(r *http.Request) *http.Request {
	src := eventSource{requestID: logging.RequestID(r.Context()), sourceIP: r.RemoteAddr, principal: "Anonymous", created: "Put"}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		src.sourceIP = host
	}
	if p, ok := identity.PrincipalFromContext(r.Context()); ok && p.AccessKeyID != "" {
		src.principal = "AWS:" + p.AccessKeyID
	}
	switch q := r.URL.Query(); {
	case r.Method == http.MethodPost && q.Has("uploadId"):
		src.created = "CompleteMultipartUpload"
	case r.Method == http.MethodPost:
		src.created = "Post"
	case r.Header.Get(headerCopySource) != "":
		src.created = "Copy"
	}
	return r.WithContext(context.WithValue(r.Context(), eventSourceKey{}, src))
}

// lifecycleContext marks ctx as the lifecycle worker's.
func lifecycleContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, eventSourceKey{}, eventSource{requestID: newEventRequestID(), sourceIP: "s3.amazonaws.com", principal: "s3.amazonaws.com", lifecycle: true})
}

func sourceOf(ctx context.Context) eventSource {
	src, ok := ctx.Value(eventSourceKey{}).(eventSource)
	if !ok {
		return eventSource{requestID: newEventRequestID(), principal: "Anonymous", created: "Put"}
	}
	return src
}

// newEventRequestID returns a request id like S3's for a change no request
// made.
func newEventRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// objectWritten records, in tx, the event of rec's commit as the newest
// version of bucket/key: ObjectCreated:<how>, or for a delete marker
// ObjectRemoved:DeleteMarkerCreated (LifecycleExpiration:... when the
// lifecycle worker made it).
func (s *Service) objectWritten(ctx context.Context, tx storage.Tx, bucket, key string, rec *objectRecord) error {
	src := sourceOf(ctx)
	name := "ObjectCreated:" + src.created
	switch {
	case rec.DeleteMarker && src.lifecycle:
		name = "LifecycleExpiration:DeleteMarkerCreated"
	case rec.DeleteMarker:
		name = "ObjectRemoved:DeleteMarkerCreated"
	}
	return s.recordEvent(ctx, tx, bucket, key, rec, name)
}

// objectRemoved records, in tx, the event of the permanent removal of
// version rec of bucket/key (nil: nothing was removed).
func (s *Service) objectRemoved(ctx context.Context, tx storage.Tx, bucket, key string, rec *objectRecord) error {
	if rec == nil {
		return nil
	}
	name := "ObjectRemoved:Delete"
	if sourceOf(ctx).lifecycle {
		name = "LifecycleExpiration:Delete"
	}
	return s.recordEvent(ctx, tx, bucket, key, rec, name)
}

// recordEvent appends event name for bucket/key to the bucket's event
// log once for each notification configuration that asks for it.
func (s *Service) recordEvent(ctx context.Context, tx storage.Tx, bucket, key string, rec *objectRecord, name string) error {
	var cfg NotificationConfiguration
	found, err := getJSON(tx, configKey(configNotification, bucket), &cfg)
	if err != nil || !found {
		return err
	}
	return cfg.each(func(t *NotificationTarget, arn string) error {
		if !t.wants(name, key) {
			return nil
		}
		return s.appendEvent(tx, bucket, Event{ConfigurationID: t.ID, DestinationARN: arn, EventName: name},
			func(seq uint64) any { return s.eventMessage(ctx, bucket, key, rec, name, t.ID, seq) })
	})
}

// appendEvent appends e to bucket's log with the next sequence, its body
// made by body.
func (s *Service) appendEvent(tx storage.Tx, bucket string, e Event, body func(seq uint64) any) error {
	last := uint64(0)
	prefix := eventsOf(bucket)
	err := tx.Scan(storage.Range{Start: prefix, End: storage.PrefixEnd(prefix), Reverse: true, Limit: 1}, func(k, _ []byte) bool {
		last = binary.BigEndian.Uint64(k[len(prefix):])
		return false
	})
	if err != nil {
		return wrapf(err, "scan events of %s", bucket)
	}
	seq := max(last+1, uint64(s.now().UnixNano()))
	if e.Body, err = json.Marshal(body(seq)); err != nil {
		return wrapf(err, "encode event")
	}
	return setJSON(tx, eventKey(bucket, seq), &e)
}

// eventMessage is S3's notification message for one object event.
func (s *Service) eventMessage(ctx context.Context, bucket, key string, rec *objectRecord, name, configID string, seq uint64) *eventMessage {
	src := sourceOf(ctx)
	r := eventRecord{
		EventVersion: "2.1", EventSource: "aws:s3", AWSRegion: s.region,
		EventTime: formatTime(s.now()), EventName: name,
		UserIdentity:      principalID{src.principal},
		RequestParameters: requestParameters{SourceIPAddress: src.sourceIP},
		ResponseElements:  responseElements{RequestID: src.requestID, HostID: restxml.HostID(src.requestID)},
		S3: eventS3{
			SchemaVersion: "1.0", ConfigurationID: configID,
			Bucket: eventBucket{Name: bucket, OwnerIdentity: principalID{s.owner.ID}, ARN: "arn:aws:s3:::" + bucket},
			Object: eventObject{Key: eventKeyName(key), VersionID: rec.versionName(), Sequencer: fmt.Sprintf("%016X", seq)},
		},
	}
	if r.S3.Object.VersionID == nullVersion {
		r.S3.Object.VersionID = ""
	}
	if strings.HasPrefix(name, "ObjectCreated:") {
		r.S3.Object.Size, r.S3.Object.ETag = &rec.Size, strings.Trim(rec.ETag, `"`)
	}
	return &eventMessage{Records: []eventRecord{r}}
}

// eventKeyName URL-encodes a key as S3 does in event messages (a space is
// "+", "/" stays).
func eventKeyName(key string) string {
	return strings.ReplaceAll(url.QueryEscape(key), "%2F", "/")
}

// appendTestEvents appends S3's s3:TestEvent for each queue and topic of
// a configuration being set.
func (s *Service) appendTestEvents(ctx context.Context, tx storage.Tx, bucket string, cfg *NotificationConfiguration) error {
	src := sourceOf(ctx)
	msg := testEvent{Service: "Amazon S3", Event: "s3:TestEvent", Time: formatTime(s.now()), Bucket: bucket,
		RequestID: src.requestID, HostID: restxml.HostID(src.requestID)}
	for _, list := range [][]NotificationTarget{cfg.Queues, cfg.Topics} {
		for _, t := range list {
			e := Event{ConfigurationID: t.ID, DestinationARN: t.Queue + t.Topic, EventName: "s3:TestEvent"}
			if err := s.appendEvent(tx, bucket, e, func(uint64) any { return &msg }); err != nil {
				return err
			}
		}
	}
	return nil
}

// The JSON of S3's event messages.
type (
	eventMessage struct {
		Records []eventRecord `json:"Records"`
	}
	eventRecord struct {
		EventVersion      string            `json:"eventVersion"`
		EventSource       string            `json:"eventSource"`
		AWSRegion         string            `json:"awsRegion"`
		EventTime         string            `json:"eventTime"`
		EventName         string            `json:"eventName"`
		UserIdentity      principalID       `json:"userIdentity"`
		RequestParameters requestParameters `json:"requestParameters"`
		ResponseElements  responseElements  `json:"responseElements"`
		S3                eventS3           `json:"s3"`
	}
	principalID struct {
		PrincipalID string `json:"principalId"`
	}
	requestParameters struct {
		SourceIPAddress string `json:"sourceIPAddress"`
	}
	responseElements struct {
		RequestID string `json:"x-amz-request-id"`
		HostID    string `json:"x-amz-id-2"`
	}
	eventS3 struct {
		SchemaVersion   string      `json:"s3SchemaVersion"`
		ConfigurationID string      `json:"configurationId"`
		Bucket          eventBucket `json:"bucket"`
		Object          eventObject `json:"object"`
	}
	eventBucket struct {
		Name          string      `json:"name"`
		OwnerIdentity principalID `json:"ownerIdentity"`
		ARN           string      `json:"arn"`
	}
	eventObject struct {
		Key       string `json:"key"`
		Size      *int64 `json:"size,omitempty"`
		ETag      string `json:"eTag,omitempty"`
		VersionID string `json:"versionId,omitempty"`
		Sequencer string `json:"sequencer"`
	}
	testEvent struct {
		Service   string `json:"Service"`
		Event     string `json:"Event"`
		Time      string `json:"Time"`
		Bucket    string `json:"Bucket"`
		RequestID string `json:"RequestId"`
		HostID    string `json:"HostId"`
	}
)
