package spec

import (
	"slices"
	"strings"

	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/checks/pep440"
)

// ParsePixiTOML reads a pixi manifest: [workspace] (or its older name
// [project]) for channels and platforms, [dependencies],
// [host-dependencies], [build-dependencies] and [pypi-dependencies],
// the same tables under [target.<platform>], [feature.<name>] and
// [feature.<name>.target.<platform>], and [environments]. Every
// requirement has Pixi set. The tables of a pixi-build package
// ([package]) describe how to build a package, not an environment, and
// are not read. See readPixi for how entries become requirements and
// Parse for the error contract.
func ParsePixiTOML(path string, data []byte) (*Spec, error) {
	r, root, err := readTOML(path, data, PixiTOML)
	if err != nil {
		return nil, err
	}
	r.readPixi(nil, root, map[string]bool{})
	return r.finish()
}

// condaTables and pypiTables are the dependency tables of a pixi feature
// or target. Pixi installs host and build dependencies into the
// environment too.
var (
	condaTables = []string{"dependencies", "host-dependencies", "build-dependencies"}
	pypiTables  = []string{"pypi-dependencies"}
)

// readPixi reads the pixi tables of m, found at prefix (nil for pixi.toml,
// tool.pixi for a pyproject.toml). features names the features defined
// outside the pixi tables (pyproject extras and dependency groups), so
// that environments may include them.
//
// A conda entry `name = "spec"` becomes the MatchSpec "name spec", with
// white space removed from spec (pixi's strings are conda version specs;
// "*" matches any version). A table gives version, build, channel and
// subdir; a table with path, git or url is a Local source. A PyPI entry
// `name = "spec"` is a PEP 440 specifier set ("*" for any version); a table
// gives version and extras, and path, git or url make it Local. Entries
// with a `when` condition are skipped: whether they are installed depends
// on the solve.
func (r *tomlReader) readPixi(prefix []string, m map[string]any, features map[string]bool) {
	for _, name := range []string{"workspace", "project"} {
		if ws, ok := r.table(child(prefix, name), m[name]); ok {
			r.workspace(child(prefix, name), ws)
			break
		}
	}
	r.pixiTables(prefix, m, "", "")
	r.pixiTargets(prefix, m, "")
	if all, ok := r.table(child(prefix, "feature"), m["feature"]); ok {
		for _, name := range r.keys(child(prefix, "feature"), all) {
			path := child(prefix, "feature", name)
			features[name] = true
			if f, ok := r.table(path, all[name]); ok {
				r.pixiTables(path, f, name, "")
				r.pixiTargets(path, f, name)
			}
		}
	}
	r.environments(child(prefix, "environments"), m["environments"], features)
}

// workspace reads the channels and platforms of [workspace].
func (r *tomlReader) workspace(path []string, ws map[string]any) {
	if v, ok := ws["channels"]; ok {
		r.spec.Channels = r.channels(child(path, "channels"), v)
	}
	if v, ok := ws["platforms"]; ok {
		platforms, _ := r.stringList(child(path, "platforms"), v)
		if platforms == nil {
			platforms = []string{}
		}
		r.spec.Platforms = platforms
	}
}

// channels reads a channel list: names or URLs, or tables
// { channel = "...", priority = n }.
func (r *tomlReader) channels(path []string, v any) []string {
	list, ok := v.([]any)
	if !ok {
		r.problem(path, "%s must be a list of channels", dotted(path))
		return nil
	}
	var out []string
	for i, e := range list {
		switch c := e.(type) {
		case string:
			out = append(out, c)
			continue
		case map[string]any:
			if name, ok := c["channel"].(string); ok {
				out = append(out, name)
				continue
			}
		}
		r.problem(child(path, elemKey(i)), "a channel must be a name, a URL or a table with channel = \"...\"")
	}
	return out
}

// pixiTargets reads [target.<platform>] of a feature (or of the default
// feature when feature is "").
func (r *tomlReader) pixiTargets(path []string, m map[string]any, feature string) {
	targets, ok := r.table(child(path, "target"), m["target"])
	if !ok {
		return
	}
	for _, platform := range r.keys(child(path, "target"), targets) {
		tpath := child(path, "target", platform)
		if t, ok := r.table(tpath, targets[platform]); ok {
			r.pixiTables(tpath, t, feature, platform)
		}
	}
}

// pixiTables reads the dependency tables of one feature and target.
func (r *tomlReader) pixiTables(path []string, m map[string]any, feature, platform string) {
	for _, kind := range append(slices.Clip(condaTables), pypiTables...) {
		tpath := child(path, kind)
		deps, ok := r.table(tpath, m[kind])
		if !ok {
			continue
		}
		for _, name := range r.keys(tpath, deps) {
			epath := child(tpath, name)
			var req Requirement
			var ok bool
			if kind == "pypi-dependencies" {
				req, ok = r.pixiPyPI(epath, name, deps[name])
			} else {
				req, ok = r.pixiConda(epath, name, deps[name])
			}
			if ok {
				req.Feature, req.Platform, req.Pixi = feature, platform, true
				r.add(epath, req)
			}
		}
	}
}

// sourceKeys are the keys of a pixi table that name a source location.
var sourceKeys = []string{"path", "git", "url"}

// sourceOf returns the source location of a pixi dependency table, or "".
func sourceOf(t map[string]any) string {
	for _, k := range sourceKeys {
		if s, ok := t[k].(string); ok {
			return s
		}
	}
	return ""
}

