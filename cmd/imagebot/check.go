package main

import (
	"context"
	"io"
	"os"
	"strings"

	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/render"
	"github.com/imagebot/imagebot/internal/gitref"
)

// runCheck is `imagebot check [--base REF] [--format F] [DIR]`.
func runCheck(ctx context.Context, args []string, stdout io.Writer) error {
	cmd := newCommand("check", "imagebot check [--base REF] [--format text|markdown|json] [DIR]",
		`Runs every check on the image repository in DIR (default: the current directory)
and prints what is wrong, where, and the command that fixes it. The exit status
is 0 when no check fails, 1 when one fails, and 2 for usage errors.`)
	base := cmd.flags.String("base", "", "also judge the change from `REF` (a git ref in DIR's repository)\n"+
		"to the working tree, as a pull request: specs changed without\n"+
		"their lock, and the dependency diff; the configuration is then\n"+
		"read from REF, as the App reads it from the pull request's base")
	format := cmd.flags.String("format", "text", "the output's `FORMAT`: text, markdown or json")
	operands, err := cmd.parse(args, stdout)
	if err != nil {
		return err
	}
	if err := validFormat(*format); err != nil {
		return err
	}
	if len(operands) > 1 {
		return usagef("check takes at most one directory, got %s: %s", plural(len(operands), "argument", "arguments"), strings.Join(operands, " "))
	}
	dir := "."
	if len(operands) == 1 {
		dir = operands[0]
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usagef("%s is not a directory", dir)
	}
	head := checks.FS(os.DirFS(dir))
	configFrom := head
	var opts []checks.Option
	if *base != "" {
		bt, err := gitref.Open(ctx, dir, *base)
		if err != nil {
			return usagef("--base %s: %v", *base, err)
		}
		opts = append(opts, checks.WithBase(bt))
		configFrom = bt // a change cannot switch its own checks off
	}
	cfg, err := checks.LoadConfig(configFrom)
	if err != nil {
		return usagef("%v", err)
	}
	report := checks.Check(head, append(opts, checks.WithConfig(cfg))...)
	if err := writeReport(stdout, *format, report); err != nil {
		return err
	}
	if report.Conclusion == checks.Failure {
		return errChecksFailed
	}
	return nil
}

func validFormat(f string) error {
	switch f {
	case "text", "markdown", "json":
		return nil
	}
	return usagef("unknown --format %q; use text, markdown or json", f)
}

func writeReport(w io.Writer, format string, r *checks.Report) error {
	switch format {
	case "json":
		return render.JSON(w, r)
	case "markdown":
		_, err := io.WriteString(w, render.Markdown(r, render.MaxComment)+"\n")
		return err
	}
	return render.Text(w, r)
}
