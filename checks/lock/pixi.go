package lock

import (
	"fmt"
	"strings"
)

// pixi.lock (rattler_lock), versions 5, 6 and 7:
//
//	version: 6
//	environments:
//	  default:
//	    channels: [{url: https://conda.anaconda.org/conda-forge/}]
//	    indexes: [https://pypi.org/simple]
//	    packages:
//	      linux-64:
//	      - conda: https://.../linux-64/libsqlite-3.51.2-h0c1763c_0.conda
//	      - pypi: https://.../babel-2.18.0-py3-none-any.whl
//	packages:
//	- conda: https://.../linux-64/libsqlite-3.51.2-h0c1763c_0.conda
//	  depends: [__glibc >=2.17,<3.0.a0, libzlib >=1.3.1,<2.0a0]
//	- pypi: https://.../babel-2.18.0-py3-none-any.whl
//	  name: babel
//	  version: 2.18.0
//	  requires_dist: [pytz>=2015.7 ; python_full_version < '3.9']
//
// Environments refer to the top-level package entries by location. In v5
// entries carry "kind: conda|pypi" with the location under "url" or
// "path". From v6 the location is the value of the "conda" or "pypi" key,
// and conda name, version and build are written only when the file name
// does not give them. A location that is not a package file (a source
// package, "conda: .") has them written out, and several entries may share
// it; the environment's selector then repeats name, version, build or
// subdir (v6) or name and variants (v7) to tell them apart. v7 adds a
// top-level "platforms" list ({name, subdir, virtual-packages}) that
// environments must key their package lists by, and source packages keyed
// "conda_source: name[hash] @ location" whose version and build may be
// absent until pixi has evaluated them.
//
// A platform is named as the environment names it: the conda subdir, or
// in v7 the lock's own platform name ("linux-64", or a name such as "gpu"
// whose subdir is linux-64). depends and constrains are MatchSpecs; the
// name is split from the rest. PyPI requires_dist entries are PEP 508
// requirements.

func parsePixi(path, src string) (*Lock, error) {
	t, err := parseYAML(src)
	if err != nil {
		return nil, yamlParseError(path, err)
	}
	defer t.release()
	w := &pixiWalker{walker: walker{t: t, path: path}, converted: map[ref]*Package{}}
	const root = 0
	if t.kind(root) != mappingNode {
		return nil, w.errf(root, "pixi.lock must be a mapping with version, environments and packages")
	}
	v, ok := t.get(root, "version")
	if !ok {
		return nil, w.errf(root, "pixi.lock has no version")
	}
	version, ok := w.integer(v)
	switch {
	case !ok:
		return nil, w.errf(v, "pixi.lock version %q is not a number", t.str(v))
	case version <= 4:
		return nil, w.errf(v, "pixi.lock version %d is too old to read (supported versions: 5, 6, 7); regenerate it with a current pixi: pixi lock", version)
	case version > 7:
		return nil, w.errf(v, "pixi.lock version %d is newer than imagebot reads (supported versions: 5, 6, 7)", version)
	}
	w.version = version
	if err := w.index(); err != nil {
		return nil, err
	}
	if err := w.platforms(); err != nil {
		return nil, err
	}
	w.a = newAssembler(64)
	if envs, ok := t.get(root, "environments"); ok && !t.isNull(envs) {
		if t.kind(envs) != mappingNode {
			return nil, w.errf(envs, "environments must be a mapping")
		}
		for k, end := envs+1, t.end(envs); k < end; {
			v := t.end(k)
			if err := w.environment(k, v); err != nil {
				return nil, err
			}
			k = t.end(v)
		}
	}
	var dup error
	envs := w.a.finish(func(e *Environment, p *Platform, kept, again *Package) *Package {
		if kept != again && dup == nil {
			dup = &ParseError{Path: path, Line: again.Line, Msg: fmt.Sprintf("environment %s, platform %s: %s package %s is also the entry on line %d; regenerate the lock: pixi lock", e.Name, p.Name, again.Manager, again.Name, kept.Line)}
		}
		return kept
	})
	if dup != nil {
		return nil, dup
	}
	return &Lock{Version: version, Environments: envs}, nil
}

