package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/fogbank/fogbank/bench/internal/ddbload"
	"github.com/fogbank/fogbank/internal/fogproc"
	"github.com/fogbank/fogbank/internal/sigv4"
)

// errThrottled is a call answered with ThrottlingException.
var errThrottled = errors.New("ThrottlingException")

func isThrottle(err error) bool { return errors.Is(err, errThrottled) }

// signedRequest is one GetItem request, signed once and replayed.
type signedRequest struct {
	header http.Header
	body   []byte
}

// replayClient sends pre-signed GetItem requests over a pooled transport.
type replayClient struct {
	url      string
	http     *http.Client
	requests []signedRequest
}

// newReplayClient signs a GetItem of each of keys items of table.
func newReplayClient(ctx context.Context, url, table string, keys, conns int) (*replayClient, error) {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns, transport.MaxIdleConnsPerHost = conns, conns
	c := &replayClient{url: url + "/", http: &http.Client{Transport: transport}}
	creds := aws.Credentials{AccessKeyID: fogproc.AccessKeyID, SecretAccessKey: fogproc.SecretAccessKey}
	now := time.Now()
	for i := range keys {
		body, err := json.Marshal(map[string]any{"TableName": table, "Key": map[string]any{"pk": map[string]string{"S": ddbload.Key(i)}}})
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810.GetItem")
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, sigv4.HashPayload(body), "dynamodb", fogproc.Region, now); err != nil {
			return nil, fmt.Errorf("sign: %w", err)
		}
		c.requests = append(c.requests, signedRequest{header: req.Header, body: body})
	}
	return c, nil
}

// getItem replays the signed request of one key; it returns errThrottled
// for a ThrottlingException and an error for any other failure.
func (c *replayClient) getItem(ctx context.Context, worker int, seq int64) error {
	sr := c.requests[int((int64(worker)*7919+seq)%int64(len(c.requests)))]
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(sr.body))
	if err != nil {
		return err
	}
	req.Header = sr.header.Clone()
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	switch {
	case err != nil:
		return err
	case resp.StatusCode == http.StatusOK:
		return nil
	case strings.Contains(resp.Header.Get("X-Amzn-ErrorType"), "ThrottlingException"):
		return errThrottled
	}
	return fmt.Errorf("GetItem: %d %s", resp.StatusCode, body)
}

// sampleRSS runs fn while sampling pid's RSS every 100ms and returns the
// largest sample.
func sampleRSS(pid int, fn func()) int64 {
	done := make(chan struct{})
	peak := make(chan int64)
	go func() {
		var high int64
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			if n, err := fogproc.RSS(pid); err == nil {
				high = max(high, n)
			}
			select {
			case <-done:
				peak <- high
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	return <-peak
}
