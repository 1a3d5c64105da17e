package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/fogbank/fogbank/internal/config"
	"github.com/fogbank/fogbank/internal/identity"
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

// awsConfig loads an SDK config for the server: credentials from the
// environment, else the data directory's credentials file when it exists,
// else the usual shared files.
func (c *clientFlags) awsConfig(ctx context.Context) (aws.Config, error) {
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithRegion(c.region), awsconfig.WithBaseEndpoint(c.endpoint)}
	creds := filepath.Join(c.dataDir, identity.CredentialsFileName)
	if _, err := os.Stat(creds); err == nil {
		opts = append(opts, awsconfig.WithSharedCredentialsFiles([]string{creds}), awsconfig.WithSharedConfigProfile("default"))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("cli: load AWS config: %w", err)
	}
	return cfg, nil
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
