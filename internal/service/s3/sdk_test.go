package s3_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/fogtest"
)

// styles runs a test with a path-style and a virtual-host-style client.
func styles(t *testing.T, test func(t *testing.T, c *s3.Client)) {
	t.Helper()
	srv := fogtest.Start(t)
	for _, style := range []struct {
		name string
		path bool
	}{{"path", true}, {"virtual", false}} {
		t.Run(style.name, func(t *testing.T) {
			test(t, srv.S3(func(o *s3.Options) { o.UsePathStyle = style.path }))
		})
	}
}

// errorCode returns the AWS error code of err, "" when there is none.
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func wantCode(t *testing.T, op string, err error, want string) {
	t.Helper()
	if got := errorCode(err); got != want {
		t.Errorf("%s: err = %v, want %s", op, err, want)
	}
}

func mustCreate(t *testing.T, c *s3.Client, bucket string) {
	t.Helper()
	if _, err := c.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("CreateBucket(%s): %v", bucket, err)
	}
}

func mustPut(t *testing.T, c *s3.Client, bucket, key, body string) *s3.PutObjectOutput {
	t.Helper()
	out, err := c.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body)})
	if err != nil {
		t.Fatalf("PutObject(%s/%s): %v", bucket, key, err)
	}
	return out
}

func TestBuckets(t *testing.T) {
	t.Parallel()
	styles(t, func(t *testing.T, c *s3.Client) {
		ctx := t.Context()
		bucket := "photos-" + strings.ToLower(t.Name()[len("TestBuckets/"):])
		mustCreate(t, c, bucket)
		_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
		wantCode(t, "CreateBucket again", err, "BucketAlreadyOwnedByYou")
		head, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
		if err != nil || aws.ToString(head.BucketRegion) != fogtest.Region {
			t.Errorf("HeadBucket = %v, %v; want region %s", head, err, fogtest.Region)
		}
		loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(bucket)})
		if err != nil || loc.LocationConstraint != "" {
			t.Errorf("GetBucketLocation = %v, %v; want empty constraint", loc, err)
		}
		list, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
		if err != nil {
			t.Fatalf("ListBuckets: %v", err)
		}
		var names []string
		for _, b := range list.Buckets {
			names = append(names, aws.ToString(b.Name))
		}
		if !strings.Contains(strings.Join(names, ","), bucket) {
			t.Errorf("ListBuckets = %v, want %s among them", names, bucket)
		}
		mustPut(t, c, bucket, "a", "x")
		_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)})
		wantCode(t, "DeleteBucket non-empty", err, "BucketNotEmpty")
		if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String("a")}); err != nil {
			t.Fatalf("DeleteObject: %v", err)
		}
		if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}); err != nil {
			t.Fatalf("DeleteBucket: %v", err)
		}
		_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
		wantCode(t, "HeadBucket deleted", err, "NotFound")
		_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
		wantCode(t, "ListObjectsV2 deleted", err, "NoSuchBucket")
	})
}

func TestInvalidBucketName(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	for _, name := range []string{"ab", "Upper", "a..b", "192.168.1.1", "-start", "xn--abc", strings.Repeat("a", 64)} {
		_, err := c.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(name)})
		wantCode(t, "CreateBucket("+name+")", err, "InvalidBucketName")
	}
	_, err := c.CreateBucket(t.Context(), &s3.CreateBucketInput{
		Bucket:                    aws.String("elsewhere"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1},
	})
	wantCode(t, "CreateBucket(eu-west-1)", err, "IllegalLocationConstraintException")
}

