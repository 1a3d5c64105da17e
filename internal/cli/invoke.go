package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
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
	in := &lambda.InvokeInput{FunctionName: aws.String(args[0])}
	if len(args) == 2 {
		in.Payload = []byte(args[1])
	}
	if *qualifier != "" {
		in.Qualifier = qualifier
	}
	cfg, err := cf.awsConfig(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "fogbank invoke: %v\n", err)
		return exitFailure
	}
	out, err := lambda.NewFromConfig(cfg).Invoke(ctx, in)
	if err != nil {
		fmt.Fprintf(e.stderr, "fogbank invoke: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(e.stdout, "%s\n", out.Payload)
	if out.FunctionError != nil {
		fmt.Fprintf(e.stderr, "fogbank invoke: function error (%s)\n", aws.ToString(out.FunctionError))
		return exitFailure
	}
	return exitOK
}
