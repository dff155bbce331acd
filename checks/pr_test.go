package checks

import (
	"reflect"
	"testing"

	"github.com/imagebot/imagebot/checks/diff"
)

// TestPullRequest judges changes from a base tree to a head tree.
func TestPullRequest(t *testing.T) {
	compliant := loadDir(t, "../testdata/repos/compliant")
	outage := loadDir(t, "../testdata/repos/outage")
	tests := []struct {
		name       string
		base, head func(t *testing.T) Files
		check      string
		want       Conclusion
		findings   []string // "severity path:line message-prefix"
		diffs      []string // "path: name before->after kind flags"
	}{
		{
			name:  "the outage as a pull request",
			base:  func(*testing.T) Files { return compliant },
			head:  func(*testing.T) Files { return outage },
			check: DependencyDiff, want: Neutral,
			findings: []string{
				"warning conda-lock.yml:53 sqlite moves from 3.53.0 to 3.45.1 but its split sibling does not: libsqlite stays at 3.53.0 (linux-64).",
			},
			diffs: []string{"conda-lock.yml: sqlite 3.53.0->3.45.1 downgraded [downgrade split]"},
		},
		{
			name: "downgrades fail when the repository says so",
			base: func(*testing.T) Files {
				return with(compliant, map[string]string{".github/imagebot.yml": "checks:\n  dependency-diff: error\n"})
			},
			head:  func(*testing.T) Files { return outage },
			check: DependencyDiff, want: Failure,
			findings: []string{
				"error conda-lock.yml:53 sqlite moves from 3.53.0 to 3.45.1",
			},
			diffs: []string{"conda-lock.yml: sqlite 3.53.0->3.45.1 downgraded [downgrade split]"},
		},
		{
			name: "spec changed, lock did not",
			base: func(*testing.T) Files { return compliant },
			head: func(t *testing.T) Files {
				return with(compliant, map[string]string{"environment.yml": replace(t, compliant, "environment.yml", "  - numpy>=2.0\n", "  - numpy>=2.1\n")})
			},
			check: LockfileFresh, want: Failure,
			findings: []string{
				"error environment.yml:7 This pull request changes the requirements in `environment.yml`, but `conda-lock.yml` did not change",
			},
		},
		{
			name: "a comment-only spec change needs no new lock",
			base: func(*testing.T) Files { return compliant },
			head: func(t *testing.T) Files {
				return with(compliant, map[string]string{"environment.yml": replace(t, compliant, "environment.yml", "  - numpy>=2.0\n", "  - numpy>=2.0  # arrays\n")})
			},
			check: LockfileFresh, want: Success,
		},
		{
			name:  "no change at all",
			base:  func(*testing.T) Files { return compliant },
			head:  func(*testing.T) Files { return compliant },
			check: DependencyDiff, want: Neutral,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := tt.base(t)
			cfg, err := LoadConfig(base)
			if err != nil {
				t.Fatal(err)
			}
			report := Check(tt.head(t), WithBase(base), WithConfig(cfg))
			res := report.Result(tt.check)
			if res.Conclusion != tt.want {
				t.Errorf("%s = %s, want %s: %s", tt.check, res.Conclusion, tt.want, describe(res.Findings))
			}
			if len(res.Findings) != len(tt.findings) {
				t.Fatalf("got %d findings, want %d:\n%s", len(res.Findings), len(tt.findings), describe(res.Findings))
			}
			for i, f := range res.Findings {
				got := string(f.Severity) + " " + location(f) + " " + f.Message
				if len(got) < len(tt.findings[i]) || got[:len(tt.findings[i])] != tt.findings[i] {
					t.Errorf("finding %d:\n got  %s\n want %s…", i, got, tt.findings[i])
				}
			}
			var diffs []string
			for _, d := range report.Diffs {
				for _, c := range d.Changes {
					diffs = append(diffs, d.Path+": "+c.Name+" "+c.Before.Version+"->"+c.After.Version+" "+string(c.Kind)+" "+flags(c.Flags))
				}
			}
			if !reflect.DeepEqual(diffs, tt.diffs) {
				t.Errorf("diffs = %q, want %q", diffs, tt.diffs)
			}
		})
	}
}

func flags(fs []diff.Flag) string {
	s := "["
	for i, f := range fs {
		if i > 0 {
			s += " "
		}
		s += string(f)
	}
	return s + "]"
}