type pixiWalker struct {
	walker
	version   int
	a         *assembler
	conda     map[string][]ref // location → entries
	pypi      map[string]ref   // location → entry
	source    map[string]ref   // v7 "conda_source" identifier → entry
	platNames map[string]bool  // v7 top-level platforms; nil when absent
	converted map[ref]*Package // entry → its package, shared by every environment
}

// index maps the top-level package entries by location.
func (w *pixiWalker) index() error {
	t := w.t
	w.conda, w.pypi, w.source = map[string][]ref{}, map[string]ref{}, map[string]ref{}
	pkgs, ok := t.get(0, "packages")
	if !ok || t.isNull(pkgs) {
		return nil
	}
	if t.kind(pkgs) != sequenceNode {
		return w.errf(pkgs, "packages must be a list")
	}
	for e, end := pkgs+1, t.end(pkgs); e < end; e = t.end(e) {
		if t.kind(e) != mappingNode {
			return w.errf(e, "package entry must be a mapping")
		}
		kind, loc := w.entryKey(e)
		if loc == "" {
			return w.errf(e, "package entry has no location (expected conda, pypi or conda_source)")
		}
		switch kind {
		case "conda":
			w.conda[loc] = append(w.conda[loc], e)
		case "pypi":
			if first, dup := w.pypi[loc]; dup {
				return w.errf(e, "pypi package %s is also the entry on line %d", loc, t.line(first))
			}
			w.pypi[loc] = e
		case "conda_source":
			if first, dup := w.source[loc]; dup {
				return w.errf(e, "source package %s is also the entry on line %d", loc, t.line(first))
			}
			w.source[loc] = e
		default:
			return w.errf(e, "package entry of unknown kind %q", kind)
		}
	}
	return nil
}

// entryKey returns the kind of a package entry ("conda", "pypi" or
// "conda_source") and its location.
func (w *pixiWalker) entryKey(e ref) (kind, loc string) {
	t := w.t
	if w.version == 5 {
		k, _ := t.get(e, "kind")
		kind = t.str(k)
		if r, ok := t.get(e, "url"); ok {
			return kind, t.str(r)
		}
		r, _ := t.get(e, "path")
		return kind, t.str(r)
	}
	return w.locationKey(e)
}

// locationKey returns the first "conda", "pypi" or "conda_source" key of
// mapping m and its value.
func (w *pixiWalker) locationKey(m ref) (kind, loc string) {
	t := w.t
	for k, end := m+1, t.end(m); k < end; {
		v := t.end(k)
		switch key := t.str(k); key {
		case "conda", "pypi", "conda_source":
			return key, t.str(v)
		}
		k = t.end(v)
	}
	return "", ""
}

// platforms reads the v7 top-level platform list.
func (w *pixiWalker) platforms() error {
	t := w.t
	r, ok := t.get(0, "platforms")
	if !ok || w.version < 7 {
		return nil
	}
	if t.kind(r) != sequenceNode {
		return w.errf(r, "platforms must be a list")
	}
	w.platNames = map[string]bool{}
	for c, end := r+1, t.end(r); c < end; c = t.end(c) {
		n, ok := t.get(c, "name")
		if !ok || t.str(n) == "" {
			return w.errf(c, "platform has no name")
		}
		if w.platNames[t.str(n)] {
			return w.errf(n, "platform %s is defined twice", t.str(n))
		}
		w.platNames[t.str(n)] = true
	}
	return nil
}

