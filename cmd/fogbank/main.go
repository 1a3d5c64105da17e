// Command fogbank is the AWS serverless stack as one binary; see
// internal/cli for its commands.
package main

import (
	"os"

	"github.com/fogbank/fogbank/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:]))
}
