package render

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/diff"
	"github.com/imagebot/imagebot/checks/lock"
)

func TestPackageURL(t *testing.T) {
	tests := []struct{ manager, name, url, want string }{
		{"conda", "sqlite", "https://conda.anaconda.org/conda-forge/linux-64/sqlite-3.45.1-h_0.conda", "https://anaconda.org/conda-forge/sqlite"},
		{"conda", "samtools", "https://conda.anaconda.org/bioconda/linux-64/samtools-1.0-0.tar.bz2", "https://anaconda.org/bioconda/samtools"},
		{"conda", "local", "file:///tmp/local-1-0.conda", "https://anaconda.org/conda-forge/local"},
		{"pypi", "jupyter-ai", "", "https://pypi.org/project/jupyter-ai/"},
		{"pypi", "a b", "", "https://pypi.org/project/a%20b/"},
	}
	for _, tt := range tests {
		if got := packageURL(tt.manager, tt.name, tt.url); got != tt.want {
			t.Errorf("packageURL(%s, %s) = %s, want %s", tt.manager, tt.name, got, tt.want)
		}
	}
}

func pkg(name, version, build string) *lock.Package {
	return &lock.Package{Manager: lock.Conda, Name: name, Version: version, Build: build,
		URL: "https://conda.anaconda.org/conda-forge/linux-64/" + name + "-" + version + "-" + build + ".conda"}
}

func outageDiff() []checks.LockDiff {
	changes := []diff.Change{
		{Manager: lock.Conda, Environment: "default", Platform: "linux-64", Name: "sqlite", Kind: diff.Downgraded, Level: 1,
			Before: pkg("sqlite", "3.53.0", "h_0"), After: pkg("sqlite", "3.45.1", "h_0"), Direct: true,
			Flags: []diff.Flag{diff.Downgrade, diff.Split}, Siblings: []diff.Sibling{{Name: "libsqlite", Version: "3.53.0"}}},
		{Manager: lock.Conda, Environment: "default", Platform: "linux-64", Name: "numpy", Kind: diff.Upgraded, Level: 0,
			Before: pkg("numpy", "1.26.4", "py312_0"), After: pkg("numpy", "2.1.0", "py312_0"), Flags: []diff.Flag{diff.Major}},
		{Manager: lock.Conda, Environment: "default", Platform: "osx-arm64", Name: "numpy", Kind: diff.Upgraded, Level: 0,
			Before: pkg("numpy", "1.26.4", "py312_1"), After: pkg("numpy", "2.1.0", "py312_1"), Flags: []diff.Flag{diff.Major}},
		{Manager: lock.Conda, Environment: "default", Platform: "linux-64", Name: "tzdata", Kind: diff.Added, Level: -1, After: pkg("tzdata", "2025c", "h_0")},
		{Manager: lock.PyPI, Environment: "default", Platform: "linux-64", Name: "jupyter-ai", Kind: diff.Removed, Level: -1,
			Before: &lock.Package{Manager: lock.PyPI, Name: "jupyter-ai", Version: "2.31.0"}},
	}
	return []checks.LockDiff{{Path: "conda-lock.yml", Changes: changes}}
}

func TestDiffMarkdown(t *testing.T) {
	got := DiffMarkdown(outageDiff(), MaxComment)
	want, err := os.ReadFile(filepath.Join("testdata", "outage-diff.md"))
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("DiffMarkdown differs from testdata/outage-diff.md:\n%s", got)
	}
}

func TestDiffMarkdownEmpty(t *testing.T) {
	if got := DiffMarkdown(nil, MaxComment); got != "**No dependency changes** in the lockfiles." {
		t.Errorf("got %q", got)
	}
}

// TestDiffMarkdownLimit renders a diff far larger than a comment allows.
func TestDiffMarkdownLimit(t *testing.T) {
	var changes []diff.Change
	for i := 0; i < 5000; i++ {
		name := fmt.Sprintf("package-with-a-long-name-%04d", i)
		changes = append(changes, diff.Change{Manager: lock.Conda, Environment: "default", Platform: "linux-64", Name: name,
			Kind: diff.Upgraded, Level: 2, Before: pkg(name, "1.0.0", "h_0"), After: pkg(name, "1.0.1", "h_0")})
	}
	changes = append(changes, outageDiff()[0].Changes[0])
	for _, limit := range []int{MaxComment, 20000, 3000} {
		got := DiffMarkdown([]checks.LockDiff{{Path: "conda-lock.yml", Changes: changes}}, limit)
		if len(got) > limit {
			t.Errorf("limit %d: got %d bytes", limit, len(got))
		}
		if !strings.Contains(got, "more changes not shown here") {
			t.Errorf("limit %d: no 'more changes' line", limit)
		}
		if !strings.Contains(got, "[sqlite]") {
			t.Errorf("limit %d: the downgrade must survive the cut", limit)
		}
		if !strings.HasPrefix(got, "**Dependency changes:** ⚠️ 1 downgrade · ⚠️ 1 split sibling left behind · 5000 upgraded") {
			t.Errorf("limit %d: summary line %q", limit, strings.SplitN(got, "\n", 2)[0])
		}
	}
}