func TestBucketConfigurations(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	ctx, b := t.Context(), aws.String("conf")
	mustCreate(t, c, "conf")
	v, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	if err != nil || v.Status != "" {
		t.Errorf("GetBucketVersioning before = %v, %v; want no status", v.Status, err)
	}
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b,
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatalf("PutBucketVersioning: %v", err)
	}
	if v, err = c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b}); err != nil || v.Status != types.BucketVersioningStatusEnabled {
		t.Errorf("GetBucketVersioning = %v, %v; want Enabled", v.Status, err)
	}
	_, err = c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
	wantCode(t, "GetBucketTagging before", err, "NoSuchTagSet")
	tags := []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}}
	if _, err := c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: b, Tagging: &types.Tagging{TagSet: tags}}); err != nil {
		t.Fatalf("PutBucketTagging: %v", err)
	}
	got, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
	if err != nil {
		t.Fatalf("GetBucketTagging: %v", err)
	}
	if diff := cmp.Diff(tags, got.TagSet, cmpSDK); diff != "" {
		t.Errorf("GetBucketTagging mismatch (-want +got):\n%s", diff)
	}
	_, err = c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
	wantCode(t, "GetBucketCors before", err, "NoSuchCORSConfiguration")
	rules := []types.CORSRule{{AllowedMethods: []string{"GET", "PUT"}, AllowedOrigins: []string{"https://app.example"},
		AllowedHeaders: []string{"*"}, MaxAgeSeconds: aws.Int32(600)}}
	if _, err := c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: b, CORSConfiguration: &types.CORSConfiguration{CORSRules: rules}}); err != nil {
		t.Fatalf("PutBucketCors: %v", err)
	}
	cors, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
	if err != nil {
		t.Fatalf("GetBucketCors: %v", err)
	}
	if diff := cmp.Diff(rules, cors.CORSRules, cmpSDK); diff != "" {
		t.Errorf("GetBucketCors mismatch (-want +got):\n%s", diff)
	}
	if _, err := c.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: b}); err != nil {
		t.Fatalf("DeleteBucketCors: %v", err)
	}
	if _, err := c.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: b}); err != nil {
		t.Fatalf("DeleteBucketTagging: %v", err)
	}
	_, err = c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
	wantCode(t, "GetBucketTagging after delete", err, "NoSuchTagSet")
}

// cmpSDK ignores the SDK's unexported bookkeeping fields.
var cmpSDK = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	return ok && sf.Name() == "noSmithyDocumentSerde"
}, cmp.Ignore())

func TestPutGetObject(t *testing.T) {
	t.Parallel()
	styles(t, func(t *testing.T, c *s3.Client) {
		ctx := t.Context()
		bucket := "objects-" + strings.ToLower(t.Name()[len("TestPutGetObject/"):])
		mustCreate(t, c, bucket)
		body := strings.Repeat("0123456789", 1000)
		put, err := c.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(bucket), Key: aws.String("dir/file name+.txt"), Body: strings.NewReader(body),
			ContentType: aws.String("text/plain"), CacheControl: aws.String("max-age=60"),
			ContentDisposition: aws.String("attachment"), Metadata: map[string]string{"owner": "ana"},
		})
		if err != nil {
			t.Fatalf("PutObject: %v", err)
		}
		get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/file name+.txt")})
		if err != nil {
			t.Fatalf("GetObject: %v", err)
		}
		got, err := io.ReadAll(get.Body)
		get.Body.Close()
		if err != nil || string(got) != body {
			t.Fatalf("GetObject body: %d bytes, %v; want %d bytes", len(got), err, len(body))
		}
		type meta struct{ ETag, ContentType, CacheControl, ContentDisposition, Owner string }
		want := meta{aws.ToString(put.ETag), "text/plain", "max-age=60", "attachment", "ana"}
		if diff := cmp.Diff(want, meta{aws.ToString(get.ETag), aws.ToString(get.ContentType), aws.ToString(get.CacheControl),
			aws.ToString(get.ContentDisposition), get.Metadata["owner"]}); diff != "" {
			t.Errorf("GetObject headers mismatch (-want +got):\n%s", diff)
		}
		_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("missing")})
		wantCode(t, "GetObject missing", err, "NoSuchKey")
		_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("missing")})
		wantCode(t, "HeadObject missing", err, "NotFound")
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/file name+.txt")})
		if err != nil || aws.ToInt64(head.ContentLength) != int64(len(body)) {
			t.Errorf("HeadObject = %v, %v; want length %d", head, err, len(body))
		}
	})
}

