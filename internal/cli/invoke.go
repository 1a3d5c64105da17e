package cli

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/url"
)

// invoke runs `fogbank invoke <name> [payload]`: it invokes a function
// synchronously and prints its result; a function error is printed to
// stderr too and exits 1.
func invoke(ctx context.Context, args []string, e env) int {
	fs := flag.NewFlagSet("invoke", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fogbank invoke [flags] <function> [payload JSON]")
		fs.PrintDefaults()
	}
	var cf clientFlags
	cf.add(fs, e)
	qualifier := fs.String("qualifier", "", "version or alias to invoke")
	args, exit, ok := parseInterleaved(fs, args)
	if !ok {
		return exit
	}
	if len(args) < 1 || len(args) > 2 {
		fs.Usage()
		return exitUsage
	}
	cl, err := cf.newClient(e)
	if err != nil {
		fmt.Fprintf(e.stderr, "fogbank invoke: %v\n", err)
		return exitFailure
	}
	var payload []byte
	if len(args) == 2 {
		payload = []byte(args[1])
	}
	out, functionError, err := cl.invoke(ctx, args[0], *qualifier, payload)
	if err != nil {
		fmt.Fprintf(e.stderr, "fogbank invoke: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(e.stdout, "%s\n", out)
	if functionError != "" {
		fmt.Fprintf(e.stderr, "fogbank invoke: function error (%s)\n", functionError)
		return exitFailure
	}
	return exitOK
}

// invoke calls Lambda's Invoke (RequestResponse) for function at qualifier
// (none when empty) and returns the function's result and the
// X-Amz-Function-Error header: "Unhandled" when the function failed.
func (cl *client) invoke(ctx context.Context, function, qualifier string, payload []byte) (result []byte, functionError string, err error) {
	c := call{service: "lambda", method: http.MethodPost,
		path:   "/2015-03-31/functions/" + url.PathEscape(function) + "/invocations",
		header: http.Header{"X-Amz-Invocation-Type": {"RequestResponse"}, "Content-Type": {"application/octet-stream"}},
		body:   payload}
	if qualifier != "" {
		c.query = url.Values{"Qualifier": {qualifier}}
	}
	resp, body, err := cl.do(ctx, c)
	if err != nil {
		return nil, "", err
	}
	return body, resp.Header.Get("X-Amz-Function-Error"), nil
}
