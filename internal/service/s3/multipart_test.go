package s3_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/fogtest"
)

const mib = 1 << 20

// randomBytes returns n deterministic pseudo-random bytes.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{1})
	_, _ = r.Read(b)
	return b
}

// multipartETag is the ETag S3 gives an object made of parts.
func multipartETag(parts ...[]byte) string {
	var sums []byte
	for _, p := range parts {
		s := md5.Sum(p)
		sums = append(sums, s[:]...)
	}
	all := md5.Sum(sums)
	return fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(all[:]), len(parts))
}

func getBytes(t *testing.T, c *s3.Client, in *s3.GetObjectInput) (*s3.GetObjectOutput, []byte) {
	t.Helper()
	out, err := c.GetObject(t.Context(), in)
	if err != nil {
		t.Fatalf("GetObject(%s, range %q, part %v): %v", aws.ToString(in.Key), aws.ToString(in.Range), aws.ToInt32(in.PartNumber), err)
	}
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return out, body
}

func TestUploadManager(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3(func(o *s3.Options) { o.UsePathStyle = false })
	ctx, b, k := t.Context(), aws.String("big"), aws.String("dir/data.bin")
	mustCreate(t, c, "big")
	data := randomBytes(20*mib + 12345)
	up := manager.NewUploader(c, func(u *manager.Uploader) { u.PartSize = 5 * mib; u.Concurrency = 3 })
	res, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: b, Key: k, Body: bytes.NewReader(data), ContentType: aws.String("application/x-test")})
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	parts := [][]byte{data[:5*mib], data[5*mib : 10*mib], data[10*mib : 15*mib], data[15*mib : 20*mib], data[20*mib:]}
	if want := multipartETag(parts...); aws.ToString(res.ETag) != want {
		t.Errorf("Upload ETag = %s, want %s", aws.ToString(res.ETag), want)
	}
	out, got := getBytes(t, c, &s3.GetObjectInput{Bucket: b, Key: k, ChecksumMode: types.ChecksumModeEnabled})
	if !bytes.Equal(got, data) || aws.ToString(out.ContentType) != "application/x-test" {
		t.Errorf("GetObject: %d bytes (equal %v), Content-Type %q", len(got), bytes.Equal(got, data), aws.ToString(out.ContentType))
	}
	from, to := 5*mib-10, 10*mib+10 // spans three parts
	out, got = getBytes(t, c, &s3.GetObjectInput{Bucket: b, Key: k, Range: aws.String(fmt.Sprintf("bytes=%d-%d", from, to))})
	if !bytes.Equal(got, data[from:to+1]) {
		t.Errorf("GetObject across part boundaries: %d bytes, want %d equal ones", len(got), to-from+1)
	}
	out, got = getBytes(t, c, &s3.GetObjectInput{Bucket: b, Key: k, PartNumber: aws.Int32(5)})
	if !bytes.Equal(got, parts[4]) || aws.ToInt32(out.PartsCount) != 5 ||
		aws.ToString(out.ContentRange) != fmt.Sprintf("bytes %d-%d/%d", 20*mib, len(data)-1, len(data)) {
		t.Errorf("GetObject part 5: %d bytes, PartsCount %d, Content-Range %q", len(got), aws.ToInt32(out.PartsCount), aws.ToString(out.ContentRange))
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k, PartNumber: aws.Int32(2)})
	if err != nil || aws.ToInt64(head.ContentLength) != 5*mib || aws.ToInt32(head.PartsCount) != 5 {
		t.Errorf("HeadObject part 2 = %v, %v; want 5 MiB of 5 parts", head, err)
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, PartNumber: aws.Int32(6)})
	wantCode(t, "GetObject part 6", err, "InvalidPartNumber")
}

// upload starts a multipart upload and uploads the given parts (numbered
// from 1), returning the upload id and the parts' ETags.
func upload(t *testing.T, c *s3.Client, bucket, key string, parts ...[]byte) (string, []types.CompletedPart) {
	t.Helper()
	created, err := c.CreateMultipartUpload(t.Context(), &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("CreateMultipartUpload: %v", err)
	}
	var done []types.CompletedPart
	for i, p := range parts {
		n := aws.Int32(int32(i + 1))
		out, err := c.UploadPart(t.Context(), &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String(key),
			UploadId: created.UploadId, PartNumber: n, Body: bytes.NewReader(p)})
		if err != nil {
			t.Fatalf("UploadPart %d: %v", i+1, err)
		}
		done = append(done, types.CompletedPart{PartNumber: n, ETag: out.ETag})
	}
	return aws.ToString(created.UploadId), done
}

func complete(c *s3.Client, t *testing.T, bucket, key, id string, parts []types.CompletedPart) (*s3.CompleteMultipartUploadOutput, error) {
	return c.CompleteMultipartUpload(t.Context(), &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key),
		UploadId: aws.String(id), MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
}

