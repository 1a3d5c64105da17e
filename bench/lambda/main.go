// Command lambda benchmarks Fogbank's Lambda Invoke of a trivial Go handler
// built with aws-lambda-go (testdata/handler, provided.al2023) on the built
// fogbank binary: the warm round trip at concurrency 1 and its overhead over
// the handler itself, invokes/s at concurrency 16, and the cold start. Its
// same-run baselines are a bare HTTP round trip to the server's health
// endpoint, the handler's own cycle under a stub Runtime API run by the
// benchmark (an event handed out, its response received), and the bare
// fork/exec of the same bootstrap binary until it asks the stub for its
// first event.
//
//	go run ./bench/lambda -duration 5s -cold 50
//
// To see where a warm invoke's time goes, profile the in-process
// BenchmarkWarmInvoke of package lambda (go test ./internal/service/lambda
// -run '^$' -bench WarmInvoke -cpuprofile cpu.out).
//
//fogbank:report -duration 2s -warmup 500ms -cold 15
package main

import (
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/fogbank/fogbank/bench/internal/gofunc"
	"github.com/fogbank/fogbank/bench/internal/load"
	"github.com/fogbank/fogbank/internal/fogproc"
)

// The targets.
const (
	overheadTarget = time.Millisecond
	coldTarget     = 50 * time.Millisecond
)

const (
	handlerDir = "bench/lambda/testdata/handler"
	function   = "bench-trivial"
	role       = "arn:aws:iam::000000000000:role/bench"
)

// settings are the command-line flags.
type settings struct {
	duration, warmup time.Duration
	cold             int
}

func main() {
	var s settings
	flag.DurationVar(&s.duration, "duration", 5*time.Second, "measured time per warm workload")
	flag.DurationVar(&s.warmup, "warmup", time.Second, "unmeasured warm-up per warm workload")
	flag.IntVar(&s.cold, "cold", 30, "cold starts measured (and bare starts of the binary)")
	flag.Parse()
	if err := run(context.Background(), s); err != nil {
		log.Fatal(err)
	}
}

// figures are everything one run measured.
type figures struct {
	health1, health16 load.Result // bare HTTP GET of the health endpoint
	handler           load.Result // the handler's cycle under the stub runtime
	bareStart         load.Result // fork/exec until the first poll of the stub
	warm1, warm16     load.Result // warm Invoke
	cold              load.Result // Invoke after a configuration change
	initDurations     load.Result // the Init Duration of the cold REPORT lines
	coldSeen          int         // cold invokes whose log showed an init
}

func run(ctx context.Context, s settings) error {
	// Outside /tmp where possible, so that sandboxes get a private /tmp (a
	// mount namespace, when run as root) as they do under ./.fogbank.
	tmp, err := os.MkdirTemp(benchDirBase(), "fogbank-bench-lambda-")
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
	var f figures
	if err := measureStub(ctx, s, bootstrap, &f); err != nil {
		return err
	}
	fog := &fogproc.Server{Bin: fogBin, DataDir: filepath.Join(tmp, "data"), Stderr: devNull()}
	if err := fog.Start(ctx); err != nil {
		return err
	}
	defer fog.Stop()
	if err := measureFogbank(ctx, s, fog, zipData, &f); err != nil {
		return err
	}
	printReport(f)
	return nil
}

// measureStub times the handler without Fogbank: bare starts, then its
// cycle per event.
func measureStub(ctx context.Context, s settings, bootstrap string, f *figures) error {
	stub, err := startStub()
	if err != nil {
		return err
	}
	defer stub.Close()
	starts := make([]time.Duration, 0, s.cold)
	for range s.cold {
		p, took, err := stub.spawn(ctx, bootstrap)
		if err != nil {
			return err
		}
		p.kill()
		starts = append(starts, took)
	}
	f.bareStart = sample(starts)
	p, _, err := stub.spawn(ctx, bootstrap)
	if err != nil {
		return err
	}
	defer p.kill()
	f.handler = load.Run(ctx, load.Config{Concurrency: 1, Duration: s.duration, Warmup: s.warmup},
		func(ctx context.Context, _ int, _ int64) error { return stub.invoke(ctx) })
	return f.handler.FirstErr
}

