package s3

import (
	"crypto/md5"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/blob"
	"github.com/fogbank/fogbank/internal/storage/pebble"
)

// testClock is a clock that moves only when told to.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newClockedService returns a Service over a fresh engine whose clock
// moves only when the returned testClock is advanced.
func newClockedService(t testing.TB) (*Service, *testClock) {
	t.Helper()
	engine, err := pebble.Open(t.TempDir(), pebble.Options{})
	if err != nil {
		t.Fatalf("pebble.Open: %v", err)
	}
	t.Cleanup(func() { engine.Close() })
	blobs, err := blob.NewFS(t.TempDir())
	if err != nil {
		t.Fatalf("NewFS: %v", err)
	}
	clock := &testClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	s, err := New(Options{Engine: engine, Blobs: blobs, Region: "us-east-1", Now: clock.Now, MasterKey: make([]byte, MasterKeySize)})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, clock
}

// call sends one request to s, failing unless it answers want.
func call(t *testing.T, s *Service, want int, method, target, body string) string {
	t.Helper()
	w := httptest.NewRecorder()
	r := httptest.NewRequestWithContext(t.Context(), method, target, strings.NewReader(body))
	if body != "" {
		sum := md5.Sum([]byte(body))
		r.Header.Set("Content-MD5", base64.StdEncoding.EncodeToString(sum[:]))
	}
	s.ServeHTTP(w, r)
	if w.Code != want {
		t.Fatalf("%s %s = %d %s; want %d", method, target, w.Code, w.Body, want)
	}
	return w.Body.String()
}

// sweepOnce runs one sweep with 24-hour days and returns what it did.
func sweepOnce(t *testing.T, s *Service) LifecycleResult {
	t.Helper()
	res, err := s.SweepLifecycle(t.Context(), DefaultLifecycleDay)
	if err != nil {
		t.Fatalf("SweepLifecycle: %v", err)
	}
	return res
}

const day = 24 * time.Hour

func TestLifecycleExpiresCurrentObjects(t *testing.T) {
	s, clock := newClockedService(t)
	call(t, s, 200, http.MethodPut, "/bkt", "")
	call(t, s, 200, http.MethodPut, "/bkt/logs/old", "x")
	call(t, s, 200, http.MethodPut, "/bkt/keep/old", "x")
	call(t, s, 200, http.MethodPut, "/bkt?lifecycle", `<LifecycleConfiguration><Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter>
		<Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule></LifecycleConfiguration>`)

	clock.advance(2*day - time.Second)
	if res := sweepOnce(t, s); res != (LifecycleResult{}) {
		t.Errorf("sweep before the second day = %+v, want nothing", res)
	}
	clock.advance(time.Second)
	if res := sweepOnce(t, s); res != (LifecycleResult{Expired: 1}) {
		t.Errorf("sweep after two days = %+v, want 1 expired", res)
	}
	call(t, s, 404, http.MethodGet, "/bkt/logs/old", "")
	call(t, s, 200, http.MethodGet, "/bkt/keep/old", "")
	if res := sweepOnce(t, s); res != (LifecycleResult{}) {
		t.Errorf("second sweep = %+v, want nothing", res)
	}
}

func TestLifecycleNeedsContentMD5(t *testing.T) {
	s, _ := newClockedService(t)
	call(t, s, 200, http.MethodPut, "/bkt", "")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequestWithContext(t.Context(), http.MethodPut, "/bkt?lifecycle", strings.NewReader(
		`<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>`)))
	if w.Code != 400 || !strings.Contains(w.Body.String(), "Missing required header for this request: Content-MD5") {
		t.Errorf("PutBucketLifecycleConfiguration without Content-MD5 = %d %s, want 400 InvalidRequest", w.Code, w.Body)
	}
}

func TestLifecycleFilters(t *testing.T) {
	s, clock := newClockedService(t)
	call(t, s, 200, http.MethodPut, "/bkt", "")
	put := func(key, body, tagging string) {
		w := httptest.NewRecorder()
		r := httptest.NewRequestWithContext(t.Context(), http.MethodPut, "/bkt/"+key, strings.NewReader(body))
		r.Header.Set("X-Amz-Tagging", tagging)
		s.ServeHTTP(w, r)
		if w.Code != 200 {
			t.Fatalf("PUT %s = %d %s", key, w.Code, w.Body)
		}
	}
	put("tagged-big", "0123456789", "class=tmp")
	put("tagged-small", "0", "class=tmp")
	put("untagged-big", "0123456789", "")
	call(t, s, 200, http.MethodPut, "/bkt?lifecycle", `<LifecycleConfiguration><Rule><Filter><And><Prefix>tagged</Prefix>
		<Tag><Key>class</Key><Value>tmp</Value></Tag><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan></And></Filter>
		<Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>
		<Rule><Filter><Prefix>untagged</Prefix></Filter><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>
		</LifecycleConfiguration>`)
	clock.advance(day)
	if res := sweepOnce(t, s); res != (LifecycleResult{Expired: 1}) {
		t.Errorf("sweep = %+v, want 1 expired", res)
	}
	call(t, s, 404, http.MethodGet, "/bkt/tagged-big", "")
	call(t, s, 200, http.MethodGet, "/bkt/tagged-small", "")
	call(t, s, 200, http.MethodGet, "/bkt/untagged-big", "")
}

