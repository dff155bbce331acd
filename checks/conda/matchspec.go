package conda

import "strings"

// MatchSpec is a parsed conda MatchSpec.
type MatchSpec struct {
	Channel string // "conda-forge", a URL, or "" when not given
	Subdir  string // "linux-64" when given in the channel part or brackets, else ""
	Name    string // package name, as written (lower-cased)
	Version Spec   // matches everything when not given
	Build   string // build-string glob ("*_cp312", "h0c1763c_0"); "" matches every build

	// buildNumber is the bracket key build_number ("3", ">=2"), kept so that
	// String reproduces it. Match cannot check it: callers do not pass one.
	buildNumber string
}

// Match reports whether a package with this name, version and build string
// satisfies the MatchSpec: the name equals Name ignoring case, the version
// satisfies Version, and the build matches the Build glob. Channel, Subdir and
// a build_number are not checked.
func (m MatchSpec) Match(name string, version Version, build string) bool {
	return strings.EqualFold(m.Name, name) && m.Version.Match(version) && MatchBuild(m.Build, build)
}

// String returns the MatchSpec in canonical form, which parses back to an
// equal MatchSpec: "channel/subdir::name version build" when that form is
// unambiguous ("libsqlite 3.51.2 h0c1763c_0", "python * *_cpython"), and
// otherwise "channel::name[version='…', build='…', build_number='…']", with
// the subdir in the brackets when there is no channel to attach it to.
func (m MatchSpec) String() string {
	var b strings.Builder
	if m.Channel != "" {
		b.WriteString(m.Channel)
		if m.Subdir != "" {
			b.WriteByte('/')
			b.WriteString(m.Subdir)
		}
		b.WriteString("::")
	}
	b.WriteString(m.Name)
	version := ""
	if len(m.Version.nodes) > 0 {
		version = m.Version.String()
	}
	if m.positional(version) {
		if m.Build != "" && version == "" {
			version = "*"
		}
		for _, part := range [...]string{version, m.Build} {
			if part != "" {
				b.WriteByte(' ')
				b.WriteString(part)
			}
		}
		return b.String()
	}
	b.WriteByte('[')
	sep := ""
	for _, kv := range [...][2]string{
		{"version", version},
		{"build", m.Build},
		{"build_number", m.buildNumber},
		{"subdir", m.Subdir},
	} {
		if kv[1] == "" || (kv[0] == "subdir" && m.Channel != "") {
			continue
		}
		b.WriteString(sep)
		b.WriteString(kv[0])
		b.WriteString("='")
		b.WriteString(kv[1])
		b.WriteByte('\'')
		sep = ", "
	}
	b.WriteByte(']')
	return b.String()
}

// positional reports whether "name version build" parses back to m's version
// and build, given m's canonical version text ("" for any version).
func (m MatchSpec) positional(version string) bool {
	if m.buildNumber != "" || (m.Subdir != "" && m.Channel == "") {
		return false
	}
	if m.Build == "" {
		if strings.HasPrefix(version, "==") {
			return false // "==1.2.*" would lose its "==" and become a prefix
		}
		_, build := splitVersionBuild(version)
		return build == ""
	}
	if version == "" {
		version = "*"
	}
	if version[0] == '=' && !strings.HasPrefix(version, "==") {
		return false // with a build, "=1.2" would pin 1.2 exactly
	}
	v, build := splitVersionBuild(version + " " + m.Build)
	return v == version && build == m.Build
}