// measureFogbank creates the function and measures the health endpoint,
// warm invokes and cold starts.
func measureFogbank(ctx context.Context, s settings, fog *fogproc.Server, zipData []byte, f *figures) error {
	cfg := fog.AWSConfig()
	client := lambda.NewFromConfig(cfg)
	_, err := client.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String(function), Runtime: types.RuntimeProvidedal2023, Handler: aws.String("bootstrap"),
		Role: aws.String(role), Code: &types.FunctionCode{ZipFile: zipData}})
	if err != nil {
		return fmt.Errorf("create function: %w", err)
	}
	health := healthOp(cfg.HTTPClient.(*http.Client), fog.URL())
	invoke := func(ctx context.Context, _ int, _ int64) error { return invokeOnce(ctx, client) }
	warm := func(c int) load.Config { return load.Config{Concurrency: c, Duration: s.duration, Warmup: s.warmup} }
	f.health1 = load.Run(ctx, warm(1), health)
	f.warm1 = load.Run(ctx, warm(1), invoke)
	f.health16 = load.Run(ctx, warm(16), health)
	f.warm16 = load.Run(ctx, warm(16), invoke)
	return measureCold(ctx, s, client, f)
}

// measureCold forces each invoke onto a new execution environment by
// changing the function's environment first, then times the invoke.
func measureCold(ctx context.Context, s settings, client *lambda.Client, f *figures) error {
	var took, inits []time.Duration
	for i := range s.cold {
		_, err := client.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{
			FunctionName: aws.String(function),
			Environment:  &types.Environment{Variables: map[string]string{"COLD": strconv.Itoa(i)}}})
		if err != nil {
			return fmt.Errorf("update function configuration: %w", err)
		}
		t0 := time.Now()
		out, err := client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(function),
			Payload: []byte("{}"), LogType: types.LogTypeTail})
		took = append(took, time.Since(t0))
		if err == nil && out.FunctionError != nil {
			err = fmt.Errorf("function error %s: %s", *out.FunctionError, out.Payload)
		}
		if err != nil {
			return fmt.Errorf("cold invoke: %w", err)
		}
		if d, ok := initDuration(out.LogResult); ok {
			inits = append(inits, d)
		}
	}
	f.cold, f.initDurations, f.coldSeen = sample(took), sample(inits), len(inits)
	return nil
}

// initDurationRE finds the Init Duration of a REPORT line.
var initDurationRE = regexp.MustCompile(`Init Duration: ([0-9.]+) ms`)

// initDuration returns the Init Duration in a base64 log tail, if any.
func initDuration(logResult *string) (time.Duration, bool) {
	if logResult == nil {
		return 0, false
	}
	tail, err := base64.StdEncoding.DecodeString(*logResult)
	if err != nil {
		return 0, false
	}
	m := initDurationRE.FindSubmatch(tail)
	if m == nil {
		return 0, false
	}
	ms, err := strconv.ParseFloat(string(m[1]), 64)
	return time.Duration(ms * float64(time.Millisecond)), err == nil
}

func invokeOnce(ctx context.Context, client *lambda.Client) error {
	out, err := client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(function), Payload: []byte("{}")})
	if err != nil {
		return err
	}
	if out.FunctionError != nil {
		return fmt.Errorf("function error %s: %s", *out.FunctionError, out.Payload)
	}
	return nil
}

// healthOp GETs the server's health endpoint over the SDK's HTTP client.
func healthOp(hc *http.Client, base string) load.Op {
	url := base + "/_fogbank/health"
	return func(ctx context.Context, _ int, _ int64) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return errors.New("health: " + resp.Status)
		}
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
}

// sample wraps measured durations as a load.Result for its percentiles.
func sample(d []time.Duration) load.Result {
	slices.Sort(d)
	return load.Result{Ops: int64(len(d)), Latencies: d}
}

func devNull() *os.File {
	f, _ := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	return f
}

// benchDirBase is /var/tmp when it exists, else the default temporary
// directory.
func benchDirBase() string {
	if fi, err := os.Stat("/var/tmp"); err == nil && fi.IsDir() {
		return "/var/tmp"
	}
	return ""
}