func TestChecksumAlgorithms(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	mustCreate(t, c, "sums")
	for _, alg := range []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc32, types.ChecksumAlgorithmCrc32c,
		types.ChecksumAlgorithmSha1, types.ChecksumAlgorithmSha256, types.ChecksumAlgorithmCrc64nvme} {
		key := aws.String(string(alg))
		_, err := c.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("sums"), Key: key,
			Body: strings.NewReader("hello"), ChecksumAlgorithm: alg})
		if err != nil {
			t.Errorf("PutObject(%s): %v", alg, err)
			continue
		}
		get, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("sums"), Key: key, ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			t.Errorf("GetObject(%s): %v", alg, err)
			continue
		}
		if _, err := io.ReadAll(get.Body); err != nil { // the SDK validates the checksum at EOF
			t.Errorf("GetObject(%s) body: %v", alg, err)
		}
		get.Body.Close()
	}
	_, err := c.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String("bad"),
		Body: strings.NewReader("hello"), ContentMD5: aws.String("1B2M2Y8AsgTpgAmY7PhCfg==")})
	wantCode(t, "PutObject bad Content-MD5", err, "BadDigest")
	_, err = c.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String("bad"),
		Body: strings.NewReader("hello"), ChecksumCRC32: aws.String("AAAAAA==")})
	wantCode(t, "PutObject bad CRC32", err, "BadDigest")
	_, err = c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("sums"), Key: aws.String("bad")})
	wantCode(t, "HeadObject after failed puts", err, "NotFound")
}

func TestRangesAndConditions(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	ctx, b, k := t.Context(), aws.String("ranges"), aws.String("digits")
	mustCreate(t, c, "ranges")
	put := mustPut(t, c, "ranges", "digits", "0123456789")
	for _, tc := range []struct{ rng, want, contentRange string }{
		{"bytes=2-4", "234", "bytes 2-4/10"},
		{"bytes=7-", "789", "bytes 7-9/10"},
		{"bytes=-2", "89", "bytes 8-9/10"},
		{"bytes=8-100", "89", "bytes 8-9/10"},
	} {
		get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, Range: aws.String(tc.rng)})
		if err != nil {
			t.Errorf("GetObject(Range %s): %v", tc.rng, err)
			continue
		}
		got, _ := io.ReadAll(get.Body)
		get.Body.Close()
		if string(got) != tc.want || aws.ToString(get.ContentRange) != tc.contentRange {
			t.Errorf("GetObject(Range %s) = %q %q, want %q %q", tc.rng, got, aws.ToString(get.ContentRange), tc.want, tc.contentRange)
		}
	}
	_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, Range: aws.String("bytes=10-")})
	wantCode(t, "GetObject unsatisfiable range", err, "InvalidRange")
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, IfMatch: aws.String(`"nope"`)})
	wantCode(t, "GetObject If-Match", err, "PreconditionFailed")
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, IfNoneMatch: put.ETag})
	wantCode(t, "GetObject If-None-Match", err, "NotModified")
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, IfModifiedSince: aws.Time(time.Now().Add(time.Hour))})
	wantCode(t, "GetObject If-Modified-Since", err, "NotModified")
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, IfUnmodifiedSince: aws.Time(time.Now().Add(-time.Hour))})
	wantCode(t, "GetObject If-Unmodified-Since", err, "PreconditionFailed")
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, IfMatch: put.ETag,
		ResponseContentType: aws.String("text/csv"), ResponseContentDisposition: aws.String("inline")})
	if err != nil {
		t.Fatalf("GetObject with overrides: %v", err)
	}
	get.Body.Close()
	if aws.ToString(get.ContentType) != "text/csv" || aws.ToString(get.ContentDisposition) != "inline" {
		t.Errorf("overrides: Content-Type %q, Content-Disposition %q", aws.ToString(get.ContentType), aws.ToString(get.ContentDisposition))
	}
}

