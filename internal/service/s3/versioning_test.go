package s3_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/fogtest"
)

func setVersioning(t *testing.T, c *s3.Client, bucket string, status types.BucketVersioningStatus) {
	t.Helper()
	if _, err := c.PutBucketVersioning(t.Context(), &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
		VersioningConfiguration: &types.VersioningConfiguration{Status: status}}); err != nil {
		t.Fatalf("PutBucketVersioning(%s): %v", status, err)
	}
}

// versionLine summarizes one entry of ListObjectVersions.
type versionLine struct {
	Key, Body    string
	Latest, Mark bool
}

// listVersions lists the bucket's versions, reading each version's body.
func listVersions(t *testing.T, c *s3.Client, bucket string) ([]versionLine, map[string]string) {
	t.Helper()
	out, err := c.ListObjectVersions(t.Context(), &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatalf("ListObjectVersions: %v", err)
	}
	var lines []versionLine
	ids := map[string]string{}
	for _, v := range out.Versions {
		_, body := getBytes(t, c, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: v.Key, VersionId: v.VersionId})
		lines = append(lines, versionLine{Key: aws.ToString(v.Key), Body: string(body), Latest: aws.ToBool(v.IsLatest)})
		ids[string(body)] = aws.ToString(v.VersionId)
	}
	for _, m := range out.DeleteMarkers {
		lines = append(lines, versionLine{Key: aws.ToString(m.Key), Latest: aws.ToBool(m.IsLatest), Mark: true})
		ids["marker"] = aws.ToString(m.VersionId)
	}
	return lines, ids
}

func TestVersioning(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	ctx, b, k := t.Context(), aws.String("ver"), aws.String("doc")
	mustCreate(t, c, "ver")
	mustPut(t, c, "ver", "doc", "before")
	setVersioning(t, c, "ver", types.BucketVersioningStatusEnabled)
	v1 := mustPut(t, c, "ver", "doc", "one")
	v2 := mustPut(t, c, "ver", "doc", "two")
	if aws.ToString(v1.VersionId) == "" || aws.ToString(v1.VersionId) == aws.ToString(v2.VersionId) {
		t.Fatalf("PutObject version ids %q, %q; want two distinct ids", aws.ToString(v1.VersionId), aws.ToString(v2.VersionId))
	}
	_, got := getBytes(t, c, &s3.GetObjectInput{Bucket: b, Key: k, VersionId: v1.VersionId})
	if string(got) != "one" {
		t.Errorf("GetObject(v1) = %q, want one", got)
	}
	lines, ids := listVersions(t, c, "ver")
	want := []versionLine{{"doc", "two", true, false}, {"doc", "one", false, false}, {"doc", "before", false, false}}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("ListObjectVersions (-want +got):\n%s", diff)
	}
	if ids["before"] != "null" {
		t.Errorf("version of the object written before versioning = %q, want null", ids["before"])
	}

	del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k})
	if err != nil || !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) == "" {
		t.Fatalf("DeleteObject = %+v, %v; want a delete marker", del, err)
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k})
	wantCode(t, "GetObject after delete", err, "NoSuchKey")
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.Response.Header.Get("X-Amz-Delete-Marker") != "true" ||
		re.Response.Header.Get("X-Amz-Version-Id") != aws.ToString(del.VersionId) {
		t.Errorf("GetObject after delete: want x-amz-delete-marker and the marker's version id; err %v", err)
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, VersionId: del.VersionId})
	wantCode(t, "GetObject(delete marker)", err, "MethodNotAllowed")
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, VersionId: aws.String("0000000000000000AAAAAAAA")})
	wantCode(t, "GetObject(unknown version)", err, "NoSuchVersion")
	if list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b}); err != nil || len(list.Contents) != 0 {
		t.Errorf("ListObjectsV2 after delete = %v, %v; want no objects", list, err)
	}
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: b})
	wantCode(t, "DeleteBucket with versions", err, "BucketNotEmpty")

	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, VersionId: del.VersionId}); err != nil {
		t.Fatalf("DeleteObject(marker): %v", err)
	}
	if _, got := getBytes(t, c, &s3.GetObjectInput{Bucket: b, Key: k}); string(got) != "two" {
		t.Errorf("GetObject after removing the marker = %q, want two", got)
	}
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, VersionId: v2.VersionId}); err != nil {
		t.Fatalf("DeleteObject(v2): %v", err)
	}
	if _, got := getBytes(t, c, &s3.GetObjectInput{Bucket: b, Key: k}); string(got) != "one" {
		t.Errorf("GetObject after removing v2 = %q, want one", got)
	}

	setVersioning(t, c, "ver", types.BucketVersioningStatusSuspended)
	if put := mustPut(t, c, "ver", "doc", "suspended"); aws.ToString(put.VersionId) != "null" {
		t.Errorf("PutObject while suspended: version %q, want null", aws.ToString(put.VersionId))
	}
	lines, _ = listVersions(t, c, "ver")
	want = []versionLine{{"doc", "suspended", true, false}, {"doc", "one", false, false}}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("ListObjectVersions after a suspended put (-want +got):\n%s", diff)
	}
}