// environment reads one environment: key k, mapping v.
func (w *pixiWalker) environment(k, v ref) error {
	t := w.t
	if t.kind(v) != mappingNode {
		return w.errf(v, "environment %s must be a mapping", t.str(k))
	}
	e := w.a.environment(t.str(k))
	if r, ok := t.get(v, "channels"); ok {
		chans, err := w.channels(r)
		if err != nil {
			return err
		}
		e.Channels = chans
	}
	pkgs, ok := t.get(v, "packages")
	if !ok || t.isNull(pkgs) {
		return nil
	}
	if t.kind(pkgs) != mappingNode {
		return w.errf(pkgs, "packages of environment %s must map platforms to lists", e.Name)
	}
	for pk, end := pkgs+1, t.end(pkgs); pk < end; {
		list := t.end(pk)
		name := t.str(pk)
		if w.platNames != nil && !w.platNames[name] {
			return w.errf(pk, "environment %s uses platform %q, which the lock's platforms list does not define", e.Name, name)
		}
		if t.kind(list) != sequenceNode && !t.isNull(list) {
			return w.errf(list, "packages of environment %s, platform %s must be a list", e.Name, name)
		}
		plat := platformOf(e, name)
		for s, send := list+1, t.end(list); s < send && t.kind(list) == sequenceNode; s = t.end(s) {
			p, err := w.selected(s, e.Name, name)
			if err != nil {
				return err
			}
			plat.Packages = append(plat.Packages, p)
		}
		pk = t.end(list)
	}
	return nil
}

// selected resolves one selector of an environment's platform list.
func (w *pixiWalker) selected(s ref, env, platform string) (*Package, error) {
	t := w.t
	if t.kind(s) != mappingNode {
		return nil, w.errf(s, "package reference must be a mapping")
	}
	entry, found := ref(-1), false
	switch kind, loc := w.locationKey(s); kind {
	case "conda":
		entry, found = w.resolveConda(s, loc)
	case "pypi":
		entry, found = w.pypi[loc]
	case "conda_source":
		entry, found = w.source[loc]
	default:
		return nil, w.errf(s, "package reference has neither conda, pypi nor conda_source")
	}
	if !found {
		return nil, w.errf(s, "environment %s, platform %s refers to a package the lock does not list; regenerate the lock: pixi lock", env, platform)
	}
	if p := w.converted[entry]; p != nil {
		return p, nil
	}
	var (
		p   *Package
		err error
	)
	if kind, _ := w.entryKey(entry); kind == "pypi" {
		p, err = w.pypiPackage(entry)
	} else {
		p, err = w.condaPackage(entry)
	}
	if err != nil {
		return nil, err
	}
	w.converted[entry] = p
	return p, nil
}

// resolveConda finds the entry a "conda:" selector s refers to: the one at
// loc whose fields match those the selector repeats.
func (w *pixiWalker) resolveConda(s ref, loc string) (ref, bool) {
	t := w.t
	for _, e := range w.conda[loc] {
		match := true
		for k, end := s+1, t.end(s); k < end && match; {
			v := t.end(k)
			switch key := t.str(k); key {
			case "name", "version", "build", "subdir":
				match = w.condaField(e, key) == t.str(v)
			case "variants":
				match = w.variantsMatch(e, v)
			}
			k = t.end(v)
		}
		if match {
			return e, true
		}
	}
	return 0, false
}

// condaField returns a conda entry's name, version, build or subdir, from
// the entry or else from its location's file name.
func (w *pixiWalker) condaField(e ref, key string) string {
	t := w.t
	if r, ok := t.get(e, key); ok {
		return t.str(r)
	}
	_, loc := w.entryKey(e)
	name, version, build, subdir, _ := ParseCondaFilename(loc)
	switch key {
	case "name":
		return name
	case "version":
		return version
	case "build":
		return build
	}
	return subdir
}

// variantsMatch reports whether entry e has every variant of mapping want.
func (w *pixiWalker) variantsMatch(e, want ref) bool {
	t := w.t
	have, ok := t.get(e, "variants")
	for k, end := want+1, t.end(want); k < end; {
		v := t.end(k)
		if !ok {
			return false
		}
		got, found := t.get(have, t.str(k))
		if !found || t.str(got) != t.str(v) {
			return false
		}
		k = t.end(v)
	}
	return true
}

