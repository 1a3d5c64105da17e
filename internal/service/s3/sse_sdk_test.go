package s3_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"hash/crc64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/fogbank/fogbank/internal/fogtest"
)

// TestServerSideEncryption stores every object sealed (SSE-S3) and says so
// on every write and read; SSE-KMS and SSE-C are not implemented.
func TestServerSideEncryption(t *testing.T) {
	t.Parallel()
	srv := fogtest.Start(t)
	c := srv.S3(func(o *s3.Options) { o.UsePathStyle = true })
	ctx, b := t.Context(), aws.String("sealed")
	mustCreate(t, c, "sealed")
	body := randomBytes(300 << 10)
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("k"), Body: bytes.NewReader(body)})
	if err != nil || put.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		t.Fatalf("PutObject = %v, %v; want AES256", put, err)
	}
	got, data := getBytes(t, c, &s3.GetObjectInput{Bucket: b, Key: aws.String("k")})
	if got.ServerSideEncryption != types.ServerSideEncryptionAes256 || !bytes.Equal(data, body) {
		t.Errorf("GetObject: sse %q, %d bytes equal %v", got.ServerSideEncryption, len(data), bytes.Equal(data, body))
	}
	_, data = getBytes(t, c, &s3.GetObjectInput{Bucket: b, Key: aws.String("k"), Range: aws.String("bytes=65530-200000")})
	if !bytes.Equal(data, body[65530:200001]) {
		t.Errorf("Range read across segments differs")
	}
	if onDisk(t, srv.DataDir(), body[1000:1064]) {
		t.Error("the object's bytes are stored in the clear")
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("k")})
	if err != nil || head.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		t.Errorf("HeadObject = %v, %v", head, err)
	}
	cp, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("copy"), CopySource: aws.String("sealed/k"),
		ServerSideEncryption: types.ServerSideEncryptionAes256})
	if err != nil || cp.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		t.Fatalf("CopyObject = %v, %v", cp, err)
	}
	if _, data = getBytes(t, c, &s3.GetObjectInput{Bucket: b, Key: aws.String("copy")}); !bytes.Equal(data, body) {
		t.Error("copy differs")
	}
	for alg, code := range map[types.ServerSideEncryption]string{
		types.ServerSideEncryptionAwsKms: "NotImplemented", types.ServerSideEncryptionAwsKmsDsse: "NotImplemented", "DES": "InvalidArgument",
	} {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("x"), Body: strings.NewReader("x"), ServerSideEncryption: alg})
		wantCode(t, "PutObject "+string(alg), err, code)
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("x"), Body: strings.NewReader("x"),
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(base64.StdEncoding.EncodeToString(make([]byte, 32))),
		SSECustomerKeyMD5: aws.String("x")})
	wantCode(t, "PutObject SSE-C", err, "NotImplemented")
}

// onDisk reports whether a file under dir holds needle.
func onDisk(t *testing.T, dir string, needle []byte) bool {
	found := false
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			raw, _ := os.ReadFile(path)
			found = found || bytes.Contains(raw, needle)
		}
		return nil
	})
	return found
}

// TestBucketEncryption answers SSE-S3 by default, as S3 does since 2023.
func TestBucketEncryption(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3(func(o *s3.Options) { o.UsePathStyle = true })
	ctx, b := t.Context(), aws.String("enc")
	mustCreate(t, c, "enc")
	algOf := func() (types.ServerSideEncryption, bool) {
		t.Helper()
		out, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
		if err != nil || len(out.ServerSideEncryptionConfiguration.Rules) != 1 {
			t.Fatalf("GetBucketEncryption = %v, %v", out, err)
		}
		r := out.ServerSideEncryptionConfiguration.Rules[0]
		return r.ApplyServerSideEncryptionByDefault.SSEAlgorithm, aws.ToBool(r.BucketKeyEnabled)
	}
	if alg, _ := algOf(); alg != types.ServerSideEncryptionAes256 {
		t.Errorf("default algorithm %q", alg)
	}
	rule := func(alg types.ServerSideEncryption) *s3.PutBucketEncryptionInput {
		return &s3.PutBucketEncryptionInput{Bucket: b, ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
			Rules: []types.ServerSideEncryptionRule{{BucketKeyEnabled: aws.Bool(true),
				ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: alg}}}}}
	}
	if _, err := c.PutBucketEncryption(ctx, rule(types.ServerSideEncryptionAes256)); err != nil {
		t.Fatalf("PutBucketEncryption: %v", err)
	}
	if alg, key := algOf(); alg != types.ServerSideEncryptionAes256 || !key {
		t.Errorf("after put: %q, bucket key %v", alg, key)
	}
	_, err := c.PutBucketEncryption(ctx, rule(types.ServerSideEncryptionAwsKms))
	wantCode(t, "PutBucketEncryption aws:kms", err, "NotImplemented")
	if _, err := c.DeleteBucketEncryption(ctx, &s3.DeleteBucketEncryptionInput{Bucket: b}); err != nil {
		t.Fatalf("DeleteBucketEncryption: %v", err)
	}
	if alg, key := algOf(); alg != types.ServerSideEncryptionAes256 || key {
		t.Errorf("after delete: %q, bucket key %v", alg, key)
	}
	_, err = c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String("nope")})
	wantCode(t, "GetBucketEncryption", err, "NoSuchBucket")
}

