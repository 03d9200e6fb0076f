// Command inspecta is the whole of Inspecta in one binary: the sync server
// with its embedded SQLite store and web app, user administration, and reports.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errUsageShown) {
			fmt.Fprintln(os.Stderr, "inspecta:", err)
		}
		os.Exit(1)
	}
}

var errUsageShown = errors.New("usage shown")

const usage = `Inspecta: offline-first monitoring of places of detention for National Preventive Mechanisms.

Usage:
  inspecta serve [--addr :8080] [--db ./data/inspecta.db] [--demo]
  inspecta user add --username U --role member|coordinator|staff|admin [--region CODE] [--name NAME] --password-stdin [--db FILE]
  inspecta user list [--db FILE]
  inspecta user passwd --username U --password-stdin [--db FILE]
  inspecta user revoke --device ID [--db FILE]
  inspecta user unlock --username U [--db FILE]
  inspecta demo [--db FILE]
  inspecta report pdf|region|csv ...   (see README, Reports)
  inspecta checklist import FILE [--activate] | list | activate ID@VERSION | export ID[@VERSION] --format json|xlsform [--out FILE]
  inspecta backup --out FILE [--db FILE]
  inspecta restore --from FILE [--db FILE]
  inspecta check [--db FILE]
  inspecta bench [--quick] [--json FILE] [--peer-url URL]
  inspecta version

Run "inspecta COMMAND --help" for a command's flags.
`

// commands maps each subcommand to its function; other files add theirs.
var commands = map[string]func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error{
	"serve": runServe,
	"user":  runUser,
	"version": func(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) error {
		fmt.Fprintln(stdout, "inspecta", version)
		return nil
	},
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return errUsageShown
		}
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return cmd(ctx, args[1:], stdin, stdout, stderr)
}
