package spec

import (
	"strings"

	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/checks/pep440"
)

// maxGroupExpansion bounds the work of resolving include-group entries
// (entries visited over all groups), so that groups including each other
// many times over cannot cost unbounded time and memory.
const maxGroupExpansion = 1 << 16

// ParsePyproject reads the dependencies of a pyproject.toml:
//   - [project] dependencies: PyPI requirements of the default feature;
//   - [project.optional-dependencies]: each extra is a feature of that name;
//   - [dependency-groups] (PEP 735): each group is a feature of that name,
//     {include-group = "name"} entries resolved (an included requirement
//     keeps its own Line and Raw, and takes the including group's feature);
//   - [tool.pixi]: the pixi tables, read as ParsePixiTOML reads them, with
//     Pixi set. As pixi does, a requires-python becomes a conda python
//     requirement of the default feature (Pixi set, Raw the
//     requires-python line) when [tool.pixi.dependencies] has no python.
//
// An entry naming the project itself (a self-reference such as
// "project[test]") asks for no other package and is skipped. Environments
// is set only when [tool.pixi] is present. See Parse for the error contract.
func ParsePyproject(path string, data []byte) (*Spec, error) {
	r, root, err := readTOML(path, data, Pyproject)
	if err != nil {
		return nil, err
	}
	features := map[string]bool{}
	self := ""
	project, hasProject := r.table([]string{"project"}, root["project"])
	if hasProject {
		if name, ok := project["name"].(string); ok {
			self = pep440.NormalizeName(name)
		}
		if v, ok := project["dependencies"]; ok {
			r.pep508List([]string{"project", "dependencies"}, v, "", self)
		}
		opt := []string{"project", "optional-dependencies"}
		if extras, ok := r.table(opt, project["optional-dependencies"]); ok {
			for _, extra := range r.keys(opt, extras) {
				features[extra] = true
				r.pep508List(child(opt, extra), extras[extra], extra, self)
			}
		}
	}
	if groups, ok := r.table([]string{"dependency-groups"}, root["dependency-groups"]); ok {
		r.dependencyGroups(groups, self, features)
	}
	tool, _ := root["tool"].(map[string]any)
	if pixi, ok := r.table([]string{"tool", "pixi"}, tool["pixi"]); ok {
		r.readPixi([]string{"tool", "pixi"}, pixi, features)
		if hasProject {
			r.requiresPython(project, pixi)
		}
	}
	return r.finish()
}

// pep508List reads a list of PEP 508 requirement strings at path.
func (r *tomlReader) pep508List(path []string, v any, feature, self string) {
	list, ok := v.([]any)
	if !ok {
		r.problem(path, "%s must be a list of requirement strings", dotted(path))
		return
	}
	for i, e := range list {
		epath := child(path, elemKey(i))
		if req, ok := r.pep508(epath, e, path); ok && req.Name != self {
			req.Feature = feature
			r.add(epath, req)
		}
	}
}

// pep508 reads one PEP 508 requirement string of the list at listPath.
func (r *tomlReader) pep508(path []string, v any, listPath []string) (Requirement, bool) {
	s, ok := v.(string)
	if !ok {
		r.problem(path, "each entry of %s must be a requirement string", dotted(listPath))
		return Requirement{}, false
	}
	pr, err := pep440.ParseRequirement(s)
	if err != nil {
		r.problem(path, "%v", err)
		return Requirement{}, false
	}
	return Requirement{Manager: lock.PyPI, Name: pr.Name, PyPI: pr, Raw: s, Local: pr.URL != ""}, true
}

// groupEntry is one readable entry of a dependency group: a requirement,
// or the name of a group to include.
type groupEntry struct {
	path    []string
	req     *Requirement
	include string // normalised group name
}

