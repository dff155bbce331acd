package lock

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// uv.lock (TOML, version 1):
//
//	version = 1
//	requires-python = ">=3.12"
//
//	[[package]]
//	name = "requests"
//	version = "2.32.3"
//	source = { registry = "https://pypi.org/simple" }
//	dependencies = [{ name = "idna" }, { name = "pysocks", marker = "sys_platform == 'win32'" }]
//	sdist = { url = "...", hash = "sha256:..." }
//	wheels = [{ url = "...", hash = "sha256:..." }]
//
//	[package.optional-dependencies]
//	socks = [{ name = "pysocks" }]
//
//	[package.metadata]
//	requires-dist = [{ name = "idna", specifier = ">=2.5,<4" }]
//
// A uv.lock is universal: it has one environment (DefaultEnvironment) with
// one platform (AnyPlatform). A package's Depends are its dependencies, then
// its optional dependencies (marker "extra == '<extra>'" added), then its
// development dependencies (marker "'<group>' in dependency_groups", as
// PEP 751 writes groups), each with the specifier declared for that name in
// [package.metadata] (requires-dist, or requires-dev for a group) when the
// declaration is unambiguous, and an empty Spec otherwise. Extras requested
// of a dependency ("requests[socks]") do not change its name.
//
// A forked resolution can lock one name at several versions (numpy 1.26.4
// for Python < 3.10 and 2.1.0 otherwise); the model keeps one package per
// name, the one with the highest PEP 440 version. The package's Line is
// the line of its [[package]] header; its URL is the sdist's, else the
// first wheel's, else the source (url, git, path, directory, editable or
// virtual); its SHA256 is that of the same sdist or wheel. The channels of
// the environment are the registries packages come from.

type uvLock struct {
	Version  int         `toml:"version"`
	Packages []uvPackage `toml:"package"`
}

type uvPackage struct {
	Name                 string                    `toml:"name"`
	Version              string                    `toml:"version"`
	Source               uvSource                  `toml:"source"`
	Dependencies         []uvDependency            `toml:"dependencies"`
	OptionalDependencies map[string][]uvDependency `toml:"optional-dependencies"`
	DevDependencies      map[string][]uvDependency `toml:"dev-dependencies"`
	Sdist                *uvArtifact               `toml:"sdist"`
	Wheels               []uvArtifact              `toml:"wheels"`
	Metadata             struct {
		RequiresDist []uvRequirement            `toml:"requires-dist"`
		RequiresDev  map[string][]uvRequirement `toml:"requires-dev"`
	} `toml:"metadata"`
}

type uvSource struct {
	Registry  string `toml:"registry"`
	URL       string `toml:"url"`
	Git       string `toml:"git"`
	Path      string `toml:"path"`
	Directory string `toml:"directory"`
	Editable  string `toml:"editable"`
	Virtual   string `toml:"virtual"`
}

type uvDependency struct {
	Name   string `toml:"name"`
	Marker string `toml:"marker"`
}

type uvRequirement struct {
	Name      string `toml:"name"`
	Specifier string `toml:"specifier"`
	Marker    string `toml:"marker"`
}

type uvArtifact struct {
	URL  string `toml:"url"`
	Path string `toml:"path"`
	Hash string `toml:"hash"`
}

const (
	// uvMaxNesting bounds how deeply arrays and inline tables may nest: the
	// TOML decoder recurses once per level (a few million levels overflow
	// the stack), and uv.lock needs three.
	uvMaxNesting = 64
	// uvMaxSize bounds the uv.lock files read: the TOML decoder allocates 50
	// to 100 times the size of a dense document.
	uvMaxSize = 8 << 20
	// uvMaxElements bounds the tables, arrays and keys (counted as the
	// "{", "[" and "=" in the text) of the uv.lock files read, for the same
	// reason: 8 MiB of "dependencies = [{},{},…]" cost the decoder 800 MB,
	// about 300 bytes an element, so this bound keeps it near 75 MB. The
	// uv.lock fixture holds 27 a package; one with many wheels a few hundred.
	uvMaxElements = 1 << 18
)