func TestLifecycleVersionedBucket(t *testing.T) {
	s, clock := newClockedService(t)
	call(t, s, 200, http.MethodPut, "/bkt", "")
	call(t, s, 200, http.MethodPut, "/bkt?versioning", `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`)
	call(t, s, 200, http.MethodPut, "/bkt/doc", "v1")
	clock.advance(day)
	call(t, s, 200, http.MethodPut, "/bkt/doc", "v2")
	call(t, s, 200, http.MethodPut, "/bkt?lifecycle", `<LifecycleConfiguration>
		<Rule><ID>expire</ID><Filter></Filter><Status>Enabled</Status><Expiration><Days>3</Days></Expiration>
			<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration></Rule>
		<Rule><ID>markers</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>
			<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>
		</LifecycleConfiguration>`)

	clock.advance(day / 2)
	if res := sweepOnce(t, s); res != (LifecycleResult{}) {
		t.Errorf("sweep at 1.5 days = %+v, want nothing", res)
	}
	clock.advance(day / 2) // v1 noncurrent for a day
	if res := sweepOnce(t, s); res != (LifecycleResult{NoncurrentDeleted: 1}) {
		t.Errorf("sweep at 2 days = %+v, want v1 deleted", res)
	}
	if got := call(t, s, 200, http.MethodGet, "/bkt/doc", ""); got != "v2" {
		t.Errorf("GET after noncurrent expiry = %q, want v2", got)
	}
	clock.advance(2 * day) // v2 three days old: a delete marker hides it
	if res := sweepOnce(t, s); res != (LifecycleResult{Expired: 1}) {
		t.Errorf("sweep at 4 days = %+v, want v2 expired", res)
	}
	call(t, s, 404, http.MethodGet, "/bkt/doc", "")
	versions := call(t, s, 200, http.MethodGet, "/bkt?versions", "")
	if strings.Count(versions, "</Version>") != 1 || strings.Count(versions, "</DeleteMarker>") != 1 {
		t.Errorf("versions at 4 days = %s, want v2 and a marker", versions)
	}
	clock.advance(day) // v2 noncurrent for a day, then the marker stands alone
	if res := sweepOnce(t, s); res != (LifecycleResult{NoncurrentDeleted: 1, MarkersRemoved: 1}) {
		t.Errorf("sweep at 5 days = %+v, want v2 and the marker removed", res)
	}
	if versions := call(t, s, 200, http.MethodGet, "/bkt?versions", ""); strings.Contains(versions, "<Key>") {
		t.Errorf("versions at 5 days = %s, want none", versions)
	}
}

func TestLifecycleNewerNoncurrentVersions(t *testing.T) {
	s, clock := newClockedService(t)
	call(t, s, 200, http.MethodPut, "/bkt", "")
	call(t, s, 200, http.MethodPut, "/bkt?versioning", `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`)
	for _, v := range []string{"v1", "v2", "v3", "v4"} {
		call(t, s, 200, http.MethodPut, "/bkt/doc", v)
		clock.advance(time.Hour)
	}
	call(t, s, 200, http.MethodPut, "/bkt?lifecycle", `<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status>
		<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration>
		</Rule></LifecycleConfiguration>`)
	clock.advance(day)
	if res := sweepOnce(t, s); res != (LifecycleResult{NoncurrentDeleted: 2}) {
		t.Errorf("sweep = %+v, want v1 and v2 deleted (v3 kept as the newest noncurrent)", res)
	}
	versions := call(t, s, 200, http.MethodGet, "/bkt?versions", "")
	if n := strings.Count(versions, "</Version>"); n != 2 {
		t.Errorf("versions = %s, want 2 (v4 and v3)", versions)
	}
}

func TestLifecycleAbortsUploads(t *testing.T) {
	s, clock := newClockedService(t)
	call(t, s, 200, http.MethodPut, "/bkt", "")
	created := call(t, s, 200, http.MethodPost, "/bkt/big?uploads", "")
	uploadID := created[strings.Index(created, "<UploadId>")+len("<UploadId>") : strings.Index(created, "</UploadId>")]
	call(t, s, 200, http.MethodPut, "/bkt/big?partNumber=1&uploadId="+uploadID, "part")
	call(t, s, 200, http.MethodPut, "/bkt?lifecycle", `<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status>
		<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>
		</Rule></LifecycleConfiguration>`)
	clock.advance(day)
	if res := sweepOnce(t, s); res != (LifecycleResult{UploadsAborted: 1}) {
		t.Errorf("sweep = %+v, want 1 upload aborted", res)
	}
	if uploads := call(t, s, 200, http.MethodGet, "/bkt?uploads", ""); strings.Contains(uploads, "<Upload>") {
		t.Errorf("uploads after sweep = %s, want none", uploads)
	}
	call(t, s, 404, http.MethodGet, "/bkt/big?uploadId="+uploadID, "")
}
