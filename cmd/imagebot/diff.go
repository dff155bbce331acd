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
	// Both files come out of one budget, as a check run's files do, so
	// that two locks of the largest size cannot take the memory of two.
	budget := diffReadLimit
	if statSize(beforePath)+statSize(afterPath) > budget {
		// Refused before reading either.
		return overBudget(afterPath)
	}
	before, err := readLock(beforePath, &budget)
	if err != nil {
		return err
	}
	after, err := readLock(afterPath, &budget)
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

// diffReadLimit is the most diff reads of its two lockfiles together. A
// diff holds both locks and every change between them: a 63 MB and a 1 MB
// conda-lock.yml peak at 302 MB, 30 MB and 1 MB at 206 MB, so 32 MiB in
// all keeps diff within 256 MB (real locks are a few MB).
var diffReadLimit int64 = 32 << 20

// statSize is the size of a regular file at name, or 0 when stat says
// nothing of it (readLock then reports the error, or bounds the reading).
func statSize(name string) int64 {
	if st, err := os.Stat(name); err == nil && st.Mode().IsRegular() {
		return st.Size()
	}
	return 0
}

// readLock reads and parses one lockfile given on the command line, and
// takes its size from budget: what is left of the bytes the command reads.
func readLock(name string, budget *int64) (*lock.Lock, error) {
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
	case st.Mode().IsRegular() && st.Size() > *budget:
		return nil, overBudget(name)
	}
	// The size read is capped, for files whose stat says nothing (a pipe).
	limit := min(*budget, lock.MaxSize)
	buf := bytes.NewBuffer(make([]byte, 0, min(st.Size(), limit)+1))
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, usagef("cannot read %s: %v", name, unwrapPath(err))
	}
	data := buf.Bytes()
	switch {
	case len(data) > lock.MaxSize:
		return nil, usagef("%s is larger than %d MiB", name, lock.MaxSize>>20)
	case int64(len(data)) > *budget:
		return nil, overBudget(name)
	}
	*budget -= int64(len(data))
	l, err := lock.Parse(name, data)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return l, nil
}

// overBudget is the error for a second lockfile that does not fit what
// the first left of the bytes diff reads.
func overBudget(name string) error {
	return usagef("%s does not fit: diff reads at most %d MiB of the two lockfiles together, which bounds its memory; compare smaller locks (one environment or platform each)", name, diffReadLimit>>20)
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
