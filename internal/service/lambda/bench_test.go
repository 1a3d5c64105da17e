package lambda_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/fogbank/fogbank/internal/config"
	"github.com/fogbank/fogbank/internal/fogtest"
)

// BenchmarkWarmInvoke times warm RequestResponse invocations of the Go
// test handler through the SDK, in process, to profile the invoke path:
//
//	go test ./internal/service/lambda -run '^$' -bench WarmInvoke -cpuprofile cpu.out
//
// The figures compared with the targets come from go run ./bench/lambda.
func BenchmarkWarmInvoke(b *testing.B) {
	c, in := benchFunction(b)
	if _, err := c.Invoke(b.Context(), in); err != nil { // the cold start
		b.Fatal(err)
	}
	for b.Loop() {
		out, err := c.Invoke(b.Context(), in)
		if err != nil || out.FunctionError != nil {
			b.Fatalf("Invoke: %v %v", err, out)
		}
	}
}

// BenchmarkParallelInvoke is BenchmarkWarmInvoke from 64 concurrent
// callers, as bench/gateway loads a function, to profile where concurrent
// invocations wait:
//
//	go test ./internal/service/lambda -run '^$' -bench ParallelInvoke -blockprofile block.out
func BenchmarkParallelInvoke(b *testing.B) {
	c, in := benchFunction(b)
	b.SetParallelism(32)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			out, err := c.Invoke(b.Context(), in)
			if err != nil || out.FunctionError != nil {
				b.Errorf("Invoke: %v %v", err, out)
				return
			}
		}
	})
}

// benchFunction starts a server with the Go test handler as function
// "bench" and returns a client and the invocation the benchmarks repeat.
func benchFunction(b *testing.B) (*lambda.Client, *lambda.InvokeInput) {
	if goBootstrap == nil {
		b.Skip("the Go test handler could not be built (see TestMain output)")
	}
	zipped := fogtest.ZipFiles(b, map[string][]byte{"bootstrap": goBootstrap})
	quiet := fogtest.WithConfig(func(c *config.Config) { c.LogLevel = "warn" })
	c := fogtest.Start(b, quiet).Lambda(func(o *lambda.Options) { o.RetryMaxAttempts = 1 })
	_, err := c.CreateFunction(b.Context(), &lambda.CreateFunctionInput{FunctionName: aws.String("bench"), Role: aws.String(role),
		Runtime: types.RuntimeProvidedal2023, Handler: aws.String("bootstrap"), Code: &types.FunctionCode{ZipFile: zipped}})
	if err != nil {
		b.Fatal(err)
	}
	return c, &lambda.InvokeInput{FunctionName: aws.String("bench"), Payload: []byte(`{"name":"bench"}`)}
}
