package diff

import (
	"sort"

	"github.com/imagebot/imagebot/checks/lock"
)

// memberKey identifies a package within one platform.
type memberKey struct {
	manager lock.Manager
	name    string
}

// groups is a union-find over the packages of one platform.
type groups struct {
	parent map[memberKey]memberKey
}

func (g *groups) find(k memberKey) memberKey {
	for {
		p, ok := g.parent[k]
		if !ok || p == k {
			return k
		}
		// Path halving keeps the trees flat.
		if gp, ok := g.parent[p]; ok {
			g.parent[k] = gp
		}
		k = p
	}
}

func (g *groups) union(a, b memberKey) {
	ra, rb := g.find(a), g.find(b)
	if ra != rb {
		g.parent[ra] = rb
	}
	if _, ok := g.parent[a]; !ok {
		g.parent[a] = a
	}
	if _, ok := g.parent[b]; !ok {
		g.parent[b] = b
	}
}

func (g *groups) members(k memberKey) []memberKey {
	if _, ok := g.parent[k]; !ok {
		return nil
	}
	root := g.find(k)
	var out []memberKey
	for m := range g.parent {
		if m != k && g.find(m) == root {
			out = append(out, m)
		}
	}
	return out
}

// flagSplits marks the version changes of one platform whose split
// siblings did not move along: a sibling that had the same version before
// and has another version after.
func flagSplits(changes []Change, o *options, before, after *lock.Platform) {
	moved := false
	for i := range changes {
		if changes[i].Kind == Upgraded || changes[i].Kind == Downgraded {
			moved = true
			break
		}
	}
	if !moved || before == nil || after == nil {
		return
	}
	g := groups{parent: map[memberKey]memberKey{}}
	for _, names := range append(DefaultGroups, o.groups...) {
		for _, m := range []lock.Manager{lock.Conda, lock.PyPI} {
			for _, n := range names[1:] {
				g.union(memberKey{m, names[0]}, memberKey{m, n})
			}
		}
	}
	for _, p := range []*lock.Platform{before, after} {
		for _, pkg := range p.Packages {
			for _, d := range pkg.Depends {
				if v, ok := o.cache.Exact(d.Manager, d.Spec); ok && sameVersion(o, pkg.Manager, v, pkg.Version) {
					g.union(memberKey{pkg.Manager, pkg.Name}, memberKey{d.Manager, d.Name})
				}
			}
		}
	}
	for i := range changes {
		c := &changes[i]
		if c.Kind != Upgraded && c.Kind != Downgraded {
			continue
		}
		for _, m := range g.members(memberKey{c.Manager, c.Name}) {
			sb, sa := before.Package(m.manager, m.name), after.Package(m.manager, m.name)
			if sb == nil || sa == nil {
				continue
			}
			if sameVersion(o, c.Manager, sb.Version, c.Before.Version) && !sameVersion(o, c.Manager, sa.Version, c.After.Version) {
				c.Siblings = append(c.Siblings, Sibling{Name: sa.Name, Version: sa.Version})
			}
		}
		if len(c.Siblings) > 0 {
			sort.Slice(c.Siblings, func(a, b int) bool { return c.Siblings[a].Name < c.Siblings[b].Name })
			c.Flags = append(c.Flags, Split)
		}
	}
}

func sameVersion(o *options, m lock.Manager, a, b string) bool {
	if cmp, ok := o.cache.Compare(m, a, b); ok {
		return cmp == 0
	}
	return a == b
}
