package fogtest

import (
	"context"
	"net"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// S3 returns an S3 client for this server, path-style by default; optFns
// adjust it. Its endpoint is http://localhost:<port>, and its HTTP client
// sends every *.localhost host to the server, so o.UsePathStyle = false
// gives virtual-host requests (http://<bucket>.localhost:<port>/<key>)
// without DNS.
func (s *Server) S3(optFns ...func(*s3.Options)) *s3.Client {
	cfg := s.AWSConfig()
	cfg.HTTPClient = s.localhostClient()
	_, port, _ := net.SplitHostPort(s.Addr())
	cfg.BaseEndpoint = aws.String("http://localhost:" + port)
	opts := append([]func(*s3.Options){func(o *s3.Options) { o.UsePathStyle = true }}, optFns...)
	return s3.NewFromConfig(cfg, opts...)
}

// localhostClient returns an HTTP client that dials the server for
// localhost and every *.localhost host name.
func (s *Server) localhostClient() *http.Client {
	transport := s.transport.Clone()
	var dialer net.Dialer
	transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err == nil && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
			addr = s.Addr()
		}
		return dialer.DialContext(ctx, network, addr)
	}
	s.tb.Cleanup(transport.CloseIdleConnections)
	return &http.Client{Transport: transport}
}

// S3HTTPClient returns a plain HTTP client that reaches the server under
// localhost and *.localhost host names, for presigned URLs and raw S3
// requests.
func (s *Server) S3HTTPClient() *http.Client { return s.localhostClient() }
