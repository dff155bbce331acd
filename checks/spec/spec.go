package spec

import (
	"path"
	"strings"
	"unicode/utf8"

	"github.com/imagebot/imagebot/checks/conda"
	"github.com/imagebot/imagebot/checks/internal/textfile"
	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/checks/pep440"
)

// Kind names a spec file format.
type Kind string

// The spec file formats.
const (
	EnvironmentYML Kind = "environment.yml" // conda environment file (environment.yml / environment.yaml)
	Requirements   Kind = "requirements"    // pip requirements (requirements.in, or a requirements*.txt that is not a lock)
	Pyproject      Kind = "pyproject"       // pyproject.toml ([project], [dependency-groups], [tool.pixi])
	PixiTOML       Kind = "pixi.toml"
)

// MaxSize is the largest spec file read, in bytes; a larger file is an
// error before parsing.
const MaxSize = 8 << 20

// DefaultFeature is the name under which Spec.Environments lists pixi's
// default feature. Requirements of the default feature have Feature "".
const DefaultFeature = "default"

// Spec is one parsed spec file.
type Spec struct {
	Path     string // as given to the parser
	Kind     Kind
	Channels []string // in priority order, as written; nil when none are declared
	// Platforms lists the platforms the spec declares: conda-lock's
	// nonstandard `platforms:` key of an environment file, or the pixi
	// workspace platforms. nil when not declared.
	Platforms    []string
	Requirements []Requirement // in file order (by line, then position in the file)
	// Environments maps each pixi environment to the features it includes,
	// DefaultFeature first unless the environment sets no-default-feature.
	// A pixi manifest always has a "default" environment. nil for specs
	// that are not pixi manifests.
	Environments map[string][]string
	// Includes lists the other requirement files the spec names, as
	// written: -r and -c lines of a requirements file, and -r / -c entries
	// of an environment file's pip list.
	Includes []string
}

// Requirement is one dependency a spec asks for.
type Requirement struct {
	Manager lock.Manager
	// Name is the package name: conda names lower-cased, PyPI names
	// normalised as in PEP 503. It is "" only for a Local PyPI source whose
	// location does not reveal the package name (a path, or a URL without
	// #egg= or a wheel or sdist file name).
	Name  string
	Conda conda.MatchSpec    // the constraint of a conda requirement
	PyPI  pep440.Requirement // the constraint of a PyPI requirement
	// Raw is the requirement as written, for messages: a list entry, a
	// requirements line without its comment and per-requirement options,
	// or a pixi `name = spec` entry.
	Raw  string
	Line int // 1-based line where the requirement starts
	// Selector is the conda-lock platform selector of an environment file
	// entry, the text inside the brackets of a trailing comment such as
	// "# [linux]"; "" when none. See AppliesTo.
	Selector string
	// Feature is the pixi feature the requirement belongs to: "" for the
	// default feature (and for every requirement of a non-pixi spec), the
	// extra's name for [project.optional-dependencies], and the group's
	// name for [dependency-groups].
	Feature string
	// Platform is the pixi [target.<platform>] key that restricts the
	// requirement ("linux-64", or a selector "linux", "osx", "win",
	// "unix"); "" when unrestricted.
	Platform string
	// Local is set for a path, URL, git or editable source: only the
	// presence of the package can be checked, not its version.
	Local bool
	// Pixi is set for requirements that only pixi reads: every requirement
	// of a pixi.toml, those of the [tool.pixi] tables of a pyproject.toml,
	// and the python that pixi derives from requires-python. The standard
	// pyproject tables ([project], [dependency-groups]) are read by every
	// tool, pixi included, and have Pixi false.
	Pixi bool
}

// HasDependencies reports whether the spec asks for any package at all:
// it has a requirement or names another requirements file. A
// pyproject.toml with only tool settings does not.
func (s *Spec) HasDependencies() bool {
	return len(s.Requirements) > 0 || len(s.Includes) > 0
}

// Parse picks the parser from the file's base name (case-insensitive):
// environment.yml or environment.yaml; pyproject.toml; pixi.toml; a name
// containing "requirements" that ends in .txt or .in. Parse does not tell a
// pip-compile lock from a hand-written requirements file: callers that
// found a lock should read it with the lock package instead.
//
// Every parser keeps one contract:
//   - (spec, nil): the file was read completely.
//   - (spec, Problems): some entries could not be read (an unparsable
//     requirement, a section of the wrong type); spec holds everything
//     else, and each problem carries its line.
//   - (nil, *ParseError): the file cannot be read at all: larger than
//     MaxSize, binary or not UTF-8, a YAML or TOML syntax error, a
//     document that is not a mapping, nesting or item counts beyond the
//     parser's limits, or (from Parse) a file name that is no spec.
func Parse(p string, data []byte) (*Spec, error) {
	base := strings.ToLower(path.Base(p))
	switch {
	case base == "environment.yml" || base == "environment.yaml":
		return ParseEnvironmentYML(p, data)
	case base == "pyproject.toml":
		return ParsePyproject(p, data)
	case base == "pixi.toml":
		return ParsePixiTOML(p, data)
	case strings.Contains(base, "requirements") && (strings.HasSuffix(base, ".txt") || strings.HasSuffix(base, ".in")):
		return ParseRequirements(p, data)
	}
	return nil, fatal(p, 0, "not a spec file imagebot reads (environment.yml, requirements*.txt, requirements*.in, pyproject.toml, pixi.toml)")
}

// text checks what every parser requires of its input (at most MaxSize
// bytes of UTF-8 text without NUL bytes) and returns it without a leading
// byte order mark.
func text(p string, data []byte) (string, error) {
	if len(data) > MaxSize {
		return "", fatal(p, 0, "file is %d bytes, more than the %d bytes a spec file may have", len(data), MaxSize)
	}
	src := textfile.Normalize(data)
	if i := strings.IndexByte(src, 0); i >= 0 {
		return "", fatal(p, lineAt(src, i), "binary data (a NUL byte), not a text file")
	}
	if !utf8.ValidString(src) {
		for i := 0; i < len(src); {
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && size == 1 {
				return "", fatal(p, lineAt(src, i), "not valid UTF-8 text")
			}
			i += size
		}
	}
	return src, nil
}

// lineAt returns the 1-based line holding byte offset i.
func lineAt(src string, i int) int {
	return strings.Count(src[:i], "\n") + 1
}