// condaPackage converts a conda or conda_source entry.
func (w *pixiWalker) condaPackage(e ref) (*Package, error) {
	t := w.t
	p := w.a.newPackage()
	p.Manager, p.Line = Conda, t.line(e)
	kind, loc := w.entryKey(e)
	if kind == "conda_source" {
		id, location, _ := strings.Cut(loc, " @ ")
		if i := strings.IndexByte(id, '['); i >= 0 {
			id = id[:i]
		}
		p.Name, p.URL = strings.TrimSpace(id), strings.TrimSpace(location)
	} else {
		p.Name, p.Version, p.Build, _, _ = ParseCondaFilename(loc)
		p.URL = loc
	}
	deps, cons := ref(-1), ref(-1)
	for k, end := e+1, t.end(e); k < end; {
		v := t.end(k)
		switch t.str(k) {
		case "name":
			p.Name = t.str(v)
		case "version":
			p.Version = t.str(v)
		case "build":
			p.Build = t.str(v)
		case "sha256":
			p.Hashes.SHA256 = lowerHex(t.str(v))
		case "md5":
			p.Hashes.MD5 = lowerHex(t.str(v))
		case "depends":
			deps = v
		case "constrains":
			cons = v
		}
		k = t.end(v)
	}
	switch {
	case p.Name == "":
		return nil, w.errf(e, "conda package %q has no name, and its location is not a package file name", loc)
	case p.Version == "" && kind != "conda_source":
		return nil, w.errf(e, "conda package %s has no version, and its location is not a package file name", p.Name)
	}
	var err error
	if p.Depends, err = w.matchSpecs(deps, p.Name); err != nil {
		return nil, err
	}
	if p.Constrains, err = w.matchSpecs(cons, p.Name); err != nil {
		return nil, err
	}
	return p, nil
}

// matchSpecs reads a depends or constrains list; r < 0 means absent.
func (w *pixiWalker) matchSpecs(r ref, pkg string) ([]Dependency, error) {
	t := w.t
	if r < 0 || t.isNull(r) {
		return nil, nil
	}
	if t.kind(r) != sequenceNode {
		return nil, w.errf(r, "dependencies of %s must be a list", pkg)
	}
	out := w.a.newDeps(t.len(r))
	for c, end := r+1, t.end(r); c < end; c = t.end(c) {
		name, spec, ok := splitMatchSpec(t.str(c))
		if !ok || t.kind(c) != scalarNode {
			return nil, w.errf(c, "cannot read dependency %q of %s", t.str(c), pkg)
		}
		out = append(out, Dependency{Manager: Conda, Name: name, Spec: spec})
	}
	return out, nil
}

// pypiPackage converts a pypi entry.
func (w *pixiWalker) pypiPackage(e ref) (*Package, error) {
	t := w.t
	p := w.a.newPackage()
	p.Manager, p.Line = PyPI, t.line(e)
	_, p.URL = w.entryKey(e)
	reqs := ref(-1)
	for k, end := e+1, t.end(e); k < end; {
		v := t.end(k)
		switch t.str(k) {
		case "name":
			p.Name = normalizePyPI(t.str(v))
		case "version":
			p.Version = t.str(v)
		case "sha256":
			p.Hashes.SHA256 = lowerHex(t.str(v))
		case "md5":
			p.Hashes.MD5 = lowerHex(t.str(v))
		case "requires_dist":
			reqs = v
		}
		k = t.end(v)
	}
	switch {
	case p.Name == "":
		return nil, w.errf(e, "pypi package %s has no name", p.URL)
	case p.Version == "":
		return nil, w.errf(e, "pypi package %s has no version", p.Name)
	}
	if reqs < 0 || t.isNull(reqs) {
		return p, nil
	}
	if t.kind(reqs) != sequenceNode {
		return nil, w.errf(reqs, "requires_dist of %s must be a list", p.Name)
	}
	p.Depends = w.a.newDeps(t.len(reqs))
	for c, end := reqs+1, t.end(reqs); c < end; c = t.end(c) {
		name, spec, marker, ok := splitRequirement(t.str(c))
		if !ok || t.kind(c) != scalarNode {
			return nil, w.errf(c, "cannot read requirement %q of %s", t.str(c), p.Name)
		}
		p.Depends = append(p.Depends, Dependency{Manager: PyPI, Name: name, Spec: spec, Marker: marker})
	}
	return p, nil
}
