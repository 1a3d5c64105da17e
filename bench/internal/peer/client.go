package peer

import (
	"context"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/fogbank/fogbank/internal/fogproc"
)

// ClientConfig returns an SDK config for a peer at endpoint, like
// fogproc.ClientConfig, except that a request, once sent, is never aborted
// when its context ends: dynalite crashes when a client closes a connection
// mid-request (it rethrows ECONNRESET), and a load run ends by cancelling
// the calls in flight.
func ClientConfig(endpoint string) aws.Config {
	cfg := fogproc.ClientConfig(endpoint)
	base := cfg.HTTPClient.(*http.Client)
	cfg.HTTPClient = &http.Client{Transport: uncancelable{base.Transport}}
	return cfg
}

// uncancelable sends each request with a context that is never cancelled.
type uncancelable struct{ next http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (u uncancelable) RoundTrip(req *http.Request) (*http.Response, error) {
	return u.next.RoundTrip(req.WithContext(context.WithoutCancel(req.Context())))
}
