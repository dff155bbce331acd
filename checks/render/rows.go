package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/diff"
	"github.com/imagebot/imagebot/checks/lock"
)

// row is one line of a dependency table: a change to one package,
// merged across the platforms where it is identical.
type row struct {
	lock        string
	manager     lock.Manager
	environment string
	platforms   []string
	name        string
	url         string
	before      string
	after       string
	kind        diff.Kind
	level       int
	flags       []diff.Flag
	direct      bool
	siblings    []diff.Sibling
}

// flagged reports whether the row needs a reviewer's attention.
func (r *row) flagged() bool {
	for _, f := range r.flags {
		if f == diff.Downgrade || f == diff.Split {
			return true
		}
	}
	return false
}

func (r *row) has(f diff.Flag) bool {
	for _, g := range r.flags {
		if g == f {
			return true
		}
	}
	return false
}

// importance orders rows: downgrades and split siblings first, then major
// upgrades, direct dependencies, other changes, and rebuilds last.
func (r *row) importance() int {
	switch {
	case r.has(diff.Split):
		return 0
	case r.has(diff.Downgrade):
		return 1
	case r.has(diff.Major):
		return 2
	case r.direct:
		return 3
	case r.kind == diff.Rebuilt:
		return 5
	}
	return 4
}

// change names the kind of change as a reviewer reads it.
func (r *row) change() string {
	switch r.kind {
	case diff.Upgraded:
		switch r.level {
		case 0:
			return "major upgrade"
		case 1:
			return "minor upgrade"
		case 2:
			return "patch upgrade"
		}
		return "upgrade"
	case diff.Downgraded:
		return "downgrade"
	}
	return string(r.kind) // added, removed, rebuilt

}

// rows merges the changes of one lock diff into rows.
func rows(d checks.LockDiff) []*row {
	type key struct {
		manager         lock.Manager
		env, name       string
		before, after   string
		kind            diff.Kind
		flags, siblings string
	}
	index := map[key]*row{}
	var out []*row
	for _, c := range d.Changes {
		r := &row{lock: d.Path, manager: c.Manager, environment: c.Environment, name: c.Name,
			kind: c.Kind, level: c.Level, flags: c.Flags, direct: c.Direct, siblings: c.Siblings}
		var url string
		if c.Before != nil {
			r.before, url = c.Before.Version, c.Before.URL
		}
		if c.After != nil {
			r.after, url = c.After.Version, c.After.URL
		}
		if c.Kind == diff.Rebuilt {
			r.before = withBuild(c.Before)
			r.after = withBuild(c.After)
		}
		r.url = packageURL(string(c.Manager), c.Name, url)
		k := key{c.Manager, c.Environment, c.Name, r.before, r.after, c.Kind, fmt.Sprint(c.Flags), fmt.Sprint(c.Siblings)}
		if c.Kind == diff.Rebuilt {
			// Builds differ per platform by nature; a rebuild is one row.
			k.before, k.after = c.Before.Version, c.After.Version
		}
		if existing := index[k]; existing != nil {
			existing.platforms = append(existing.platforms, c.Platform)
			continue
		}
		r.platforms = []string{c.Platform}
		index[k] = r
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.importance() != b.importance() {
			return a.importance() < b.importance()
		}
		if a.name != b.name {
			return a.name < b.name
		}
		return a.manager < b.manager
	})
	return out
}

func withBuild(p *lock.Package) string {
	if p.Build == "" {
		return p.Version
	}
	return p.Version + " " + p.Build
}

// counts tallies rows for the summary line; majors counts the major
// upgrades.
type counts struct {
	downgrades, splits, upgrades, majors, added, removed, rebuilt int
}

func (c *counts) add(r *row) {
	switch r.kind {
	case diff.Upgraded:
		c.upgrades++
		if r.has(diff.Major) {
			c.majors++
		}
	case diff.Downgraded:
		c.downgrades++
	case diff.Added:
		c.added++
	case diff.Removed:
		c.removed++
	case diff.Rebuilt:
		c.rebuilt++
	}
	if r.has(diff.Split) {
		c.splits++
	}
}

// parts lists the counts, warnings first: "1 downgrade", "1 split sibling left behind", "12 upgraded (2 major)".
func (c counts) parts() (warnings, others []string) {
	if c.downgrades > 0 {
		warnings = append(warnings, pluralize(c.downgrades, "downgrade", "downgrades"))
	}
	if c.splits > 0 {
		warnings = append(warnings, pluralize(c.splits, "split sibling left behind", "split siblings left behind"))
	}
	if c.upgrades > 0 {
		s := fmt.Sprintf("%d upgraded", c.upgrades)
		if c.majors > 0 {
			s += fmt.Sprintf(" (%d major)", c.majors)
		}
		others = append(others, s)
	}
	if c.added > 0 {
		others = append(others, fmt.Sprintf("%d added", c.added))
	}
	if c.removed > 0 {
		others = append(others, fmt.Sprintf("%d removed", c.removed))
	}
	if c.rebuilt > 0 {
		others = append(others, fmt.Sprintf("%d rebuilt", c.rebuilt))
	}
	return warnings, others
}

func pluralize(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// platformLabel names a set of platforms for a table title.
func platformLabel(plats []string) string {
	sorted := append([]string(nil), plats...)
	sort.Strings(sorted)
	return strings.Join(sorted, ", ")
}