// dependencyGroups reads [dependency-groups] and resolves include-group
// entries. Unknown includes and cycles are problems at the include entry.
func (r *tomlReader) dependencyGroups(groups map[string]any, self string, features map[string]bool) {
	base := []string{"dependency-groups"}
	names := r.keys(base, groups)
	byName := map[string]string{} // normalised name -> key as written
	entries := map[string][]groupEntry{}
	for _, name := range names {
		path := child(base, name)
		norm := pep440.NormalizeName(name)
		if first, dup := byName[norm]; dup {
			r.problem(path, "dependency group %s has the same normalised name as %s", quote(name), quote(first))
			continue
		}
		byName[norm] = name
		list, ok := groups[name].([]any)
		if !ok {
			r.problem(path, "dependency group %s must be a list", quote(name))
			continue
		}
		for i, e := range list {
			epath := child(path, elemKey(i))
			if t, ok := e.(map[string]any); ok {
				inc, ok := t["include-group"].(string)
				if !ok || len(t) != 1 {
					r.problem(epath, "a table in a dependency group must be {include-group = \"name\"}")
					continue
				}
				entries[name] = append(entries[name], groupEntry{path: epath, include: pep440.NormalizeName(inc)})
				continue
			}
			req, ok := r.pep508(epath, e, path)
			if !ok {
				continue
			}
			entries[name] = append(entries[name], groupEntry{path: epath, req: &req})
		}
	}
	for _, name := range byName {
		features[name] = true
	}
	g := groupResolver{r: r, byName: byName, entries: entries, self: self, reported: map[*groupEntry]bool{}}
	for _, name := range names {
		if byName[pep440.NormalizeName(name)] != name {
			continue
		}
		g.state = map[string]uint8{}
		if !g.expand(name, name) {
			r.problem(base, "dependency groups include each other more than %d times", maxGroupExpansion)
			return
		}
	}
}

// groupResolver expands dependency groups into requirements.
type groupResolver struct {
	r        *tomlReader
	byName   map[string]string
	entries  map[string][]groupEntry
	self     string
	state    map[string]uint8 // per top-level group: 1 while expanding, 2 when done
	work     int
	reported map[*groupEntry]bool
}

// expand adds the requirements of group (and of the groups it includes)
// to feature. It returns false when the work bound is exceeded.
func (g *groupResolver) expand(group, feature string) bool {
	g.state[group] = 1
	for i := range g.entries[group] {
		e := &g.entries[group][i]
		if g.work++; g.work > maxGroupExpansion {
			return false
		}
		if e.req != nil {
			if e.req.Name != g.self {
				req := *e.req
				req.Feature = feature
				g.r.add(e.path, req)
			}
			continue
		}
		target, ok := g.byName[e.include]
		switch {
		case !ok:
			g.reportOnce(e, "include-group %s names no dependency group", quote(e.include))
		case g.state[target] == 1:
			g.reportOnce(e, "include-group %s makes a cycle of dependency groups", quote(e.include))
		case g.state[target] == 0:
			if !g.expand(target, feature) {
				return false
			}
		}
	}
	g.state[group] = 2
	return true
}

func (g *groupResolver) reportOnce(e *groupEntry, format string, args ...any) {
	if !g.reported[e] {
		g.reported[e] = true
		g.r.problem(e.path, format, args...)
	}
}

// requiresPython adds the conda python requirement pixi derives from
// [project] requires-python when [tool.pixi.dependencies] names no python.
// A leading "==" is dropped, since a bare conda version already means
// equality.
func (r *tomlReader) requiresPython(project, pixi map[string]any) {
	rp, ok := project["requires-python"].(string)
	if !ok {
		return
	}
	deps, _ := pixi["dependencies"].(map[string]any)
	hasPython := false
	for name := range deps {
		if strings.EqualFold(name, "python") {
			hasPython = true
		}
	}
	if hasPython {
		return
	}
	path := []string{"project", "requires-python"}
	spec := strings.TrimPrefix(removeSpace(rp), "==")
	req, msg := condaRequirement(strings.TrimSpace("python " + spec))
	if msg != "" {
		r.problem(path, "requires-python is not a conda version spec: %s", msg)
		return
	}
	req.Raw, req.Pixi = "", true
	r.add(path, req)
}
