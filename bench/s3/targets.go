package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// store is one thing objects are put into and read from: an S3 endpoint or
// a directory.
type store interface {
	put(ctx context.Context, key string, body []byte) error
	// get reads the object to the end and returns its length.
	get(ctx context.Context, key string) (int64, error)
}

// s3Store is a bucket on an S3 endpoint, addressed path-style.
type s3Store struct {
	client *s3.Client
	bucket string
}

func (s s3Store) put(ctx context.Context, key string, body []byte) error {
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key),
		Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body)))})
	return err
}

func (s s3Store) get(ctx context.Context, key string) (int64, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		return 0, err
	}
	defer out.Body.Close()
	return copyOut(out.Body)
}

// fileStore is raw file I/O in a directory: a put writes a temporary file,
// fsyncs it and renames it over the key's file, as a durable object store
// must; a get reads the file to the end.
type fileStore struct {
	dir string
	seq atomic.Int64
}

func (f *fileStore) put(_ context.Context, key string, body []byte) error {
	tmp := filepath.Join(f.dir, ".tmp-"+strconv.FormatInt(f.seq.Add(1), 10))
	file, err := os.Create(tmp)
	if err != nil {
		return err
	}
	_, err = file.Write(body)
	if err == nil {
		err = file.Sync()
	}
	if closeErr := file.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, filepath.Join(f.dir, key))
}

func (f *fileStore) get(_ context.Context, key string) (int64, error) {
	file, err := os.Open(filepath.Join(f.dir, key))
	if err != nil {
		return 0, err
	}
	defer file.Close()
	return copyOut(file)
}

// httpFileStore serves a fileStore's directory with net/http's file server
// (sendfile from the page cache) on a loopback port: the floor any HTTP
// object server pays for a GET. A put is the fileStore's; a get is a plain
// net/http GET read to the end.
type httpFileStore struct {
	*fileStore
	url    string
	client *http.Client
}

// newHTTPFileStore serves files on a loopback port until ctx ends.
func newHTTPFileStore(ctx context.Context, files *fileStore) (*httpFileStore, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(files.dir))}
	go func() { _ = srv.Serve(ln) }()
	context.AfterFunc(ctx, func() { _ = srv.Close() })
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	return &httpFileStore{fileStore: files, url: "http://" + ln.Addr().String() + "/", client: client}, nil
}

func (h *httpFileStore) get(ctx context.Context, key string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.url+key, nil)
	if err != nil {
		return 0, err
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %s", key, resp.Status)
	}
	return copyOut(resp.Body)
}

// copyOut reads r to the end through a 32 KiB buffer, as an HTTP client's
// body is read.
func copyOut(r io.Reader) (int64, error) {
	buf := make([]byte, 32<<10)
	var n int64
	for {
		m, err := r.Read(buf)
		n += int64(m)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// checkLen fails when a get returned other than want bytes.
func checkLen(n int64, err error, want int) error {
	if err == nil && n != int64(want) {
		err = fmt.Errorf("read %d bytes, want %d", n, want)
	}
	return err
}
