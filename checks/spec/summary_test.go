package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks/lock"
)

// req is the part of a Requirement the tables assert. Constraint is the
// conda MatchSpec's canonical form for conda requirements, and the PEP 440
// specifier set (with extras, URL and marker when present) for PyPI ones.
type req struct {
	Line       int
	Manager    lock.Manager
	Name       string
	Raw        string
	Constraint string
	Selector   string
	Feature    string
	Platform   string
	Local      bool
	Pixi       bool
}

func summarize(reqs []Requirement) []req {
	out := make([]req, 0, len(reqs))
	for _, r := range reqs {
		c := r.Conda.String()
		if r.Manager == lock.PyPI {
			var parts []string
			if len(r.PyPI.Extras) > 0 {
				parts = append(parts, "["+strings.Join(r.PyPI.Extras, ",")+"]")
			}
			if s := r.PyPI.Specifiers.String(); s != "" {
				parts = append(parts, s)
			}
			if r.PyPI.URL != "" {
				parts = append(parts, "@ "+r.PyPI.URL)
			}
			if !r.PyPI.Marker.IsZero() {
				parts = append(parts, "; "+r.PyPI.Marker.String())
			}
			c = strings.Join(parts, " ")
		}
		out = append(out, req{r.Line, r.Manager, r.Name, r.Raw, c, r.Selector, r.Feature, r.Platform, r.Local, r.Pixi})
	}
	return out
}

// diffReqs reports every row that differs between got and want.
func diffReqs(t *testing.T, got []Requirement, want []req) {
	t.Helper()
	g := summarize(got)
	for i := 0; i < max(len(g), len(want)); i++ {
		switch {
		case i >= len(g):
			t.Errorf("requirement %d missing: want %+v", i, want[i])
		case i >= len(want):
			t.Errorf("requirement %d unexpected: %+v", i, g[i])
		case g[i] != want[i]:
			t.Errorf("requirement %d:\n got %+v\nwant %+v", i, g[i], want[i])
		}
	}
}

// readFixture reads a file under testdata.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// problemLines formats problems as "line: message" for comparison.
func problemLines(err error) []string {
	ps, ok := err.(Problems)
	if !ok {
		return []string{fmt.Sprintf("not Problems: %v", err)}
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = fmt.Sprintf("%d: %s", p.Line, p.Msg)
	}
	return out
}
