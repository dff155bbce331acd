package lock

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.want renderings from the parser's output")

// render writes a Lock as text, one line per fact, so a whole parse can be
// compared with a reviewed rendering in testdata.
func render(l *Lock) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format %s version %d\n", l.Format, l.Version)
	for _, s := range l.Sources {
		fmt.Fprintf(&b, "source %s\n", s)
	}
	for _, e := range l.Environments {
		fmt.Fprintf(&b, "environment %s\n", e.Name)
		for _, c := range e.Channels {
			fmt.Fprintf(&b, "  channel %s\n", c)
		}
		for _, p := range e.Platforms {
			fmt.Fprintf(&b, "  platform %s\n", p.Name)
			for _, q := range p.Packages {
				fmt.Fprintf(&b, "    %s %s %s build=%s line=%d\n", q.Manager, q.Name, q.Version, q.Build, q.Line)
				fmt.Fprintf(&b, "      url=%s\n", q.URL)
				if q.Hashes.MD5 != "" || q.Hashes.SHA256 != "" {
					fmt.Fprintf(&b, "      md5=%s sha256=%s\n", q.Hashes.MD5, q.Hashes.SHA256)
				}
				for _, d := range q.Depends {
					fmt.Fprintf(&b, "      depends %s %s %q marker=%q\n", d.Manager, d.Name, d.Spec, d.Marker)
				}
				for _, d := range q.Constrains {
					fmt.Fprintf(&b, "      constrains %s %s %q marker=%q\n", d.Manager, d.Name, d.Spec, d.Marker)
				}
			}
		}
	}
	return b.String()
}

// checkRendering compares render(l) with testdata/<name>.want.
func checkRendering(t *testing.T, l *Lock, name string) {
	t.Helper()
	want := filepath.Join("testdata", name+".want")
	got := render(l)
	if *update {
		if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(data) {
		t.Errorf("%s: rendering differs from %s:\n%s", name, want, lineDiff(string(data), got))
	}
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	i, j := 0, 0
	for i < len(w) || j < len(g) {
		switch {
		case i < len(w) && j < len(g) && w[i] == g[j]:
			i++
			j++
		case i < len(w):
			fmt.Fprintf(&b, "-%s\n", w[i])
			i++
		default:
			fmt.Fprintf(&b, "+%s\n", g[j])
			j++
		}
	}
	return b.String()
}