func TestMultipartErrors(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	ctx := t.Context()
	mustCreate(t, c, "multi")
	small := []byte("small part")
	id, parts := upload(t, c, "multi", "k", small, small)
	_, err := complete(c, t, "multi", "k", id, parts)
	wantCode(t, "Complete with a small first part", err, "EntityTooSmall")
	_, err = complete(c, t, "multi", "k", id, []types.CompletedPart{parts[1], parts[0]})
	wantCode(t, "Complete out of order", err, "InvalidPartOrder")
	_, err = complete(c, t, "multi", "k", id, []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: aws.String(`"0123"`)}})
	wantCode(t, "Complete with a wrong ETag", err, "InvalidPart")
	_, err = complete(c, t, "multi", "k", id, []types.CompletedPart{{PartNumber: aws.Int32(3), ETag: parts[0].ETag}})
	wantCode(t, "Complete with a missing part", err, "InvalidPart")
	_, err = complete(c, t, "multi", "k", "nope", parts[:1])
	wantCode(t, "Complete unknown upload", err, "NoSuchUpload")
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("multi"), Key: aws.String("k"), UploadId: aws.String(id),
		PartNumber: aws.Int32(10001), Body: bytes.NewReader(small)})
	wantCode(t, "UploadPart 10001", err, "InvalidArgument")

	listed, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("multi"), Key: aws.String("k"), UploadId: aws.String(id), MaxParts: aws.Int32(1)})
	if err != nil {
		t.Fatalf("ListParts: %v", err)
	}
	if len(listed.Parts) != 1 || !aws.ToBool(listed.IsTruncated) || aws.ToString(listed.NextPartNumberMarker) != "1" ||
		aws.ToInt64(listed.Parts[0].Size) != int64(len(small)) {
		t.Errorf("ListParts = %d parts, truncated %v, next %q", len(listed.Parts), aws.ToBool(listed.IsTruncated), aws.ToString(listed.NextPartNumberMarker))
	}
	id2, _ := upload(t, c, "multi", "dir/other")
	uploads, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("multi")})
	if err != nil {
		t.Fatalf("ListMultipartUploads: %v", err)
	}
	var got []string
	for _, u := range uploads.Uploads {
		got = append(got, aws.ToString(u.Key)+" "+aws.ToString(u.UploadId))
	}
	if diff := cmp.Diff([]string{"dir/other " + id2, "k " + id}, got); diff != "" {
		t.Errorf("ListMultipartUploads (-want +got):\n%s", diff)
	}
	rolled, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("multi"), Delimiter: aws.String("/")})
	if err != nil || len(rolled.CommonPrefixes) != 1 || len(rolled.Uploads) != 1 {
		t.Errorf("ListMultipartUploads with delimiter = %v, %v; want 1 prefix and 1 upload", rolled, err)
	}
	if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("multi"), Key: aws.String("k"), UploadId: aws.String(id)}); err != nil {
		t.Fatalf("AbortMultipartUpload: %v", err)
	}
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("multi"), Key: aws.String("k"), UploadId: aws.String(id),
		PartNumber: aws.Int32(1), Body: bytes.NewReader(small)})
	wantCode(t, "UploadPart after abort", err, "NoSuchUpload")
	_, err = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("multi"), Key: aws.String("k"), UploadId: aws.String(id)})
	wantCode(t, "AbortMultipartUpload twice", err, "NoSuchUpload")
}

func TestUploadPartCopy(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	ctx := t.Context()
	mustCreate(t, c, "partcopy")
	src := randomBytes(6 * mib)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("partcopy"), Key: aws.String("src"), Body: bytes.NewReader(src)}); err != nil {
		t.Fatalf("PutObject: %v", err)
	}
	created, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("partcopy"), Key: aws.String("dst")})
	if err != nil {
		t.Fatal(err)
	}
	var parts []types.CompletedPart
	for i, rng := range []string{"bytes=0-5242879", "bytes=5242880-6291455"} {
		out, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("partcopy"), Key: aws.String("dst"), UploadId: created.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), CopySource: aws.String("partcopy/src"), CopySourceRange: aws.String(rng)})
		if err != nil {
			t.Fatalf("UploadPartCopy %s: %v", rng, err)
		}
		parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.CopyPartResult.ETag})
	}
	_, err = c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("partcopy"), Key: aws.String("dst"), UploadId: created.UploadId,
		PartNumber: aws.Int32(3), CopySource: aws.String("partcopy/src"), CopySourceRange: aws.String("bytes=0-6291456")})
	wantCode(t, "UploadPartCopy beyond the source", err, "InvalidRange")
	done, err := complete(c, t, "partcopy", "dst", aws.ToString(created.UploadId), parts)
	if err != nil {
		t.Fatalf("CompleteMultipartUpload: %v", err)
	}
	if want := multipartETag(src[:5*mib], src[5*mib:]); aws.ToString(done.ETag) != want {
		t.Errorf("ETag = %s, want %s", aws.ToString(done.ETag), want)
	}
	_, got := getBytes(t, c, &s3.GetObjectInput{Bucket: aws.String("partcopy"), Key: aws.String("dst")})
	if !bytes.Equal(got, src) {
		t.Errorf("copied object differs from its source (%d bytes)", len(got))
	}
	list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("partcopy")})
	if err != nil || len(list.Contents) != 2 || aws.ToInt64(list.Contents[0].Size) != int64(len(src)) {
		t.Errorf("ListObjectsV2 = %v, %v", list, err)
	}
	if strings.Count(aws.ToString(done.ETag), "-") != 1 {
		t.Errorf("multipart ETag %s has no part count", aws.ToString(done.ETag))
	}
}
