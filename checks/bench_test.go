package checks

import (
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/imagebot/imagebot/checks/internal/lockgen"
)

// benchmarkLocks are two generated ~1.4 MB, 4-platform conda-lock.yml
// files: the second upgrades 60 packages, downgrades 5 and moves sqlite
// without libsqlite.
func benchmarkLocks() (before, after []byte) {
	return lockgen.CondaLock(lockgen.Options{}),
		lockgen.CondaLock(lockgen.Options{Upgrade: 60, Downgrade: 5, DowngradeSQLite: true})
}

// BenchmarkCheckAndDiff runs every check and the dependency diff on a pull
// request that changes a large lock. Target: at most 100 ms on one core,
// and at most twice BenchmarkDecodeGeneric.
func BenchmarkCheckAndDiff(b *testing.B) {
	before, after := benchmarkLocks()
	env := []byte("name: bench\nchannels: [conda-forge]\ndependencies:\n  - python=3.12\n")
	base := Files{"environment.yml": env, "conda-lock.yml": before}
	head := Files{"environment.yml": env, "conda-lock.yml": after}
	b.SetBytes(int64(len(before) + len(after)))
	b.ReportAllocs()
	for b.Loop() {
		r := Check(head, WithBase(base))
		if r.Result(LockfileConsistent).Conclusion != Failure || len(r.Diffs) != 1 {
			b.Fatalf("unexpected report: %s, %d diffs", r.Result(LockfileConsistent).Conclusion, len(r.Diffs))
		}
	}
}

// BenchmarkDecodeGeneric only decodes the same two files with
// go.yaml.in/yaml/v3 into generic maps: the yardstick for
// BenchmarkCheckAndDiff.
func BenchmarkDecodeGeneric(b *testing.B) {
	before, after := benchmarkLocks()
	b.SetBytes(int64(len(before) + len(after)))
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range [][]byte{before, after} {
			var m map[string]any
			if err := yaml.Unmarshal(data, &m); err != nil {
				b.Fatal(err)
			}
		}
	}
}