// uvTooLarge is the error for a uv.lock of n bytes, more than uvMaxSize.
func uvTooLarge(path string, n int) error {
	return &ParseError{Path: path, Msg: fmt.Sprintf("uv.lock is %d bytes; uv.lock files larger than %d MiB are not read", n, uvMaxSize>>20)}
}

func parseUV(path, src string) (*Lock, error) {
	if len(src) > uvMaxSize {
		return nil, uvTooLarge(path, len(src))
	}
	if n := strings.Count(src, "{") + strings.Count(src, "[") + strings.Count(src, "="); n > uvMaxElements {
		return nil, &ParseError{Path: path, Msg: fmt.Sprintf("uv.lock has %d tables, arrays and keys, more than the %d imagebot reads", n, uvMaxElements)}
	}
	if line, ok := tomlNestingWithin(src, uvMaxNesting); !ok {
		return nil, &ParseError{Path: path, Line: line, Msg: fmt.Sprintf("arrays and tables nest deeper than %d levels", uvMaxNesting)}
	}
	var f uvLock
	md, err := toml.Decode(src, &f)
	if err != nil {
		return nil, tomlParseError(path, err)
	}
	versionLine, headers := uvLines(src)
	if !md.IsDefined("version") {
		return nil, &ParseError{Path: path, Msg: "uv.lock has no version"}
	}
	if f.Version != 1 {
		return nil, &ParseError{Path: path, Line: versionLine, Msg: fmt.Sprintf("uv.lock version %d is not supported (supported version: 1); regenerate it with a current uv: uv lock", f.Version)}
	}
	if len(headers) != len(f.Packages) {
		headers = nil
	}
	a := newAssembler(len(f.Packages))
	env := a.environment(DefaultEnvironment)
	plat := platformOf(env, AnyPlatform)
	for i := range f.Packages {
		up := &f.Packages[i]
		p := a.newPackage()
		if headers != nil {
			p.Line = headers[i]
		}
		if up.Name == "" {
			return nil, &ParseError{Path: path, Line: p.Line, Msg: "package has no name"}
		}
		p.Manager, p.Name, p.Version = PyPI, normalizePyPI(up.Name), up.Version
		p.URL, p.Hashes.SHA256 = up.artifact()
		p.Depends = up.depends(a)
		if r := up.Source.Registry; r != "" && !slices.Contains(env.Channels, r) {
			env.Channels = append(env.Channels, r)
		}
		plat.Packages = append(plat.Packages, p)
	}
	return &Lock{Version: f.Version, Environments: a.finish(keepHighestPyPI)}, nil
}

// artifact returns the URL and sha256 the package is identified by.
func (up *uvPackage) artifact() (url, sha256 string) {
	hash := func(h string) string {
		if v, ok := strings.CutPrefix(h, "sha256:"); ok {
			return lowerHex(v)
		}
		return ""
	}
	if s := up.Sdist; s != nil && s.URL+s.Path != "" {
		return s.URL + s.Path, hash(s.Hash)
	}
	if len(up.Wheels) > 0 {
		w := up.Wheels[0]
		return w.URL + w.Path, hash(w.Hash)
	}
	s := up.Source
	for _, u := range []string{s.URL, s.Git, s.Path, s.Directory, s.Editable, s.Virtual} {
		if u != "" {
			return u, ""
		}
	}
	return "", ""
}

// depends lists the package's dependencies with their declared specifiers.
func (up *uvPackage) depends(a *assembler) []Dependency {
	n := len(up.Dependencies)
	for _, deps := range up.OptionalDependencies {
		n += len(deps)
	}
	for _, deps := range up.DevDependencies {
		n += len(deps)
	}
	out := a.newDeps(n)
	for _, d := range up.Dependencies {
		out = append(out, Dependency{Manager: PyPI, Name: normalizePyPI(d.Name), Spec: declared(up.Metadata.RequiresDist, d.Name, d.Marker), Marker: d.Marker})
	}
	for _, extra := range sortedKeys(up.OptionalDependencies) {
		for _, d := range up.OptionalDependencies[extra] {
			out = append(out, Dependency{Manager: PyPI, Name: normalizePyPI(d.Name), Spec: declared(up.Metadata.RequiresDist, d.Name, d.Marker), Marker: andMarker(d.Marker, "extra == '"+extra+"'")})
		}
	}
	for _, group := range sortedKeys(up.DevDependencies) {
		for _, d := range up.DevDependencies[group] {
			out = append(out, Dependency{Manager: PyPI, Name: normalizePyPI(d.Name), Spec: declared(up.Metadata.RequiresDev[group], d.Name, d.Marker), Marker: andMarker(d.Marker, "'"+group+"' in dependency_groups")})
		}
	}
	return out
}

