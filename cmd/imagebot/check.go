package main

import (
	"context"
	"flag"
	"io"
	"os"

	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/render"
	"github.com/imagebot/imagebot/internal/gitref"
)

// runCheck is `imagebot check [--base REF] [--format F] [DIR]`.
func runCheck(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	base := fs.String("base", "", "git ref to judge the working tree against, as a pull request")
	format := fs.String("format", "text", "output format: text, markdown or json")
	if err := fs.Parse(args); err != nil {
		return usagef("check: %v", err)
	}
	if err := validFormat(*format); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usagef("check takes at most one directory, got %d arguments", fs.NArg())
	}
	dir := "."
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
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
			return usagef("--base: %v", err)
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