// optionalString returns t[key] as a string: "" when absent, and a problem
// when of another type.
func (r *tomlReader) optionalString(path []string, t map[string]any, key string) (string, bool) {
	v, present := t[key]
	if !present {
		return "", true
	}
	s, ok := v.(string)
	if !ok {
		r.problem(child(path, key), "%s must be a string", dotted(child(path, key)))
	}
	return s, ok
}

// pixiConda reads one conda entry of a pixi dependency table.
func (r *tomlReader) pixiConda(path []string, name string, v any) (Requirement, bool) {
	if !isCondaName(name) {
		r.problem(path, "invalid conda package name %s", quote(name))
		return Requirement{}, false
	}
	spec := name
	var channel, subdir string
	local := false
	switch val := v.(type) {
	case string:
		if version := removeSpace(val); version != "" {
			spec += " " + version
		}
	case map[string]any:
		if _, conditional := val["when"]; conditional {
			return Requirement{}, false
		}
		if sourceOf(val) != "" {
			local = true
			break
		}
		version, ok1 := r.optionalString(path, val, "version")
		build, ok2 := r.optionalString(path, val, "build")
		c, ok3 := r.optionalString(path, val, "channel")
		s, ok4 := r.optionalString(path, val, "subdir")
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return Requirement{}, false
		}
		channel, subdir = c, s
		version = removeSpace(version)
		if build != "" && version == "" {
			version = "*"
		}
		if version != "" {
			spec += " " + version
		}
		if build != "" {
			spec += " " + build
		}
	default:
		r.problem(path, "%s must be a version string or a table", dotted(path))
		return Requirement{}, false
	}
	req, msg := condaRequirement(spec)
	if msg != "" {
		r.problem(path, "%s", msg)
		return Requirement{}, false
	}
	req.Raw = ""
	req.Local = local
	if channel != "" {
		req.Conda.Channel = strings.TrimRight(channel, "/")
	}
	if subdir != "" {
		req.Conda.Subdir = subdir
	}
	return req, true
}

// isCondaName reports whether s is a conda package name: ASCII letters,
// digits, "_", "-" and ".".
func isCondaName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// pixiPyPI reads one entry of a pixi pypi-dependencies table.
func (r *tomlReader) pixiPyPI(path []string, name string, v any) (Requirement, bool) {
	if !isPyPIName(name) {
		r.problem(path, "invalid PyPI package name %s", quote(name))
		return Requirement{}, false
	}
	n := pep440.NormalizeName(name)
	req := Requirement{Manager: lock.PyPI, Name: n, PyPI: pep440.Requirement{Name: n}}
	version := ""
	switch val := v.(type) {
	case string:
		version = val
	case map[string]any:
		if location := sourceOf(val); location != "" {
			req.Local, req.PyPI.URL = true, location
		}
		var ok bool
		if version, ok = r.optionalString(path, val, "version"); !ok {
			return Requirement{}, false
		}
		if e, present := val["extras"]; present {
			extras, ok := r.stringList(child(path, "extras"), e)
			if !ok {
				return Requirement{}, false
			}
			req.PyPI.Extras = normalizeExtras(extras)
		}
	default:
		r.problem(path, "%s must be a version string or a table", dotted(path))
		return Requirement{}, false
	}
	if version = strings.TrimSpace(version); version != "" && version != "*" {
		specs, err := pep440.ParseSpecifiers(version)
		if err != nil {
			r.problem(path, "%v", err)
			return Requirement{}, false
		}
		req.PyPI.Specifiers = specs
	}
	return req, true
}

// normalizeExtras normalises, sorts and deduplicates extra names, as
// pep440.Requirement keeps them; nil when there are none.
func normalizeExtras(extras []string) []string {
	var out []string
	for _, e := range extras {
		out = append(out, pep440.NormalizeName(e))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// removeSpace removes all white space from a version spec.
func removeSpace(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// environments reads [environments]: each environment is a list of
// features, or a table with features, solve-group and no-default-feature.
// The default environment is ["default"] unless the manifest defines it.
// Including a feature that nothing defines is a problem; the feature is
// still listed.
func (r *tomlReader) environments(path []string, v any, features map[string]bool) {
	envs := map[string][]string{}
	r.spec.Environments = envs
	defer func() {
		if _, ok := envs["default"]; !ok {
			envs["default"] = []string{DefaultFeature}
		}
	}()
	t, ok := r.table(path, v)
	if !ok {
		return
	}
	for _, name := range r.keys(path, t) {
		epath := child(path, name)
		var included []string
		noDefault := false
		switch e := t[name].(type) {
		case []any:
			included, _ = r.stringList(epath, e)
		case map[string]any:
			if f, present := e["features"]; present {
				included, _ = r.stringList(child(epath, "features"), f)
			}
			if nd, present := e["no-default-feature"]; present {
				b, isBool := nd.(bool)
				if !isBool {
					r.problem(child(epath, "no-default-feature"), "no-default-feature must be true or false")
				}
				noDefault = b
			}
		default:
			r.problem(epath, "environment %s must be a list of features or a table", quote(name))
			continue
		}
		list := []string{}
		if !noDefault {
			list = append(list, DefaultFeature)
		}
		for _, f := range included {
			if f != DefaultFeature && !features[f] {
				r.problem(epath, "environment %s includes feature %s, which is not defined", quote(name), quote(f))
			}
			if !slices.Contains(list, f) {
				list = append(list, f)
			}
		}
		envs[name] = list
	}
}