// declared returns the specifier that reqs declare for name: the only one
// when all of name's declarations agree, else the one declared under the
// same marker, else "".
func declared(reqs []uvRequirement, name, marker string) string {
	name = normalizePyPI(name)
	spec, found, agree := "", false, true
	for _, r := range reqs {
		if normalizePyPI(r.Name) != name {
			continue
		}
		if found && r.Specifier != spec {
			agree = false
		}
		spec, found = r.Specifier, true
	}
	if agree {
		return spec
	}
	for _, r := range reqs {
		if normalizePyPI(r.Name) == name && r.Marker == marker {
			return r.Specifier
		}
	}
	return ""
}

// andMarker joins two PEP 508 markers with "and".
func andMarker(m, also string) string {
	switch {
	case m == "":
		return also
	case strings.Contains(m, " or "):
		return "(" + m + ") and " + also
	}
	return m + " and " + also
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// uvLines finds the line of the top-level version key and of every
// [[package]] header, skipping multi-line strings.
func uvLines(src string) (version int, packages []int) {
	inString := ""
	table := false
	lineNo := 0
	for rest := src; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		lineNo++
		if inString != "" {
			if strings.Count(line, inString)%2 == 1 {
				inString = ""
			}
			continue
		}
		for _, q := range []string{`"""`, `'''`} {
			if strings.Count(line, q)%2 == 1 {
				inString = q
			}
		}
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "["):
			table = true
			if header, _, _ := strings.Cut(trimmed, "#"); strings.ReplaceAll(strings.TrimSpace(header), " ", "") == "[[package]]" {
				packages = append(packages, lineNo)
			}
		case !table && version == 0 && strings.HasPrefix(trimmed, "version"):
			if rest := strings.TrimLeft(trimmed[len("version"):], " "); strings.HasPrefix(rest, "=") {
				version = lineNo
			}
		}
	}
	return version, packages
}

// tomlNestingWithin reports whether arrays and inline tables in src nest at
// most limit levels deep, and if not, the line where they go deeper. It
// skips strings and comments.
func tomlNestingWithin(src string, limit int) (line int, ok bool) {
	depth, lineNo := 0, 1
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '\n':
			lineNo++
		case '#':
			for i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
		case '"', '\'':
			q := string(c)
			if strings.HasPrefix(src[i:], strings.Repeat(q, 3)) {
				q = strings.Repeat(q, 3)
			}
			i += len(q)
			for i < len(src) && !strings.HasPrefix(src[i:], q) {
				if src[i] == '\\' && c == '"' && i+1 < len(src) {
					i++
				}
				if src[i] == '\n' {
					lineNo++
				}
				i++
			}
			i += len(q) - 1
		case '[', '{':
			if depth++; depth > limit {
				return lineNo, false
			}
		case ']', '}':
			depth = max(depth-1, 0)
		}
	}
	return 0, true
}

// tomlParseError turns a TOML decoding error into a ParseError.
func tomlParseError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return &ParseError{Path: path, Line: pe.Position.Line, Msg: "invalid TOML: " + pe.Message}
	}
	msg, line := strings.TrimPrefix(err.Error(), "toml: "), 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		digits := strings.TrimLeft(rest, "0123456789")
		if n, convErr := strconv.Atoi(rest[:len(rest)-len(digits)]); convErr == nil {
			line, msg = n, strings.TrimLeft(digits, " :")
		}
	}
	return &ParseError{Path: path, Line: line, Msg: "invalid TOML: " + msg}
}