func TestListObjectVersionsPages(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	mustCreate(t, c, "pages")
	setVersioning(t, c, "pages", types.BucketVersioningStatusEnabled)
	for _, key := range []string{"a", "a", "b", "dir/x", "dir/y"} {
		mustPut(t, c, "pages", key, key)
	}
	var got []string
	in := &s3.ListObjectVersionsInput{Bucket: aws.String("pages"), MaxKeys: aws.Int32(2), Delimiter: aws.String("/")}
	for {
		out, err := c.ListObjectVersions(t.Context(), in)
		if err != nil {
			t.Fatalf("ListObjectVersions: %v", err)
		}
		for _, v := range out.Versions {
			got = append(got, aws.ToString(v.Key))
		}
		for _, p := range out.CommonPrefixes {
			got = append(got, aws.ToString(p.Prefix))
		}
		if !aws.ToBool(out.IsTruncated) {
			break
		}
		in.KeyMarker, in.VersionIdMarker = out.NextKeyMarker, out.NextVersionIdMarker
	}
	if diff := cmp.Diff([]string{"a", "a", "b", "dir/"}, got); diff != "" {
		t.Errorf("paged ListObjectVersions (-want +got):\n%s", diff)
	}
}

func TestObjectTagging(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	ctx, b, k := t.Context(), aws.String("tags"), aws.String("obj")
	mustCreate(t, c, "tags")
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: k, Body: strings.NewReader("x"), Tagging: aws.String("b=2&a=1")}); err != nil {
		t.Fatalf("PutObject with tagging: %v", err)
	}
	tagsOf := func(key string) []string {
		t.Helper()
		out, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: b, Key: aws.String(key)})
		if err != nil {
			t.Fatalf("GetObjectTagging(%s): %v", key, err)
		}
		var tags []string
		for _, tag := range out.TagSet {
			tags = append(tags, aws.ToString(tag.Key)+"="+aws.ToString(tag.Value))
		}
		return tags
	}
	if diff := cmp.Diff([]string{"a=1", "b=2"}, tagsOf("obj")); diff != "" {
		t.Errorf("tags from x-amz-tagging (-want +got):\n%s", diff)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k})
	if err != nil || aws.ToInt32(head.TagCount) != 2 {
		t.Errorf("HeadObject TagCount = %v, %v; want 2", head.TagCount, err)
	}
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k})
	if err != nil || aws.ToInt32(get.TagCount) != 2 {
		t.Errorf("GetObject TagCount = %v, %v; want 2", get, err)
	} else {
		get.Body.Close()
	}
	if _, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: b, Key: k,
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}}); err != nil {
		t.Fatalf("PutObjectTagging: %v", err)
	}
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("copy"), CopySource: aws.String("tags/obj")}); err != nil {
		t.Fatalf("CopyObject: %v", err)
	}
	if diff := cmp.Diff([]string{"env=prod"}, tagsOf("copy")); diff != "" {
		t.Errorf("tags of a copy (-want +got):\n%s", diff)
	}
	if _, err := c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: b, Key: k}); err != nil {
		t.Fatalf("DeleteObjectTagging: %v", err)
	}
	if got := tagsOf("obj"); len(got) != 0 {
		t.Errorf("tags after DeleteObjectTagging = %v", got)
	}
	var many []types.Tag
	for _, key := range strings.Split("a b c d e f g h i j k", " ") {
		many = append(many, types.Tag{Key: aws.String(key), Value: aws.String("v")})
	}
	_, err = c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: b, Key: k, Tagging: &types.Tagging{TagSet: many}})
	wantCode(t, "PutObjectTagging with 11 tags", err, "InvalidTag")
	_, err = c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: b, Key: aws.String("missing")})
	wantCode(t, "GetObjectTagging(missing)", err, "NoSuchKey")
	del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k})
	if err != nil || del.DeleteMarker != nil || del.VersionId != nil {
		t.Errorf("DeleteObject in an unversioned bucket = %+v, %v; want no marker and no version", del, err)
	}
}