// TestFullObjectChecksum completes FULL_OBJECT uploads with the CRC of
// the whole object, combined from the parts' CRCs.
func TestFullObjectChecksum(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3(func(o *s3.Options) { o.UsePathStyle = true })
	ctx, b := t.Context(), aws.String("full")
	mustCreate(t, c, "full")
	parts := [][]byte{randomBytes(5 << 20), []byte("the last part")}
	whole := append(bytes.Clone(parts[0]), parts[1]...)
	crc32sum := make([]byte, 4)
	binary.BigEndian.PutUint32(crc32sum, crc32.ChecksumIEEE(whole))
	crc64sum := make([]byte, 8)
	binary.BigEndian.PutUint64(crc64sum, crc64.Checksum(whole, crc64.MakeTable(0x9a6c9329ac4bc9b5)))
	for alg, want := range map[types.ChecksumAlgorithm][]byte{types.ChecksumAlgorithmCrc32: crc32sum, types.ChecksumAlgorithmCrc64nvme: crc64sum} {
		key := aws.String(string(alg))
		created, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: key,
			ChecksumAlgorithm: alg, ChecksumType: types.ChecksumTypeFullObject})
		if err != nil || created.ChecksumType != types.ChecksumTypeFullObject || created.ServerSideEncryption != types.ServerSideEncryptionAes256 {
			t.Fatalf("CreateMultipartUpload(%s) = %+v, %v", alg, created, err)
		}
		var done []types.CompletedPart
		for i, p := range parts {
			out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: key, UploadId: created.UploadId,
				PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p), ChecksumAlgorithm: alg})
			if err != nil {
				t.Fatalf("UploadPart: %v", err)
			}
			done = append(done, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.ETag,
				ChecksumCRC32: out.ChecksumCRC32, ChecksumCRC64NVME: out.ChecksumCRC64NVME})
		}
		res, err := complete(c, t, "full", string(alg), aws.ToString(created.UploadId), done)
		if err != nil {
			t.Fatalf("Complete(%s): %v", alg, err)
		}
		sum := base64.StdEncoding.EncodeToString(want)
		got := aws.ToString(res.ChecksumCRC32) + aws.ToString(res.ChecksumCRC64NVME)
		if got != sum || res.ChecksumType != types.ChecksumTypeFullObject {
			t.Errorf("%s: checksum %q (%s), want %q FULL_OBJECT", alg, got, res.ChecksumType, sum)
		}
		again, err := complete(c, t, "full", string(alg), aws.ToString(created.UploadId), done)
		if err != nil || aws.ToString(again.ETag) != aws.ToString(res.ETag) {
			t.Errorf("repeated Complete = %v, %v; want ETag %s", again, err, aws.ToString(res.ETag))
		}
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: key, ChecksumMode: types.ChecksumModeEnabled})
		if err != nil || head.ChecksumType != types.ChecksumTypeFullObject ||
			aws.ToString(head.ChecksumCRC32)+aws.ToString(head.ChecksumCRC64NVME) != sum {
			t.Errorf("HeadObject = %+v, %v", head, err)
		}
	}
	_, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("x"),
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256, ChecksumType: types.ChecksumTypeFullObject})
	wantCode(t, "CreateMultipartUpload SHA256 FULL_OBJECT", err, "InvalidRequest")
	mustPut(t, c, "full", string(types.ChecksumAlgorithmCrc32), "replaced")
	id, done := upload(t, c, "full", "gone", []byte("only"))
	if _, err := complete(c, t, "full", "gone", id, done); err != nil {
		t.Fatal(err)
	}
	mustPut(t, c, "full", "gone", "overwritten")
	_, err = complete(c, t, "full", "gone", id, done)
	wantCode(t, "Complete after an overwrite", err, "NoSuchUpload")
}
