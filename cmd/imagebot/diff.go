package main

import (
	"flag"
	"io"
	"os"

	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/checks/render"
)

// runDiff is `imagebot diff [--format F] BEFORE AFTER`.
func runDiff(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "output format: text, markdown or json")
	if err := fs.Parse(args); err != nil {
		return usagef("diff: %v", err)
	}
	if err := validFormat(*format); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usagef("diff takes two lockfiles, BEFORE and AFTER; got %d arguments", fs.NArg())
	}
	before, err := readLock(fs.Arg(0))
	if err != nil {
		return err
	}
	after, err := readLock(fs.Arg(1))
	if err != nil {
		return err
	}
	changes := checks.Diff(before, after)
	diffs := []checks.LockDiff{{Path: fs.Arg(1), Changes: changes}}
	switch *format {
	case "json":
		return render.DiffJSON(stdout, changes)
	case "markdown":
		_, err := io.WriteString(stdout, render.DiffMarkdown(diffs, render.MaxComment)+"\n")
		return err
	}
	return render.DiffText(stdout, diffs)
}

// readLock reads and parses one lockfile given on the command line.
func readLock(name string) (*lock.Lock, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, usagef("%v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, lock.MaxSize+1))
	if err != nil {
		return nil, usagef("read %s: %v", name, err)
	}
	if len(data) > lock.MaxSize {
		return nil, usagef("%s is larger than %d MiB", name, lock.MaxSize>>20)
	}
	l, err := lock.Parse(name, data)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return l, nil
}