func TestCopySourceConditions(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	mustCreate(t, c, "cond")
	put := mustPut(t, c, "cond", "src", "data")
	past, future := aws.Time(time.Now().Add(-time.Hour)), aws.Time(time.Now().Add(time.Hour))
	for _, tc := range []struct {
		name string
		in   s3.CopyObjectInput
		want string
	}{
		{"if-match ok", s3.CopyObjectInput{CopySourceIfMatch: put.ETag}, ""},
		{"if-match wrong", s3.CopyObjectInput{CopySourceIfMatch: aws.String(`"nope"`)}, "PreconditionFailed"},
		{"if-none-match equal", s3.CopyObjectInput{CopySourceIfNoneMatch: put.ETag}, "PreconditionFailed"},
		{"if-modified-since future", s3.CopyObjectInput{CopySourceIfModifiedSince: future}, "PreconditionFailed"},
		{"if-unmodified-since past", s3.CopyObjectInput{CopySourceIfUnmodifiedSince: past}, "PreconditionFailed"},
		{"if-match ok, unmodified-since past", s3.CopyObjectInput{CopySourceIfMatch: put.ETag, CopySourceIfUnmodifiedSince: past}, ""},
	} {
		in := tc.in
		in.Bucket, in.Key, in.CopySource = aws.String("cond"), aws.String("dst"), aws.String("cond/src")
		_, err := c.CopyObject(t.Context(), &in)
		wantCode(t, "CopyObject "+tc.name, err, tc.want)
	}
}

func TestCORS(t *testing.T) {
	t.Parallel()
	srv := fogtest.Start(t)
	c := srv.S3()
	mustCreate(t, c, "site")
	mustPut(t, c, "site", "page", "hello")
	base := "http://site.localhost:" + port(srv)
	preflight := func(origin, method, headers string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodOptions, base+"/page", nil)
		for name, v := range map[string]string{"Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers} {
			if v != "" {
				req.Header.Set(name, v)
			}
		}
		resp, err := srv.S3HTTPClient().Do(req)
		if err != nil {
			t.Fatalf("OPTIONS: %v", err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(body)
	}
	resp, body := preflight("https://app.example", "GET", "")
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "CORS is not enabled for this bucket") {
		t.Errorf("preflight without configuration = %d %s", resp.StatusCode, body)
	}
	rules := []types.CORSRule{{AllowedMethods: []string{"GET", "PUT"}, AllowedOrigins: []string{"https://*.example"},
		AllowedHeaders: []string{"content-type", "x-amz-*"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: aws.Int32(600)}}
	if _, err := c.PutBucketCors(t.Context(), &s3.PutBucketCorsInput{Bucket: aws.String("site"),
		CORSConfiguration: &types.CORSConfiguration{CORSRules: rules}}); err != nil {
		t.Fatalf("PutBucketCors: %v", err)
	}
	resp, body = preflight("https://app.example", "PUT", "Content-Type, X-Amz-Date")
	wantHeaders := map[string]string{
		"Access-Control-Allow-Origin": "https://app.example", "Access-Control-Allow-Methods": "GET, PUT",
		"Access-Control-Allow-Headers": "Content-Type, X-Amz-Date", "Access-Control-Max-Age": "600",
		"Access-Control-Expose-Headers": "ETag", "Access-Control-Allow-Credentials": "true",
	}
	gotHeaders := map[string]string{}
	for name := range wantHeaders {
		gotHeaders[name] = resp.Header.Get(name)
	}
	if diff := cmp.Diff(wantHeaders, gotHeaders); resp.StatusCode != http.StatusOK || diff != "" {
		t.Errorf("allowed preflight = %d %s; headers (-want +got):\n%s", resp.StatusCode, body, diff)
	}
	for _, tc := range []struct{ origin, method, headers, code string }{
		{"https://evil.test", "GET", "", "AccessForbidden"},
		{"https://app.example", "DELETE", "", "AccessForbidden"},
		{"https://app.example", "GET", "Authorization", "AccessForbidden"},
		{"", "GET", "", "BadRequest"},
	} {
		resp, body := preflight(tc.origin, tc.method, tc.headers)
		if resp.StatusCode < 400 || !strings.Contains(body, "<Code>"+tc.code+"</Code>") {
			t.Errorf("preflight %s %s %q = %d %s, want %s", tc.origin, tc.method, tc.headers, resp.StatusCode, body, tc.code)
		}
	}
	url := presignAt(t, srv, "site/page", time.Now(), 60)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	req.Header.Set("Origin", "https://app.example")
	got, err := srv.S3HTTPClient().Do(req)
	if err != nil {
		t.Fatalf("GET with Origin: %v", err)
	}
	got.Body.Close()
	if got.StatusCode != http.StatusOK || got.Header.Get("Access-Control-Allow-Origin") != "https://app.example" ||
		got.Header.Get("Access-Control-Expose-Headers") != "ETag" {
		t.Errorf("GET with Origin = %d, CORS headers %v", got.StatusCode, got.Header)
	}
}
