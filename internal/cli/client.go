package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/fogbank/fogbank/internal/config"
)

// clientFlags are the flags of the commands that talk to a running server.
type clientFlags struct {
	endpoint, dataDir, region string
}

// add registers the client flags on fs, with defaults from the environment.
func (c *clientFlags) add(fs *flag.FlagSet, e env) {
	def := config.Default()
	endpoint := "http://" + def.Listen
	if v, ok := e.lookupEnv("FOGBANK_ENDPOINT"); ok {
		endpoint = v
	}
	dataDir := def.DataDir
	if v, ok := e.lookupEnv(config.EnvName("data-dir")); ok {
		dataDir = v
	}
	fs.StringVar(&c.endpoint, "endpoint", endpoint, "URL of the fogbank server ($FOGBANK_ENDPOINT)")
	fs.StringVar(&c.dataDir, "data-dir", dataDir, "data directory whose credentials file is used when present")
	fs.StringVar(&c.region, "region", def.Region, "AWS region")
}

// client calls a running server's APIs as an AWS SDK would: SigV4-signed
// HTTP requests, with the SDK's own signer but without its service clients,
// which would link their large tables into the server binary.
type client struct {
	endpoint, region string
	creds            aws.Credentials
	signer           *v4.Signer
	http             *http.Client
}

// newClient builds a client for the server at the flags' endpoint, with the
// credentials loadCredentials finds.
func (c *clientFlags) newClient(e env) (*client, error) {
	creds, err := loadCredentials(c.dataDir, e.lookupEnv)
	if err != nil {
		return nil, err
	}
	if _, err := url.Parse(c.endpoint); err != nil {
		return nil, fmt.Errorf("cli: endpoint: %w", err)
	}
	return &client{endpoint: strings.TrimSuffix(c.endpoint, "/"), region: c.region, creds: creds,
		signer: v4.NewSigner(), http: &http.Client{}}, nil
}

// call is one API request: the signing name of the service, the method,
// path (already escaped) and query, the extra headers and the body.
type call struct {
	service, method, path string
	query                 url.Values
	header                http.Header
	body                  []byte
}

// do signs and sends c, and returns the answer with its body read; an
// answer that is not 2xx is returned as an *apiError.
func (cl *client) do(ctx context.Context, c call) (*http.Response, []byte, error) {
	u := cl.endpoint + c.path
	if len(c.query) > 0 {
		u += "?" + c.query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, c.method, u, bytes.NewReader(c.body))
	if err != nil {
		return nil, nil, fmt.Errorf("cli: %w", err)
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", "fogbank-cli/"+version())
	sum := sha256.Sum256(c.body)
	if err := cl.signer.SignHTTP(ctx, cl.creds, req, hex.EncodeToString(sum[:]), c.service, cl.region, time.Now()); err != nil {
		return nil, nil, fmt.Errorf("cli: sign request: %w", err)
	}
	resp, err := cl.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("cli: read answer: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, nil, newAPIError(resp, body)
	}
	return resp, body, nil
}

// apiError is an AWS error answer.
type apiError struct {
	status        int
	code, message string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%s: %s (HTTP %d)", e.code, e.message, e.status)
}

// newAPIError reads the error code from the X-Amzn-ErrorType header or the
// body's __type (both protocols the commands use send them) and the message
// from the body.
func newAPIError(resp *http.Response, body []byte) *apiError {
	var b struct {
		Type     string `json:"__type"`
		Message  string `json:"message"`
		Message2 string `json:"Message"`
	}
	_ = json.Unmarshal(body, &b) // a body that is not JSON leaves the fields empty
	code := resp.Header.Get("X-Amzn-ErrorType")
	if code == "" {
		code = b.Type
	}
	code, _, _ = strings.Cut(code, ":")
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	if code == "" {
		code = http.StatusText(resp.StatusCode)
	}
	msg := b.Message
	if msg == "" {
		msg = b.Message2
	}
	return &apiError{status: resp.StatusCode, code: code, message: msg}
}

// jsonCall sends an AWS JSON 1.1 request for target (such as
// "Logs_20140328.FilterLogEvents") with in as its body and decodes the
// answer into out.
func (cl *client) jsonCall(ctx context.Context, service, target string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("cli: %w", err)
	}
	header := http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amz-Target": {target}}
	_, answer, err := cl.do(ctx, call{service: service, method: http.MethodPost, path: "/", header: header, body: body})
	if err != nil {
		return err
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return fmt.Errorf("cli: decode %s answer: %w", target, err)
	}
	return nil
}

// parseInterleaved parses args with fs, allowing flags after positional
// arguments, and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) (positional []string, exit int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		if fs.NArg() == 0 {
			return positional, exitOK, true
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
