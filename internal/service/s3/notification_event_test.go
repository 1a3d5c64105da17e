package s3

import (
	"bytes"
	"crypto/md5"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// eventSummary is what a test compares of an event.
type eventSummary struct {
	Destination, Name, Key, ETag, VersionID string
	Size                                    *int64
}

func readEvents(t *testing.T, s *Service, bucket string, after uint64) ([]Event, []eventSummary) {
	t.Helper()
	events, err := s.ReadEvents(t.Context(), bucket, after, 0)
	if err != nil {
		t.Fatalf("ReadEvents: %v", err)
	}
	var got []eventSummary
	for _, e := range events {
		if e.EventName == "s3:TestEvent" {
			got = append(got, eventSummary{Destination: e.DestinationARN, Name: e.EventName})
			continue
		}
		var msg eventMessage
		if err := json.Unmarshal(e.Body, &msg); err != nil || len(msg.Records) != 1 {
			t.Fatalf("event body %s: %v", e.Body, err)
		}
		o := msg.Records[0].S3.Object
		got = append(got, eventSummary{Destination: e.DestinationARN, Name: msg.Records[0].EventName, Key: o.Key, ETag: o.ETag, VersionID: o.VersionID, Size: o.Size})
	}
	return events, got
}

const (
	testQueue    = "arn:aws:sqs:us-east-1:000000000000:uploads"
	testFunction = "arn:aws:lambda:us-east-1:000000000000:function:cleanup"
)

func TestNotificationEventLog(t *testing.T) {
	s, clock := newClockedService(t)
	call(t, s, 200, http.MethodPut, "/bkt", "")
	call(t, s, 200, http.MethodPut, "/bkt?notification", `<NotificationConfiguration>
		<QueueConfiguration><Id>jpegs</Id><Queue>`+testQueue+`</Queue><Event>s3:ObjectCreated:*</Event>
			<Filter><S3Key><FilterRule><Name>prefix</Name><Value>img/</Value></FilterRule>
			<FilterRule><Name>suffix</Name><Value>.jpg</Value></FilterRule></S3Key></Filter></QueueConfiguration>
		<CloudFunctionConfiguration><CloudFunction>`+testFunction+`</CloudFunction><Event>s3:ObjectRemoved:*</Event>
			<Event>s3:LifecycleExpiration:*</Event></CloudFunctionConfiguration>
		</NotificationConfiguration>`)
	call(t, s, 200, http.MethodPut, "/bkt/img/a%20b.jpg", "jpeg")
	call(t, s, 200, http.MethodPut, "/bkt/doc.txt", "text")
	call(t, s, 204, http.MethodDelete, "/bkt/img/a%20b.jpg", "")
	call(t, s, 200, http.MethodPut, "/bkt?lifecycle", `<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status>
		<Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>`)
	clock.advance(day)
	sweepOnce(t, s)

	if buckets, err := s.NotifyingBuckets(t.Context()); err != nil || !slices.Equal(buckets, []string{"bkt"}) {
		t.Errorf("NotifyingBuckets = %v, %v; want [bkt]", buckets, err)
	}
	size := int64(4)
	events, got := readEvents(t, s, "bkt", 0)
	want := []eventSummary{
		{Destination: testQueue, Name: "s3:TestEvent"},
		{Destination: testQueue, Name: "ObjectCreated:Put", Key: "img/a+b.jpg", ETag: "ab4f3ccba74857c5f2ba0d5b7dbf65e1", Size: &size},
		{Destination: testFunction, Name: "ObjectRemoved:Delete", Key: "img/a+b.jpg"},
		{Destination: testFunction, Name: "LifecycleExpiration:Delete", Key: "doc.txt"},
	}
	if diff := cmp.Diff(want, got, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".ETag" }, cmp.Ignore())); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	for i := 1; i < len(events); i++ {
		if events[i].Seq <= events[i-1].Seq {
			t.Errorf("event %d has sequence %d after %d", i, events[i].Seq, events[i-1].Seq)
		}
	}

	// The reader pages by sequence, and trimming drops what was delivered.
	if _, rest := readEvents(t, s, "bkt", events[1].Seq); len(rest) != 2 {
		t.Errorf("events after the second = %d, want 2", len(rest))
	}
	if err := s.TrimEvents(t.Context(), "bkt", events[2].Seq); err != nil {
		t.Fatalf("TrimEvents: %v", err)
	}
	if _, rest := readEvents(t, s, "bkt", 0); len(rest) != 1 || rest[0].Name != "LifecycleExpiration:Delete" {
		t.Errorf("events after trimming = %+v, want the last one", rest)
	}
}

