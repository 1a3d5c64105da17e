package gateway_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/fogbank/fogbank/internal/config"
	"github.com/fogbank/fogbank/internal/fogtest"
)

// BenchmarkGatewayRequest is GET /hello through an HTTP API (quick create,
// payload 2.0) to the warm Go test function, the server in this process,
// to count what a request costs the server (and its client) in time and
// allocations:
//
//	go test ./internal/gateway -run '^$' -bench GatewayRequest -benchmem -cpuprofile cpu.out
//
// The figures compared with the targets come from go run ./bench/gateway.
func BenchmarkGatewayRequest(b *testing.B) {
	bin, err := goHandler()
	if err != nil {
		b.Skip("the Go test handler could not be built: " + err.Error())
	}
	srv := fogtest.Start(b, fogtest.WithConfig(func(c *config.Config) { c.LogLevel = "warn" }))
	fn, err := srv.Lambda().CreateFunction(b.Context(), &lambda.CreateFunctionInput{FunctionName: aws.String("hello"),
		Runtime: ltypes.RuntimeProvidedal2023, Handler: aws.String("bootstrap"), Role: aws.String("arn:aws:iam::000000000000:role/r"),
		Code: &ltypes.FunctionCode{ZipFile: fogtest.ZipFiles(b, map[string][]byte{"bootstrap": bin})}})
	if err != nil {
		b.Fatal(err)
	}
	api, err := srv.APIGatewayV2().CreateApi(b.Context(), &apigatewayv2.CreateApiInput{Name: aws.String("bench"),
		ProtocolType: agtypes.ProtocolTypeHttp, Target: fn.FunctionArn, RouteKey: aws.String("GET /hello")})
	if err != nil {
		b.Fatal(err)
	}
	url, client := srv.APIURL(aws.ToString(api.ApiId), "", "/hello"), srv.APIClient()
	get := func() {
		resp, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %s", url, resp.Status)
		}
	}
	get() // the cold start
	b.ReportAllocs()
	for b.Loop() {
		get()
	}
}