func TestCopyAndDeleteObjects(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	ctx := t.Context()
	mustCreate(t, c, "src")
	mustCreate(t, c, "dst")
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("src"), Key: aws.String("a b"), Body: strings.NewReader("data"),
		ContentType: aws.String("text/plain"), Metadata: map[string]string{"k": "v"}}); err != nil {
		t.Fatal(err)
	}
	_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("src"), Key: aws.String("a b"), CopySource: aws.String("src/a%20b")})
	wantCode(t, "CopyObject onto itself", err, "InvalidRequest")
	out, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("copy"), CopySource: aws.String("src/a%20b")})
	if err != nil {
		t.Fatalf("CopyObject: %v", err)
	}
	if aws.ToString(out.CopyObjectResult.ETag) != `"8d777f385d3dfec8815d20f7496026dc"` {
		t.Errorf("CopyObject ETag = %s, want the MD5 of %q", aws.ToString(out.CopyObjectResult.ETag), "data")
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("dst"), Key: aws.String("copy")})
	if err != nil || head.Metadata["k"] != "v" || aws.ToString(head.ContentType) != "text/plain" {
		t.Errorf("HeadObject of COPY = %v, %v; want source metadata", head, err)
	}
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("copy"), CopySource: aws.String("dst/copy"),
		MetadataDirective: types.MetadataDirectiveReplace, Metadata: map[string]string{"new": "1"}}); err != nil {
		t.Fatalf("CopyObject REPLACE: %v", err)
	}
	head, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("dst"), Key: aws.String("copy")})
	if err != nil || head.Metadata["new"] != "1" || head.Metadata["k"] != "" {
		t.Errorf("HeadObject of REPLACE = %v, %v; want only new metadata", head.Metadata, err)
	}
	mustPut(t, c, "dst", "x", "1")
	del, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("dst"), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{{Key: aws.String("copy")}, {Key: aws.String("x")}, {Key: aws.String("never")}}}})
	if err != nil {
		t.Fatalf("DeleteObjects: %v", err)
	}
	if len(del.Deleted) != 3 || len(del.Errors) != 0 {
		t.Errorf("DeleteObjects: %d deleted, %d errors; want 3, 0", len(del.Deleted), len(del.Errors))
	}
	list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("dst")})
	if err != nil || aws.ToInt32(list.KeyCount) != 0 {
		t.Errorf("ListObjectsV2 after DeleteObjects = %v, %v; want empty", list, err)
	}
}

func TestListObjects(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	ctx, b := t.Context(), aws.String("list")
	mustCreate(t, c, "list")
	for _, k := range []string{"a/1", "a/2", "b/1", "c", "d/x/1", "e"} {
		mustPut(t, c, "list", k, k)
	}
	out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b, Delimiter: aws.String("/")})
	if err != nil {
		t.Fatalf("ListObjectsV2: %v", err)
	}
	if diff := cmp.Diff(listing{[]string{"c", "e"}, []string{"a/", "b/", "d/"}, 5}, summarize(out)); diff != "" {
		t.Errorf("ListObjectsV2 delimiter mismatch (-want +got):\n%s", diff)
	}
	var keys []string
	pages := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: b, MaxKeys: aws.Int32(2)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListObjectsV2 page: %v", err)
		}
		keys = append(keys, summarize(page).Keys...)
	}
	if diff := cmp.Diff([]string{"a/1", "a/2", "b/1", "c", "d/x/1", "e"}, keys); diff != "" {
		t.Errorf("paginated ListObjectsV2 mismatch (-want +got):\n%s", diff)
	}
	out, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b, Prefix: aws.String("d/"), Delimiter: aws.String("/"), StartAfter: aws.String("a")})
	if err != nil {
		t.Fatalf("ListObjectsV2 prefix: %v", err)
	}
	if diff := cmp.Diff(listing{nil, []string{"d/x/"}, 1}, summarize(out)); diff != "" {
		t.Errorf("ListObjectsV2 prefix mismatch (-want +got):\n%s", diff)
	}
	v1, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: b, Marker: aws.String("b/1"), MaxKeys: aws.Int32(2)})
	if err != nil {
		t.Fatalf("ListObjects: %v", err)
	}
	var v1Keys []string
	for _, o := range v1.Contents {
		v1Keys = append(v1Keys, aws.ToString(o.Key))
	}
	if diff := cmp.Diff([]string{"c", "d/x/1"}, v1Keys); diff != "" || !aws.ToBool(v1.IsTruncated) || aws.ToString(v1.NextMarker) != "d/x/1" {
		t.Errorf("ListObjects(marker) = %v truncated=%v next=%q (-want +got):\n%s", v1Keys, aws.ToBool(v1.IsTruncated), aws.ToString(v1.NextMarker), diff)
	}
}

