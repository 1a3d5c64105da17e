// Command gateway benchmarks Fogbank's API Gateway data plane: GET /hello
// on an HTTP API (quick create, payload 2.0) in front of a warm Go function
// (testdata/handler, aws-lambda-go, provided.al2023) on the built fogbank
// binary, at concurrency 64, against the same answer served directly by a
// net/http server in the same run (the baseline), and against a
// bare relay (relay.go): a process of its own (this binary with -relay)
// handing each request to c processes of the same function through a bare
// Runtime API, the least any gateway in front of Lambda functions does. Then open-loop runs of the gateway and
// the relay at half the gateway's peak rate give the latency of a server
// that is not saturated.
//
//	go run ./bench/gateway -duration 5s -c 64
//
//fogbank:report -duration 2s -warmup 1s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/fogbank/fogbank/bench/internal/gofunc"
	"github.com/fogbank/fogbank/bench/internal/load"
	"github.com/fogbank/fogbank/internal/fogproc"
)

// The targets.
const (
	ratioTarget = 0.30                 // gateway throughput / direct throughput
	p99Target   = 5 * time.Millisecond // p99 at half the peak rate
)

const (
	handlerDir = "bench/gateway/testdata/handler"
	function   = "bench-hello"
	role       = "arn:aws:iam::000000000000:role/bench"
	body       = "hello"
	// prewarm is the unmeasured load that starts the function's
	// execution environments, one per concurrent client.
	prewarm = 5 * time.Second
)

// settings are the command-line flags.
type settings struct {
	duration, warmup time.Duration
	concurrency      int
}

func main() {
	var s settings
	flag.DurationVar(&s.duration, "duration", 5*time.Second, "measured time per workload")
	flag.DurationVar(&s.warmup, "warmup", time.Second, "unmeasured warm-up per workload")
	flag.IntVar(&s.concurrency, "c", 64, "concurrent clients of the closed-loop runs")
	relayBootstrap := flag.String(relayFlag, "", "serve the relay in front of this function (the child process the benchmark starts)")
	flag.Parse()
	var err error
	if *relayBootstrap != "" {
		err = serveRelay(s.concurrency, *relayBootstrap)
	} else {
		err = run(context.Background(), s)
	}
	if err != nil {
		log.Fatal(err)
	}
}

// figures are everything one run measured.
type figures struct {
	direct, gateway load.Result     // closed loop at c
	relay           load.Result     // the bare relay baseline (relay.go), closed loop at c
	relayHalf       load.OpenResult // the relay, open loop at half the gateway's peak
	invoke          load.Result     // the function through the Lambda Invoke API, closed loop at c
	half            load.OpenResult // open loop at half the gateway's peak
	halfRate        float64
}

func run(ctx context.Context, s settings) error {
	tmp, err := os.MkdirTemp("", "fogbank-bench-gateway-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fogBin, err := fogproc.Build(ctx, ".", "./cmd/fogbank", tmp)
	if err != nil {
		return err
	}
	bootstrap, err := gofunc.Build(ctx, handlerDir, tmp)
	if err != nil {
		return err
	}
	zipData, err := gofunc.Zip(bootstrap)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * s.concurrency}}
	var f figures
	if f.direct, err = measureDirect(ctx, s, client); err != nil {
		return err
	}
	rel, err := startRelayProcess(s.concurrency, bootstrap)
	if err != nil {
		return err
	}
	defer rel.stop()
	// The processes start in a longer warm-up.
	f.relay = load.Run(ctx, load.Config{Concurrency: s.concurrency, Duration: s.duration, Warmup: s.warmup + time.Second},
		getOp(client, rel.url))
	if err := failed("relay", f.relay); err != nil {
		return err
	}
	fog := &fogproc.Server{Bin: fogBin, DataDir: filepath.Join(tmp, "data"), Stderr: devNull()}
	if err := fog.Start(ctx); err != nil {
		return err
	}
	defer fog.Stop()
	url, err := deploy(ctx, fog, zipData)
	if err != nil {
		return err
	}
	// Start the c execution environments the closed-loop runs keep busy
	// before anything is measured.
	// before anything is measured; cold starts on a loaded machine may
	// fail, which is not measured either.
	load.Run(ctx, load.Config{Concurrency: s.concurrency, Duration: prewarm}, getOp(client, url))
	f.invoke = load.Run(ctx, load.Config{Concurrency: s.concurrency, Duration: s.duration, Warmup: s.warmup},
		invokeOp(lambda.NewFromConfig(fog.AWSConfig())))
	if err := failed("invoke", f.invoke); err != nil {
		return err
	}
	op := getOp(client, url)
	f.gateway = load.Run(ctx, load.Config{Concurrency: s.concurrency, Duration: s.duration, Warmup: s.warmup}, op)
	if err := failed("gateway", f.gateway); err != nil {
		return err
	}
	f.halfRate = f.gateway.Throughput() / 2
	half := load.OpenConfig{Rate: f.halfRate, Duration: s.duration, Warmup: s.warmup, MaxOutstanding: 4 * s.concurrency}
	f.half = load.RunOpen(ctx, half, op)
	f.relayHalf = load.RunOpen(ctx, half, getOp(client, rel.url))
	printReport(s, f)
	return nil
}

// failed is an error when a run had errors and no successful call; a few
// errors among successes are reported in the table instead.
func failed(name string, r load.Result) error {
	if r.FirstErr != nil && r.Ops == 0 {
		return fmt.Errorf("%s: %w", name, r.FirstErr)
	}
	return nil
}

