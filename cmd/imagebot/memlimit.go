package main

import (
	"os"
	"runtime/debug"
)

// checkMemoryLimit is the soft limit `check` and `diff` give the Go
// runtime: past it the garbage collector runs as often as it must, so the
// garbage of one file's decoding is gone before the next file is read,
// instead of the heap doubling first. With the engine's budgets (files
// and bytes per run, elements per decoder) it keeps the process near
// 256 MB on the inputs of scripts/bench-memory.sh. A GOMEMLIMIT in the
// environment wins.
const checkMemoryLimit = 160 << 20

func limitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(checkMemoryLimit)
	}
}