// listing is what a test checks of a ListObjectsV2 page.
type listing struct {
	Keys, Prefixes []string
	Count          int32
}

func summarize(out *s3.ListObjectsV2Output) (l listing) {
	for _, o := range out.Contents {
		l.Keys = append(l.Keys, aws.ToString(o.Key))
	}
	for _, p := range out.CommonPrefixes {
		l.Prefixes = append(l.Prefixes, aws.ToString(p.Prefix))
	}
	l.Count = aws.ToInt32(out.KeyCount)
	return l
}

func TestPresignedURLs(t *testing.T) {
	t.Parallel()
	srv := fogtest.Start(t)
	c := srv.S3()
	mustCreate(t, c, "shared")
	presign := s3.NewPresignClient(c)
	put, err := presign.PresignPutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("shared"), Key: aws.String("photo.jpg")},
		s3.WithPresignExpires(time.Minute))
	if err != nil {
		t.Fatalf("PresignPutObject: %v", err)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, put.URL, bytes.NewReader([]byte("jpeg")))
	resp, err := srv.S3HTTPClient().Do(req)
	if err != nil {
		t.Fatalf("presigned PUT: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("presigned PUT: status %d", resp.StatusCode)
	}
	get, err := presign.PresignGetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("shared"), Key: aws.String("photo.jpg")})
	if err != nil {
		t.Fatalf("PresignGetObject: %v", err)
	}
	resp, err = srv.S3HTTPClient().Get(get.URL)
	if err != nil {
		t.Fatalf("presigned GET: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "jpeg" {
		t.Errorf("presigned GET = %d %q, want 200 %q", resp.StatusCode, body, "jpeg")
	}
	expiredURL := presignAt(t, srv, "shared/photo.jpg", time.Now().Add(-time.Hour), 60)
	resp, err = srv.S3HTTPClient().Get(expiredURL)
	if err != nil {
		t.Fatalf("expired GET: %v", err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "<Code>AccessDenied</Code><Message>Request has expired</Message>") {
		t.Errorf("expired GET = %d %s, want 403 AccessDenied Request has expired", resp.StatusCode, body)
	}
}

// presignAt presigns a GET of path (bucket/key) signed at the given time,
// valid for expires seconds.
func presignAt(t *testing.T, srv *fogtest.Server, path string, at time.Time, expires int) string {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://localhost:"+port(srv)+"/"+path+"?X-Amz-Expires="+strconv.Itoa(expires), nil)
	creds := aws.Credentials{AccessKeyID: fogtest.AccessKeyID, SecretAccessKey: fogtest.SecretAccessKey}
	url, _, err := v4.NewSigner().PresignHTTP(t.Context(), creds, req, "UNSIGNED-PAYLOAD", "s3", fogtest.Region, at,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err != nil {
		t.Fatalf("PresignHTTP: %v", err)
	}
	return url
}

// port returns the server's port.
func port(srv *fogtest.Server) string {
	_, p, _ := net.SplitHostPort(srv.Addr())
	return p
}