func TestNotificationEventRecord(t *testing.T) {
	s, clock := newClockedService(t)
	call(t, s, 200, http.MethodPut, "/bkt", "")
	call(t, s, 200, http.MethodPut, "/bkt?versioning", `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`)
	call(t, s, 200, http.MethodPut, "/bkt?notification", `<NotificationConfiguration><CloudFunctionConfiguration><Id>all</Id>
		<CloudFunction>`+testFunction+`</CloudFunction><Event>s3:ObjectCreated:*</Event><Event>s3:ObjectRemoved:*</Event>
		</CloudFunctionConfiguration></NotificationConfiguration>`)
	clock.advance(time.Second)
	call(t, s, 200, http.MethodPut, "/bkt/photo.jpg", "jpeg")
	call(t, s, 204, http.MethodDelete, "/bkt/photo.jpg", "")
	events, got := readEvents(t, s, "bkt", 0)
	if len(got) != 2 || got[0].Name != "ObjectCreated:Put" || got[1].Name != "ObjectRemoved:DeleteMarkerCreated" ||
		got[0].VersionID == "" || got[1].VersionID == "" || got[1].VersionID == got[0].VersionID {
		t.Fatalf("events = %+v, want a versioned Put and a DeleteMarkerCreated", got)
	}
	var msg map[string]any
	if err := json.Unmarshal(events[0].Body, &msg); err != nil {
		t.Fatal(err)
	}
	record := msg["Records"].([]any)[0].(map[string]any)
	want := map[string]any{
		"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
		"eventTime": "2026-03-01T12:00:01.000Z", "eventName": "ObjectCreated:Put",
		"userIdentity":      map[string]any{"principalId": "Anonymous"},
		"requestParameters": map[string]any{"sourceIPAddress": "192.0.2.1"},
		"responseElements":  record["responseElements"],
		"s3": map[string]any{
			"s3SchemaVersion": "1.0", "configurationId": "all",
			"bucket": map[string]any{"name": "bkt", "ownerIdentity": map[string]any{"principalId": s.owner.ID}, "arn": "arn:aws:s3:::bkt"},
			"object": map[string]any{"key": "photo.jpg", "size": 4.0, "eTag": "ab4f3ccba74857c5f2ba0d5b7dbf65e1",
				"versionId": got[0].VersionID, "sequencer": record["s3"].(map[string]any)["object"].(map[string]any)["sequencer"]},
		},
	}
	if diff := cmp.Diff(want, record); diff != "" {
		t.Errorf("event record (-want +got):\n%s", diff)
	}
}

func TestNotificationEventNames(t *testing.T) {
	s, _ := newClockedService(t)
	call(t, s, 200, http.MethodPut, "/bkt", "")
	call(t, s, 200, http.MethodPut, "/bkt?notification", `<NotificationConfiguration><CloudFunctionConfiguration>
		<CloudFunction>`+testFunction+`</CloudFunction><Event>s3:ObjectCreated:*</Event><Event>s3:ObjectRemoved:*</Event>
		</CloudFunctionConfiguration></NotificationConfiguration>`)
	call(t, s, 200, http.MethodPut, "/bkt/src", "source")
	w := httptest.NewRecorder()
	r := httptest.NewRequestWithContext(t.Context(), http.MethodPut, "/bkt/copy", nil)
	r.Header.Set("X-Amz-Copy-Source", "/bkt/src")
	s.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Fatalf("CopyObject = %d %s", w.Code, w.Body)
	}
	created := call(t, s, 200, http.MethodPost, "/bkt/multi?uploads", "")
	uploadID := created[strings.Index(created, "<UploadId>")+len("<UploadId>") : strings.Index(created, "</UploadId>")]
	call(t, s, 200, http.MethodPut, "/bkt/multi?partNumber=1&uploadId="+uploadID, "part")
	call(t, s, 200, http.MethodPost, "/bkt/multi?uploadId="+uploadID, `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>
		<ETag>"`+fmt.Sprintf("%x", md5.Sum([]byte("part")))+`"</ETag></Part></CompleteMultipartUpload>`)
	call(t, s, 204, http.MethodDelete, "/bkt/src", "")
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	_ = mw.WriteField("key", "posted")
	fw, _ := mw.CreateFormFile("file", "posted.txt")
	_, _ = fw.Write([]byte("form bytes"))
	_ = mw.Close()
	w = httptest.NewRecorder()
	r = httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/bkt", &form)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	s.ServeHTTP(w, r)
	if w.Code != http.StatusNoContent {
		t.Fatalf("POST upload = %d %s", w.Code, w.Body)
	}

	_, got := readEvents(t, s, "bkt", 0)
	var names []string
	for _, e := range got {
		names = append(names, e.Name+" "+e.Key)
	}
	want := []string{"ObjectCreated:Put src", "ObjectCreated:Copy copy", "ObjectCreated:CompleteMultipartUpload multi", "ObjectRemoved:Delete src", "ObjectCreated:Post posted"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
