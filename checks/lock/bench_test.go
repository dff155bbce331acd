//go:build unix

package lock

import (
	"syscall"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/imagebot/imagebot/checks/internal/lockgen"
	"github.com/imagebot/imagebot/internal/fixtures"
)

// Run with: go test -run '^$' -bench . -cpu 1 -benchmem ./checks/lock/
//
// Besides wall time (ns/op), each benchmark reports the CPU time the
// process used per operation (cpu-ns/op), which stays meaningful on a
// machine shared with other work.

// cpuTime returns the user and system CPU time the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs op b.N times and reports its CPU time per operation.
func measure(b *testing.B, size int, op func() error) {
	b.SetBytes(int64(size))
	b.ReportAllocs()
	start := cpuTime(b)
	n := 0
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(cpuTime(b)-start)/float64(n), "cpu-ns/op")
}

// generated is the default synthetic lock: about 1.4 MB, four platforms.
var generated = lockgen.CondaLock(lockgen.Options{})

func BenchmarkParseCondaLock(b *testing.B) {
	measure(b, len(generated), func() error {
		_, err := Parse("conda-lock.yml", generated)
		return err
	})
}

func BenchmarkParsePixi(b *testing.B) {
	data := fixtures.ReadCorpus(b, "geodepot/pixi.lock")
	measure(b, len(data), func() error {
		_, err := Parse("pixi.lock", data)
		return err
	})
}

// BenchmarkYAMLNodeDecode decodes the same bytes as BenchmarkParseCondaLock
// with yaml.v3 into a yaml.Node, for comparison.
func BenchmarkYAMLNodeDecode(b *testing.B) {
	measure(b, len(generated), func() error {
		var n yaml.Node
		return yaml.Unmarshal(generated, &n)
	})
}

// BenchmarkYAMLGenericDecode decodes the same bytes with yaml.v3 into a
// map[string]any, for comparison.
func BenchmarkYAMLGenericDecode(b *testing.B) {
	measure(b, len(generated), func() error {
		var m map[string]any
		return yaml.Unmarshal(generated, &m)
	})
}