// measureDirect serves the function's answer with net/http and loads it.
func measureDirect(ctx context.Context, s settings, client *http.Client) (load.Result, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return load.Result{}, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, body)
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	res := load.Run(ctx, load.Config{Concurrency: s.concurrency, Duration: s.duration, Warmup: s.warmup},
		getOp(client, "http://"+ln.Addr().String()+"/hello"))
	return res, failed("direct", res)
}

// deploy creates the function and an HTTP API routing GET /hello to it,
// and returns the route's path-style URL.
func deploy(ctx context.Context, fog *fogproc.Server, zipData []byte) (string, error) {
	cfg := fog.AWSConfig()
	fn, err := lambda.NewFromConfig(cfg).CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String(function), Runtime: types.RuntimeProvidedal2023, Handler: aws.String("bootstrap"),
		Role: aws.String(role), Code: &types.FunctionCode{ZipFile: zipData}, Timeout: aws.Int32(30)})
	if err != nil {
		return "", fmt.Errorf("create function: %w", err)
	}
	api, err := apigatewayv2.NewFromConfig(cfg).CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("bench"),
		ProtocolType: agtypes.ProtocolTypeHttp, Target: fn.FunctionArn, RouteKey: aws.String("GET /hello")})
	if err != nil {
		return "", fmt.Errorf("create API: %w", err)
	}
	return fog.URL() + "/_api/" + aws.ToString(api.ApiId) + "/hello", nil
}

// getOp GETs url and checks the answer.
func getOp(client *http.Client, url string) load.Op {
	return func(ctx context.Context, _ int, _ int64) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		got, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK || string(got) != body {
			return errors.New("GET " + url + ": " + resp.Status + " " + string(got))
		}
		return nil
	}
}

// invokeOp invokes the function with the Lambda API, as the gateway does
// but over SigV4-signed HTTP.
func invokeOp(client *lambda.Client) load.Op {
	payload := []byte(`{"version":"2.0","routeKey":"GET /hello","rawPath":"/hello","headers":{},` +
		`"requestContext":{"http":{"method":"GET","path":"/hello"}},"isBase64Encoded":false}`)
	return func(ctx context.Context, _ int, _ int64) error {
		out, err := client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(function), Payload: payload})
		if err != nil {
			return err
		}
		if out.FunctionError != nil {
			return fmt.Errorf("function error %s: %s", *out.FunctionError, out.Payload)
		}
		return nil
	}
}

// printReport prints the run's figures as a markdown section.
func printReport(s settings, f figures) {
	ratio := f.gateway.Throughput() / f.direct.Throughput()
	p99 := f.half.Percentile(0.99)
	fmt.Print("## API Gateway HTTP API (issue 8)\n\n")
	fmt.Printf("`GET /hello` on an HTTP API (quick create, payload 2.0, path-style URL) in front of a warm Go\n"+
		"function (aws-lambda-go, `provided.al2023`) on `fogbank serve`, at c=%d with keep-alive connections.\n"+
		"Baselines, in the same run: the same answer from a bare net/http server (the issue's), and a bare\n"+
		"relay: a net/http server (a process of its own, as Fogbank is) handing each request, as a fixed\n"+
		"event, to one of %d processes of the same function (started as Fogbank starts them: one CPU each)\n"+
		"through a bare Runtime API (no routing, auth, logs or limits) — the least any gateway in\n"+
		"front of Lambda functions does on this machine. Then open loops at half the gateway's peak, each\n"+
		"after an unmeasured %v at that rate (the steady state, not the closed loop's backlog).\n\n",
		s.concurrency, s.concurrency, s.warmup)
	fmt.Println("| measure | req/s | p50 | p99 | errors |")
	fmt.Println("|---|---|---|---|---|")
	row := func(name string, r load.Result) {
		fmt.Printf("| %s | %.0f | %v | %v | %d |\n", name, r.Throughput(), roundLatency(r.Percentile(0.5)),
			roundLatency(r.Percentile(0.99)), r.Errors)
	}
	row(fmt.Sprintf("direct net/http, c=%d", s.concurrency), f.direct)
	row(fmt.Sprintf("bare relay: net/http → Runtime API → function, c=%d", s.concurrency), f.relay)
	row(fmt.Sprintf("Lambda Invoke API → function, c=%d (for reference)", s.concurrency), f.invoke)
	row(fmt.Sprintf("gateway → function, c=%d", s.concurrency), f.gateway)
	row(fmt.Sprintf("gateway → function, open loop at %.0f req/s (offered %d, dropped %d)", f.halfRate, f.half.Offered, f.half.Dropped),
		f.half.Result)
	row(fmt.Sprintf("bare relay, open loop at %.0f req/s (offered %d, dropped %d)", f.halfRate, f.relayHalf.Offered, f.relayHalf.Dropped),
		f.relayHalf.Result)
	fmt.Println()
	fmt.Println("| target | figure | verdict |")
	fmt.Println("|---|---|---|")
	fmt.Printf("| gateway throughput ≥ %.0f%% of direct | %.1f%% | %s |\n", ratioTarget*100, ratio*100, verdict(ratio >= ratioTarget))
	fmt.Printf("| (bare relay / direct: the most a gateway in front of functions reaches here) | %.1f%% | |\n", 100*f.relay.Throughput()/f.direct.Throughput())
	fmt.Printf("| (gateway / bare relay) | %.1f%% | |\n", 100*f.gateway.Throughput()/f.relay.Throughput())
	fmt.Printf("| p99 at half the peak rate < %v | %v | %s |\n", p99Target, roundLatency(p99), verdict(p99 < p99Target))
	fmt.Printf("| (bare relay's p99 at that rate) | %v | |\n\n", roundLatency(f.relayHalf.Percentile(0.99)))
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "missed"
}

func roundLatency(d time.Duration) time.Duration {
	if d >= time.Millisecond {
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

func devNull() *os.File {
	f, _ := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	return f
}
