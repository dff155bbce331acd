// Command imagebot checks JupyterHub user-image repositories: lockfiles
// present, fresh and consistent, images pinned, and the dependency diff of
// a change. `imagebot check` and `imagebot diff` work offline on a
// checkout; `imagebot serve` runs the GitHub App.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// exitUsage is the status for usage errors and unreadable input; a failed
// check exits 1; success exits 0.
const exitUsage = 2

// usageError is an error that the user can fix by calling imagebot
// differently or giving it readable input.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// errChecksFailed makes the command exit 1 without a message: the report
// already says what failed.
var errChecksFailed = errors.New("checks failed")

const usage = `imagebot checks JupyterHub user-image repositories.

Usage:
  imagebot check [--base REF] [--format text|markdown|json] [DIR]
  imagebot diff [--format text|markdown|json] BEFORE AFTER
  imagebot serve                       (the GitHub App; settings from the environment)
  imagebot setup [--org ORG] [--github-url URL] [--webhook-url URL] [--listen ADDR] [--out FILE] [--bump-prs]
                                       (register the GitHub App from app.yml in the browser)
  imagebot config validate FILE        (check an operator configuration, offline)
  imagebot version
  imagebot migrate                     (create or update the tables in IMAGEBOT_DATABASE_URL, then exit)

Run imagebot COMMAND --help for a command's flags.
Exit status: 0 when no check fails, 1 when one fails, 2 for usage errors or unreadable input.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) > 1 && (os.Args[1] == "check" || os.Args[1] == "diff") {
		limitMemory()
	}
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var err error
	switch args[0] {
	case "check":
		err = runCheck(ctx, args[1:], stdout)
	case "diff":
		err = runDiff(args[1:], stdout)
	case "serve":
		err = runServe(ctx, args[1:], stdout, stderr)
	case "setup":
		err = runSetup(ctx, args[1:], stdout, stderr)
	case "config":
		err = runConfig(args[1:], stdout, stderr)
	case "version":
		err = runVersion(args[1:], stdout)
	case "migrate":
		err = runMigrate(ctx, args[1:], stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = usagef("unknown command %q; run imagebot help", args[0])
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelpShown):
		return 0
	case errors.Is(err, errChecksFailed), errors.Is(err, errProblemsPrinted):
		return 1
	case errors.Is(err, errCannotStart):
		return exitUsage
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "imagebot: "+oneLine(err.Error()))
		return exitUsage
	default:
		fmt.Fprintln(stderr, "imagebot: "+oneLine(err.Error()))
		return 1
	}
}

// oneLine joins a multi-line reason so that stderr gets one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}
