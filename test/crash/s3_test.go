package crash_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/fogbank/fogbank/internal/fogproc"
)

const (
	s3Bucket  = "crash"
	s3Workers = 8
	s3Rounds  = 3
)

// objectSizes are the sizes PUT under load, from one byte to a few MiB;
// objects of multipartSize or more are multipart uploads of two parts.
var objectSizes = []int{1, 4 << 10, 100 << 10, 1 << 20, 3<<20 + 7, 6 << 20}

const multipartSize = 6 << 20

// s3Ledger records the objects the server acknowledged and those whose
// PUT was attempted.
type s3Ledger struct {
	mu        sync.Mutex
	acked     map[string]bool
	attempted map[string]bool
}

// TestKillNineKeepsAcknowledgedObjects kills the server during concurrent
// PUTs and multipart uploads of mixed sizes, restarts it, and checks that every acknowledged
// object reads back byte-identical and that every object that is visible
// at all is complete.
func TestKillNineKeepsAcknowledgedObjects(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and crashes a server process")
	}
	ctx := t.Context()
	bin, err := fogproc.Build(ctx, "../..", "./cmd/fogbank", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv := &fogproc.Server{Bin: bin, DataDir: t.TempDir(), Stderr: logFile(t)}
	led := &s3Ledger{acked: map[string]bool{}, attempted: map[string]bool{}}
	for round := range s3Rounds {
		if err := srv.Start(ctx); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		c := s3.NewFromConfig(srv.AWSConfig(), func(o *s3.Options) { o.UsePathStyle = true })
		if round == 0 {
			if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(s3Bucket)}); err != nil {
				t.Fatalf("CreateBucket: %v", err)
			}
		}
		verifyObjects(t, c, led, round)
		putUntilKilled(c, srv, led, round, t)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	verifyObjects(t, s3.NewFromConfig(srv.AWSConfig(), func(o *s3.Options) { o.UsePathStyle = true }), led, s3Rounds)
	srv.Stop()
}

// objectBody is the content of key, whose last field is its size.
func objectBody(key string) []byte {
	size, _ := strconv.Atoi(key[strings.LastIndexByte(key, '-')+1:])
	body := make([]byte, size)
	_, _ = rand.NewChaCha8(sha256.Sum256([]byte(key))).Read(body)
	return body
}

// putUntilKilled PUTs objects from several workers and kills the server
// with SIGKILL after a random delay, while PUTs are in flight.
func putUntilKilled(c *s3.Client, srv *fogproc.Server, led *s3Ledger, round int, t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for w := range s3Workers {
		wg.Go(func() {
			for seq := 0; ctx.Err() == nil; seq++ {
				size := objectSizes[(w+seq)%len(objectSizes)]
				key := fmt.Sprintf("r%d/w%d/%d-%d", round, w, seq, size)
				led.mu.Lock()
				led.attempted[key] = true
				led.mu.Unlock()
				if err := putObject(ctx, c, key); err == nil {
					led.mu.Lock()
					led.acked[key] = true
					led.mu.Unlock()
				}
			}
		})
	}
	time.Sleep(time.Duration(300+rand.IntN(700)) * time.Millisecond)
	if err := srv.Kill(); err != nil {
		t.Errorf("kill: %v", err)
	}
	cancel()
	wg.Wait()
}

// putObject stores key's body with PutObject, or as a multipart upload of
// a 5 MiB part and the rest.
func putObject(ctx context.Context, c *s3.Client, key string) error {
	body, b, k := objectBody(key), aws.String(s3Bucket), aws.String(key)
	if len(body) < multipartSize {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: k, Body: bytes.NewReader(body)})
		return err
	}
	created, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: k})
	if err != nil {
		return err
	}
	var parts []types.CompletedPart
	for i, p := range [][]byte{body[:5<<20], body[5<<20:]} {
		n := aws.Int32(int32(i + 1))
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: k, UploadId: created.UploadId, PartNumber: n, Body: bytes.NewReader(p)})
		if err != nil {
			return err
		}
		parts = append(parts, types.CompletedPart{PartNumber: n, ETag: out.ETag})
	}
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: k, UploadId: created.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
	return err
}

// verifyObjects lists the bucket and reads every object: each must be one
// whose PUT was attempted, with exactly its bytes, and every acknowledged
// one must be there.
func verifyObjects(t *testing.T, c *s3.Client, led *s3Ledger, round int) {
	t.Helper()
	led.mu.Lock()
	defer led.mu.Unlock()
	listed := map[string]bool{}
	pages := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(s3Bucket)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(t.Context())
		if err != nil {
			t.Fatalf("after crash %d: ListObjectsV2: %v", round, err)
		}
		for _, o := range page.Contents {
			listed[aws.ToString(o.Key)] = true
		}
	}
	for key := range listed {
		if !led.attempted[key] {
			t.Fatalf("after crash %d: unknown object %s", round, key)
		}
		checkObject(t, c, key, round)
	}
	for key := range led.acked {
		if !listed[key] {
			t.Fatalf("after crash %d: acknowledged object %s is missing", round, key)
		}
	}
	for key := range led.attempted {
		if !listed[key] {
			_, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String(s3Bucket), Key: aws.String(key)})
			var nf *types.NotFound
			if !errors.As(err, &nf) {
				t.Fatalf("after crash %d: unlisted object %s: HeadObject = %v, want NotFound", round, key, err)
			}
		}
	}
	t.Logf("start %d: %d objects intact (%d acknowledged)", round, len(listed), len(led.acked))
}

func checkObject(t *testing.T, c *s3.Client, key string, round int) {
	t.Helper()
	out, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(s3Bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("after crash %d: GetObject %s: %v", round, key, err)
	}
	defer out.Body.Close()
	got, err := io.ReadAll(out.Body)
	if err != nil || !bytes.Equal(got, objectBody(key)) {
		t.Fatalf("after crash %d: object %s: %d bytes (%v), want its %d bytes", round, key, len(got), err, len(objectBody(key)))
	}
}
