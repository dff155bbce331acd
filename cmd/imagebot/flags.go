package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// errHelpShown makes the command exit 0 after it printed its help.
var errHelpShown = errors.New("help shown")

// command is a subcommand's flags and help: its synopsis line, a short
// description, and the flags, each printed from its flag.Flag.
type command struct {
	name     string
	synopsis string
	about    string
	flags    *flag.FlagSet
}

func newCommand(name, synopsis, about string) *command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &command{name: name, synopsis: synopsis, about: about, flags: fs}
}

// parse reads the flags wherever they stand among args, before and after
// the operands (`imagebot check . --format json`); "--" ends the flags.
// It returns the operands. -h and --help print the help to stdout and
// return errHelpShown.
func (c *command) parse(args []string, stdout io.Writer) ([]string, error) {
	var operands []string
	for {
		err := c.flags.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			c.help(stdout)
			return nil, errHelpShown
		}
		if err != nil {
			return nil, usagef("%s: %s; run imagebot %s --help", c.name, flagProblem(err), c.name)
		}
		rest := c.flags.Args()
		if len(rest) == 0 {
			return operands, nil
		}
		if done := args[:len(args)-len(rest)]; len(done) > 0 && done[len(done)-1] == "--" {
			return append(operands, rest...), nil
		}
		operands = append(operands, rest[0])
		args = rest[1:]
	}
}

// flagProblem rewords the flag package's errors with the flags written
// the way the help writes them, "--format".
func flagProblem(err error) string {
	msg := err.Error()
	for _, p := range []struct{ prefix, say string }{
		{"flag provided but not defined: -", "unknown flag --"},
		{"flag needs an argument: -", "flag needs a value: --"},
	} {
		if rest, ok := strings.CutPrefix(msg, p.prefix); ok {
			return p.say + rest
		}
	}
	return msg
}

// help prints the synopsis, the description and every flag.
func (c *command) help(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", c.synopsis, c.about)
	var lines []string
	c.flags.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		if f.DefValue != "" && f.DefValue != "false" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		// Lines after a usage's first stand in its column.
		usage = strings.ReplaceAll(usage, "\n", "\n\t")
		lines = append(lines, fmt.Sprintf("  --%s %s\t%s", f.Name, name, usage))
	})
	if len(lines) == 0 {
		return
	}
	fmt.Fprint(w, "\nFlags:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, l := range lines {
		fmt.Fprintln(tw, l)
	}
	tw.Flush()
}

// plural counts things for a message: "1 argument", "3 arguments".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