func TestHostileNamesInMarkdown(t *testing.T) {
	name := "<img src=x onerror=alert(1)>@octocat"
	d := []checks.LockDiff{{Path: "a`b.lock", Changes: []diff.Change{{
		Manager: lock.Conda, Environment: "default", Platform: "linux-64", Name: name, Kind: diff.Added, Level: -1, After: pkg(name, "1", "0")}}}}
	got := DiffMarkdown(d, MaxComment)
	for _, bad := range []string{"<img", "@octocat"} {
		if strings.Contains(got, bad) {
			t.Errorf("output contains %q:\n%s", bad, got)
		}
	}
}

func report() *checks.Report {
	return &checks.Report{
		Conclusion: checks.Failure,
		Checks: []checks.Result{
			{ID: checks.LockfilePresent, Conclusion: checks.Success, Summary: "Every environment is installed from a lockfile."},
			{ID: checks.LockfileConsistent, Conclusion: checks.Failure, Summary: "1 error.", Findings: []checks.Finding{{
				Severity: checks.Error, Path: "conda-lock.yml", Line: 53,
				Message: "sqlite 3.45.1 requires libsqlite 3.45.1, but the lock has libsqlite 3.53.0 (linux-64).",
				Fix:     "Re-solve the lock instead of editing it: `conda-lock lock -f environment.yml -p linux-64`.",
			}}},
			{ID: checks.DependencyDiff, Conclusion: checks.Skipped, Summary: "Runs only on a change."},
		},
	}
}

func TestJSON(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, report()); err != nil {
		t.Fatal(err)
	}
	want := `{
  "conclusion": "failure",
  "checks": [
    {
      "id": "lockfile-present",
      "conclusion": "success",
      "summary": "Every environment is installed from a lockfile.",
      "findings": []
    },
    {
      "id": "lockfile-consistent",
      "conclusion": "failure",
      "summary": "1 error.",
      "findings": [
        {
          "severity": "error",
          "path": "conda-lock.yml",
          "line": 53,
          "message": "sqlite 3.45.1 requires libsqlite 3.45.1, but the lock has libsqlite 3.53.0 (linux-64).",
          "fix": "Re-solve the lock instead of editing it: ` + "`conda-lock lock -f environment.yml -p linux-64`" + `."
        }
      ]
    },
    {
      "id": "dependency-diff",
      "conclusion": "skipped",
      "summary": "Runs only on a change.",
      "findings": []
    }
  ]
}
`
	if b.String() != want {
		t.Errorf("got\n%s", b.String())
	}
}

func TestDiffJSON(t *testing.T) {
	var b bytes.Buffer
	if err := DiffJSON(&b, outageDiff()[0].Changes[3:5]); err != nil {
		t.Fatal(err)
	}
	want := `{
  "changes": [
    {
      "manager": "conda",
      "environment": "default",
      "platform": "linux-64",
      "name": "tzdata",
      "before": null,
      "after": "2025c",
      "kind": "added",
      "flags": []
    },
    {
      "manager": "pypi",
      "environment": "default",
      "platform": "linux-64",
      "name": "jupyter-ai",
      "before": "2.31.0",
      "after": null,
      "kind": "removed",
      "flags": []
    }
  ]
}
`
	if b.String() != want {
		t.Errorf("got\n%s", b.String())
	}
}

func TestText(t *testing.T) {
	var b bytes.Buffer
	r := report()
	r.Checks[1].Findings[0].Message += "\x1b[2J" // a terminal escape from a hostile file
	if err := Text(&b, r); err != nil {
		t.Fatal(err)
	}
	want := `lockfile-present     success  Every environment is installed from a lockfile.
lockfile-consistent  failure  1 error.
  error    conda-lock.yml:53
           sqlite 3.45.1 requires libsqlite 3.45.1, but the lock has libsqlite 3.53.0 (linux-64).[2J
           fix: Re-solve the lock instead of editing it: ` + "`conda-lock lock -f environment.yml -p linux-64`" + `.
dependency-diff      skipped  Runs only on a change.

conclusion: failure
`
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}

