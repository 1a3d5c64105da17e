package fogtest

import (
	"net"

	"github.com/aws/aws-sdk-go-v2/service/apigateway"

	"github.com/fogbank/fogbank/internal/app"
	"github.com/fogbank/fogbank/internal/gateway/authorizer"
)

// APIGateway returns an apigateway (REST APIs) client for this server;
// optFns adjust it.
func (s *Server) APIGateway(optFns ...func(*apigateway.Options)) *apigateway.Client {
	return apigateway.NewFromConfig(s.AWSConfig(), optFns...)
}

// WithUserPoolKeys gives the server's gateway the signing keys of Cognito
// user pools (by issuer https://cognito-idp.<region>.amazonaws.com/<poolId>)
// for COGNITO_USER_POOLS authorizers.
func WithUserPoolKeys(keys authorizer.KeySource) Option {
	return func(s *settings) { s.appOpts = append(s.appOpts, app.WithUserPoolKeys(keys)) }
}

// RESTAPIURL returns the URL of path on a REST API's stage, host-style as
// AWS addresses REST APIs (http://<id>.execute-api.localhost:<port>/<stage>/<path>).
func (s *Server) RESTAPIURL(apiID, stage, path string) string {
	_, port, _ := net.SplitHostPort(s.Addr())
	return "http://" + apiID + ".execute-api.localhost:" + port + "/" + stage + path
}
