package conda

import "testing"

// Inputs as they appear in conda-lock.yml and pixi.lock.
var (
	benchVersions = []string{"3.51.2", "2026.2.25", "1.2.3+cuda118", "1!2.0", "3.1.20250104", "2025c", "0.4.6", "6.5"}
	benchSpecs    = []string{">=1.5.7,<1.6.0a0", "3.12.*", ">=3.9", "3.51.2", "<0.0a0", ">=2.17,<3.0.a0", ">=14", "2.9.3"}
	benchMatch    = []string{"libsqlite 3.51.2 h0c1763c_0", "python >=3.12,<3.13.0a0 *_cpython", "libgcc >=14", "python_abi 3.12.* *_cp312"}
)

func BenchmarkParseVersion(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := ParseVersion(benchVersions[i%len(benchVersions)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseSpec(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := ParseSpec(benchSpecs[i%len(benchSpecs)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseMatchSpec(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := ParseMatchSpec(benchMatch[i%len(benchMatch)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatch tests pre-parsed versions against pre-parsed specs, as the
// consistency check does once a lock is parsed.
func BenchmarkMatch(b *testing.B) {
	specs := make([]Spec, len(benchSpecs))
	for i, s := range benchSpecs {
		specs[i] = mustSpec(b, s)
	}
	versions := make([]Version, len(benchVersions))
	for i, s := range benchVersions {
		versions[i] = mustVersion(b, s)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		specs[i%len(specs)].Match(versions[i%len(versions)])
	}
}
