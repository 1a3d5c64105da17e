package fogtest

import (
	"net"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
)

// APIGatewayV2 returns an apigatewayv2 (HTTP APIs) client for this server;
// optFns adjust it.
func (s *Server) APIGatewayV2(optFns ...func(*apigatewayv2.Options)) *apigatewayv2.Client {
	return apigatewayv2.NewFromConfig(s.AWSConfig(), optFns...)
}

// APIClient returns a plain HTTP client for calling HTTP APIs at their
// ApiEndpoint (http://<apiId>.execute-api.localhost:<port>): it sends
// every *.localhost host to the server, without DNS.
func (s *Server) APIClient() *http.Client { return s.localhostClient() }

// APIURL returns the URL of path on an HTTP API's stage ("$default" or ""
// for none), host-style as AWS addresses APIs.
func (s *Server) APIURL(apiID, stage, path string) string {
	_, port, _ := net.SplitHostPort(s.Addr())
	prefix := ""
	if stage != "" && stage != "$default" {
		prefix = "/" + stage
	}
	return "http://" + apiID + ".execute-api.localhost:" + port + prefix + "/" + strings.TrimPrefix(path, "/")
}
