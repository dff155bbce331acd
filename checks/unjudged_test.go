package checks

import (
	"strings"
	"testing"
)

// TestUnparsableConstraintsFail: the outage lock with sqlite's pin on
// libsqlite wrapped in 40 parentheses (deeper than conda.MaxDepth), or
// made longer than conda.MaxLength, must not pass lockfile-consistent:
// what imagebot cannot evaluate fails, and says so.
func TestUnparsableConstraintsFail(t *testing.T) {
	outage := loadDir(t, "../testdata/repos/outage")
	const fix = "Re-solve the lock instead of editing it: `conda-lock lock -f environment.yml -p linux-64 && conda-lock render --kind explicit -p linux-64 conda-lock.yml`."
	deep := strings.Repeat("(", 40) + "3.45.1" + strings.Repeat(")", 40)
	long := strings.Repeat("3.45.1|", 600) + "3.45.1"
	tests := []struct {
		name, spec, want string
	}{
		{"nested 40 deep", "'" + deep + "'",
			"sqlite 3.45.1 requires " + clipTo("libsqlite "+deep, 80) + `, which imagebot cannot evaluate (invalid conda MatchSpec "pkg ((((((((((((((((((((((((((((((((((((((((3.45.1))))))))))))))"...: parentheses nested deeper than 32), so it cannot tell whether the lock's libsqlite 3.53.0 meets it (linux-64).`},
		{"over 4,096 characters", "'" + long + "'",
			"sqlite 3.45.1 requires " + clipTo("libsqlite "+long, 80) + `, which imagebot cannot evaluate (invalid conda MatchSpec "pkg 3.45.1|3.45.1|3.45.1|3.45.1|3.45.1|3.45.1|3.45.1|3.45.1|3.45"...: longer than 4096 bytes), so it cannot tell whether the lock's libsqlite 3.53.0 meets it (linux-64).`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree := with(outage, map[string]string{"conda-lock.yml": replace(t, outage, "conda-lock.yml", "libsqlite: 3.45.1", "libsqlite: "+tt.spec)})
			report := Check(tree)
			res := report.Result(LockfileConsistent)
			want := Finding{Severity: Error, Path: "conda-lock.yml", Line: 53, Message: tt.want, Fix: fix}
			if res.Conclusion != Failure || len(res.Findings) != 1 || res.Findings[0] != want {
				t.Errorf("%s: %+v\nwant %+v", res.Conclusion, res.Findings, want)
			}
		})
	}
}
