package main

import (
	"runtime"

	"github.com/imagebot/imagebot/bot/dburl"
)

// serveProcs is how many processors serve gives the Go runtime: one more
// than the runtime chose by itself (the CPUs of the machine or of the
// container) when the database is SQLite. SQLite syncs its log at
// every commit with fdatasync(2), and a group's commit spends most of its
// time there, in a thread that holds a processor. With every processor
// busy, the runtime's monitor takes that processor back at each commit,
// and to do so it wakes every 20 µs instead of backing off to 10 ms: on a
// 2-core machine a tenth of the CPU went to it, and a spare processor
// made the intake 2–7 % faster (BENCHMARKS.md). ok is false when the
// GOMAXPROCS variable is set (it wins) or the database is PostgreSQL,
// whose syncs are the server's.
func serveProcs(gomaxprocs, databaseURL string, current int) (n int, ok bool) {
	if gomaxprocs != "" {
		return current, false
	}
	if kind, _, err := dburl.Parse(databaseURL); err != nil || kind != dburl.SQLite {
		return current, false
	}
	return current + 1, true
}

// spareProcessor applies serveProcs and returns the processors the
// runtime has. A count it sets stays as set: the runtime no longer follows
// a container's CPU limit changing while serve runs.
func spareProcessor(gomaxprocs, databaseURL string) int {
	n, ok := serveProcs(gomaxprocs, databaseURL, runtime.GOMAXPROCS(0))
	if ok {
		runtime.GOMAXPROCS(n)
	}
	return n
}
