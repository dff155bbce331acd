package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"

	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/checks/render"
)

// runDiff is `imagebot diff [--format F] BEFORE AFTER`.
func runDiff(args []string, stdout io.Writer) error {
	cmd := newCommand("diff", "imagebot diff [--format text|markdown|json] BEFORE AFTER",
		`Compares two lockfiles of any supported format (conda-lock.yml, explicit
conda-*.lock, pixi.lock, uv.lock, pip-compile requirements.txt) and prints the
packages added, removed, upgraded, downgraded and rebuilt, per environment and
platform. The exit status is 0, or 2 for usage errors and unreadable files.`)
	format := cmd.flags.String("format", "text", "the output's `FORMAT`: text, markdown or json")
	operands, err := cmd.parse(args, stdout)
	if err != nil {
		return err
	}
	if err := validFormat(*format); err != nil {
		return err
	}
	if len(operands) != 2 {
		return usagef("diff takes two lockfiles, BEFORE and AFTER; got %s", plural(len(operands), "argument", "arguments"))
	}
	beforePath, afterPath := operands[0], operands[1]
	before, err := readLock(beforePath)
	if err != nil {
		return err
	}
	after, err := readLock(afterPath)
	if err != nil {
		return err
	}
	changes := checks.Diff(before, after)
	diffs := []checks.LockDiff{{Path: beforePath + " -> " + afterPath, Changes: changes}}
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
	if errors.Is(err, fs.ErrNotExist) {
		return nil, usagef("%s does not exist", name)
	}
	if err != nil {
		return nil, usagef("cannot open %s: %v", name, unwrapPath(err))
	}
	defer f.Close()
	st, err := f.Stat()
	switch {
	case err != nil:
		return nil, usagef("cannot read %s: %v", name, unwrapPath(err))
	case st.IsDir():
		return nil, usagef("%s is a directory; diff compares two lockfiles", name)
	case st.Mode().IsRegular() && st.Size() > lock.MaxSize:
		// Refused before reading a byte of it.
		return nil, usagef("%s is larger than %d MiB", name, lock.MaxSize>>20)
	}
	// The size read is capped, for files whose stat says nothing (a pipe).
	buf := bytes.NewBuffer(make([]byte, 0, min(st.Size(), lock.MaxSize)+1))
	if _, err := buf.ReadFrom(io.LimitReader(f, lock.MaxSize+1)); err != nil {
		return nil, usagef("cannot read %s: %v", name, unwrapPath(err))
	}
	data := buf.Bytes()
	if len(data) > lock.MaxSize {
		return nil, usagef("%s is larger than %d MiB", name, lock.MaxSize>>20)
	}
	l, err := lock.Parse(name, data)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return l, nil
}

// unwrapPath drops the operation and path that *fs.PathError repeats, so
// that a message names the file once.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
