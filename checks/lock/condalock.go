package lock

// conda-lock.yml: "version: 1", a "metadata" mapping (channels, platforms,
// sources, content_hash) and a "package" list whose entries carry name,
// version, manager (conda or pip), platform, dependencies (name → version
// spec), url and hash {md5, sha256}. conda-lock repeats an entry once per
// category it belongs to; entries are de-duplicated on (manager, name,
// platform), keeping the first. pip entries become PyPI packages with
// PEP 503 names, and so do the names their dependencies refer to. The
// build string comes from the file name in the URL (or from "build" when
// the URL has none).
//
// conda-lock reads version 2 ("v2prelim", which lists "categories" instead
// of "category" and "optional") besides version 1, and always writes 1;
// both are read here, and the difference does not reach the model.

// condaLockVersions are the conda-lock.yml versions parseCondaLock reads.
var condaLockVersions = map[string]int{"1": 1, "2": 2}

func parseCondaLock(path, src string) (*Lock, error) {
	t, err := parseYAML(src)
	if err != nil {
		return nil, yamlParseError(path, err)
	}
	defer t.release()
	w := walker{t: t, path: path}
	const root = 0
	if t.kind(root) != mappingNode {
		return nil, w.errf(root, "conda-lock.yml must be a mapping with version, metadata and package")
	}
	v, ok := t.get(root, "version")
	if !ok {
		return nil, w.errf(root, "conda-lock.yml has no version")
	}
	version, ok := condaLockVersions[t.str(v)]
	if !ok {
		return nil, w.errf(v, "conda-lock.yml version %q is not supported (supported versions: 1, 2); regenerate it with a current conda-lock: conda-lock lock -f environment.yml", t.str(v))
	}
	l := &Lock{Version: version}
	pkgs, hasPkgs := t.get(root, "package")
	if !hasPkgs || t.kind(pkgs) != sequenceNode {
		return nil, w.errf(root, "conda-lock.yml has no package list")
	}
	a := newAssembler(t.len(pkgs))
	env := a.environment(DefaultEnvironment)
	if meta, ok := t.get(root, "metadata"); ok {
		if err := w.condaLockMetadata(meta, l, env); err != nil {
			return nil, err
		}
	}
	for item, end := pkgs+1, t.end(pkgs); item < end; item = t.end(item) {
		p, platform, err := w.condaLockPackage(a, item)
		if err != nil {
			return nil, err
		}
		plat := platformOf(env, platform)
		plat.Packages = append(plat.Packages, p)
	}
	l.Environments = a.finish(keepFirst)
	return l, nil
}

func (w *walker) condaLockMetadata(meta ref, l *Lock, env *Environment) error {
	t := w.t
	if t.kind(meta) != mappingNode {
		return w.errf(meta, "metadata must be a mapping")
	}
	if r, ok := t.get(meta, "channels"); ok {
		chans, err := w.channels(r)
		if err != nil {
			return err
		}
		env.Channels = chans
	}
	if r, ok := t.get(meta, "platforms"); ok {
		names, err := w.strings(r, "metadata.platforms")
		if err != nil {
			return err
		}
		for _, name := range names {
			platformOf(env, name)
		}
	}
	if r, ok := t.get(meta, "sources"); ok {
		sources, err := w.strings(r, "metadata.sources")
		if err != nil {
			return err
		}
		l.Sources = sources
	}
	return nil
}

// condaLockPackage reads one entry of the package list.
func (w *walker) condaLockPackage(a *assembler, item ref) (*Package, string, error) {
	t := w.t
	if t.kind(item) != mappingNode {
		return nil, "", w.errf(item, "package entry must be a mapping")
	}
	p := a.newPackage()
	p.Line = t.line(item)
	var platform, build string
	deps := ref(-1)
	for k, end := item+1, t.end(item); k < end; {
		v := t.end(k)
		switch t.str(k) {
		case "name":
			p.Name = t.str(v)
		case "version":
			p.Version = t.str(v)
		case "manager":
			switch m := t.str(v); m {
			case "conda":
				p.Manager = Conda
			case "pip":
				p.Manager = PyPI
			default:
				return nil, "", w.errf(v, "package manager %q is neither conda nor pip", m)
			}
		case "platform":
			platform = t.str(v)
		case "url":
			p.URL = t.str(v)
		case "build":
			build = t.str(v)
		case "hash":
			if t.kind(v) == mappingNode {
				p.Hashes = w.hashes(v)
			}
		case "dependencies":
			deps = v
		}
		k = t.end(v)
	}
	switch {
	case p.Name == "":
		return nil, "", w.errf(item, "package entry has no name")
	case p.Version == "":
		return nil, "", w.errf(item, "package %s has no version", p.Name)
	case p.Manager == "":
		return nil, "", w.errf(item, "package %s has no manager", p.Name)
	case platform == "":
		return nil, "", w.errf(item, "package %s has no platform", p.Name)
	}
	p.Name = normalizeName(p.Manager, p.Name)
	if p.Manager == Conda {
		if _, _, b, _, ok := ParseCondaFilename(p.URL); ok {
			build = b
		}
		p.Build = build
	}
	if deps >= 0 && !t.isNull(deps) {
		if t.kind(deps) != mappingNode {
			return nil, "", w.errf(deps, "dependencies of %s must be a mapping of name to version spec", p.Name)
		}
		p.Depends = a.newDeps(t.len(deps))
		for k, end := deps+1, t.end(deps); k < end; {
			v := t.end(k)
			name := t.str(k)
			if name == "" || t.kind(v) != scalarNode {
				return nil, "", w.errf(k, "dependency of %s must map a name to a version spec", p.Name)
			}
			p.Depends = append(p.Depends, Dependency{Manager: p.Manager, Name: normalizeName(p.Manager, name), Spec: t.str(v)})
			k = t.end(v)
		}
	}
	return p, platform, nil
}
