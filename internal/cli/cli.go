// Package cli is the fogbank command line: `fogbank serve` runs the server
// until SIGINT or SIGTERM, `fogbank invoke` and `fogbank logs` call a
// running server's Lambda and CloudWatch Logs APIs as a user would (SigV4
// signed with aws-sdk-go-v2's signer, at --endpoint, http://127.0.0.1:4566
// by default), `fogbank version` prints the build version.
//
// The client commands send their few requests by hand rather than through
// the SDK's service clients and config loader: those would link their large
// tables into the server binary, costing `fogbank serve` start-up time and
// resident memory. They take static keys from the environment, the data
// directory's credentials file or the shared AWS files (see
// loadCredentials), the only kind of credentials a Fogbank server accepts.
// Flags use the standard library's flag package; each command has its own
// flag set.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// Exit codes of Main.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	// exitStorageUnreachable: the configured database cannot be reached.
	exitStorageUnreachable = 3
	// exitStorageSchemaTooNew: the database's schema was migrated by a
	// newer fogbank.
	exitStorageSchemaTooNew = 4
)

// Version is the release version, set at build time with
// -ldflags "-X github.com/fogbank/fogbank/internal/cli.Version=v1.2.3".
// When empty, the module version and VCS revision from the build info are
// reported instead.
var Version string

// env is what a command reads from its process.
type env struct {
	stdout, stderr io.Writer
	lookupEnv      func(string) (string, bool)
	// signals, when not nil, is closed once SIGINT and SIGTERM are caught:
	// from then on they cancel the command's context rather than end the
	// process.
	signals <-chan struct{}
}

// Main runs the command named by args[0] and returns the process exit
// code. SIGINT and SIGTERM cancel the command's context: `serve` then shuts
// down gracefully.
func Main(args []string) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	return run(ctx, args, env{stdout: os.Stdout, stderr: os.Stderr, lookupEnv: os.LookupEnv, signals: notify(cancel)})
}

// notify calls cancel on the first SIGINT or SIGTERM. Registering for them
// waits for the runtime to start a thread for signals, about a millisecond,
// so it is done beside the command's start; the returned channel is closed
// once it is done.
func notify(cancel context.CancelFunc) <-chan struct{} {
	registered := make(chan struct{})
	go func() {
		c := make(chan os.Signal, 1)
		signal.Notify(c, os.Interrupt, syscall.SIGTERM)
		close(registered)
		<-c
		cancel()
	}()
	return registered
}

func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], e)
	case "invoke":
		return invoke(ctx, args[1:], e)
	case "logs":
		return logs(ctx, args[1:], e)
	case "version", "--version":
		fmt.Fprintln(e.stdout, "fogbank", version())
		return exitOK
	case "help", "-h", "-help", "--help":
		usage(e.stdout)
		return exitOK
	default:
		fmt.Fprintf(e.stderr, "fogbank: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return exitUsage
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: fogbank <command> [flags]

Commands:
  serve     run the server (fogbank serve -h lists its flags)
  invoke    invoke a Lambda function and print its result:
            fogbank invoke <function> [payload JSON] [--qualifier Q]
  logs      print a Lambda function's logs: fogbank logs [-f] <function>
  version   print the version

Every serve flag can also be set with a FOGBANK_* environment variable
(--data-dir is FOGBANK_DATA_DIR). The root credentials come only from
FOGBANK_ROOT_ACCESS_KEY_ID and FOGBANK_ROOT_SECRET_ACCESS_KEY, or are
generated on first start.

--storage postgres://user@host:5432/db (or FOGBANK_STORAGE) keeps the data
in PostgreSQL instead of --data-dir, so that several nodes can share it. Give
the password with PGPASSWORD or a pgpass file rather than in the URL.

Exit codes: 0 ok, 1 failure, 2 bad usage or configuration, 3 storage
database unreachable, 4 storage database schema newer than this binary.
`)
}

// version returns Version, or the build info's module version and VCS
// revision.
func version() string {
	if Version != "" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " (" + s.Value[:12] + ")"
		}
	}
	return v
}

// parseFlags parses args with fs, mapping -h to a clean exit.
func parseFlags(fs *flag.FlagSet, args []string) (exit int, ok bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK, false
	case err != nil:
		return exitUsage, false
	case fs.NArg() > 0:
		fmt.Fprintf(fs.Output(), "fogbank %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage, false
	}
	return exitOK, true
}