// TestDiffText compares the terminal layout with testdata/outage-diff.txt:
// columns line up across platforms, and no line ends in a space.
func TestDiffText(t *testing.T) {
	var b bytes.Buffer
	if err := DiffText(&b, outageDiff()); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "outage-diff.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("DiffText differs from testdata/outage-diff.txt:\n%s", b.String())
	}
	for i, line := range strings.Split(b.String(), "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("line %d ends in a space: %q", i+1, line)
		}
	}
}

// TestDiffTextSummary counts what the summary line says: major upgrades
// among upgrades only, and the footnote only when a row is marked.
func TestDiffTextSummary(t *testing.T) {
	up := func(name string, level int, flags ...diff.Flag) diff.Change {
		return diff.Change{Manager: lock.Conda, Environment: "default", Platform: "linux-64", Name: name, Kind: diff.Upgraded, Level: level,
			Flags: flags, Before: pkg(name, "1.0", "h_0"), After: pkg(name, "2.0", "h_0")}
	}
	down := func(name string) diff.Change {
		return diff.Change{Manager: lock.Conda, Environment: "default", Platform: "linux-64", Name: name, Kind: diff.Downgraded, Level: 0,
			Flags: []diff.Flag{diff.Major, diff.Downgrade}, Before: pkg(name, "2.0", "h_0"), After: pkg(name, "1.0", "h_0")}
	}
	rebuilt := diff.Change{Manager: lock.Conda, Environment: "default", Platform: "linux-64", Name: "zstd", Kind: diff.Rebuilt, Level: -1,
		Before: pkg("zstd", "1.5.7", "hb8e6e7a_2"), After: pkg("zstd", "1.5.7", "hb78ec9c_6")}
	direct := up("numpy", 0, diff.Major)
	direct.Direct = true
	tests := []struct {
		name    string
		changes []diff.Change
		want    string
	}{
		{"major downgrades are not major upgrades", []diff.Change{up("a", 0, diff.Major), up("b", 1), down("c"), down("d")},
			"2 downgrades, 2 upgraded (1 major)."},
		{"rebuilt is rebuilt", []diff.Change{rebuilt}, "1 rebuilt."},
		{"the footnote explains a star", []diff.Change{direct}, "1 upgraded (1 major). (* named directly in a spec)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := DiffText(&b, []checks.LockDiff{{Path: "conda-lock.yml", Changes: tt.changes}}); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			if got := lines[len(lines)-1]; got != tt.want {
				t.Errorf("summary %q, want %q\n%s", got, tt.want, b.String())
			}
		})
	}
}

func TestMarkdownReportLimit(t *testing.T) {
	r := report()
	for i := 0; i < 3000; i++ {
		r.Checks[1].Findings = append(r.Checks[1].Findings, r.Checks[1].Findings[0])
	}
	got := Markdown(r, 10000)
	if len(got) > 10000 || !strings.Contains(got, "more findings.") {
		t.Errorf("got %d bytes; tail %q", len(got), got[len(got)-80:])
	}
	res := CheckMarkdown(r.Checks[1], nil, 5000)
	if len(res) > 5000 || !strings.Contains(res, "more findings; each is also an annotation") {
		t.Errorf("CheckMarkdown: %d bytes", len(res))
	}
}

// TestDiffMarkdownFootnote explains only the marks the tables use.
func TestDiffMarkdownFootnote(t *testing.T) {
	added := diff.Change{Manager: lock.Conda, Environment: "default", Platform: "linux-64", Name: "tzdata", Kind: diff.Added, Level: -1, After: pkg("tzdata", "2025c", "h_0")}
	downgrade := diff.Change{Manager: lock.Conda, Environment: "default", Platform: "linux-64", Name: "glib", Kind: diff.Downgraded, Level: 2,
		Flags: []diff.Flag{diff.Downgrade}, Before: pkg("glib", "2.84.1", "h_0"), After: pkg("glib", "2.84.0", "h_0")}
	direct := added
	direct.Direct = true
	tests := []struct {
		name    string
		changes []diff.Change
		want    string // the last line
	}{
		{"no marks, no footnote", []diff.Change{added}, "</details>"},
		{"a downgrade", []diff.Change{added, downgrade}, "<sub>⚠️ marks a downgrade, or a package whose split sibling did not move with it.</sub>"},
		{"a direct dependency", []diff.Change{direct}, "<sub>**Bold** packages are named directly in a spec.</sub>"},
		{"both", []diff.Change{direct, downgrade},
			"<sub>**Bold** packages are named directly in a spec. ⚠️ marks a downgrade, or a package whose split sibling did not move with it.</sub>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DiffMarkdown([]checks.LockDiff{{Path: "conda-lock.yml", Changes: tt.changes}}, MaxComment)
			lines := strings.Split(got, "\n")
			if last := lines[len(lines)-1]; last != tt.want {
				t.Errorf("last line %q, want %q\n%s", last, tt.want, got)
			}
		})
	}
}
