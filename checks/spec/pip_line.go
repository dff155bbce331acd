package spec

import (
	"net/url"
	"strings"

	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/checks/pep440"
)

// pipLine is what one logical line of a pip requirements file asks for.
// At most one of include and req is set; neither is set for a blank line
// or a line of global options. err is a message for an unreadable line.
type pipLine struct {
	include string
	req     *Requirement
	err     string
}

// pipOptionsWithValue are the global options of a requirements file that
// take a value, as pip's requirements-file parser defines them; the value
// follows as the next token, after "=" in the long form, or directly after
// the short form ("-rbase.txt").
var pipOptionsWithValue = map[string]bool{
	"-r": true, "--requirement": true,
	"-c": true, "--constraint": true,
	"-e": true, "--editable": true,
	"-i": true, "--index-url": true, "--extra-index-url": true,
	"-f": true, "--find-links": true,
	"--no-binary": true, "--only-binary": true,
	"--trusted-host": true, "--use-feature": true,
}

// pipFlags are the global options of a requirements file without a value.
var pipFlags = map[string]bool{
	"--no-index": true, "--prefer-binary": true, "--require-hashes": true, "--pre": true,
}

// parsePipLine reads one logical requirements line: comments are removed
// and continuations joined already. Like pip, it splits the line at the
// first space-separated token that starts with "-": what comes before is a
// requirement, the rest are options (per-requirement options such as
// --hash are ignored). Environment variables (${VAR}) are left as written.
func parsePipLine(line string) pipLine {
	line = strings.TrimSpace(line)
	if line == "" {
		return pipLine{}
	}
	args, opts := splitPipOptions(line)
	if args != "" {
		req, err := pipRequirement(args)
		if err != "" {
			return pipLine{err: err}
		}
		return pipLine{req: req}
	}
	return pipOptions(opts)
}

// splitPipOptions splits a line into its requirement part and its options
// part, as pip's break_args_options does.
func splitPipOptions(line string) (args, opts string) {
	tokens := strings.Split(line, " ")
	for i, t := range tokens {
		if strings.HasPrefix(t, "-") {
			return strings.TrimSpace(strings.Join(tokens[:i], " ")), strings.Join(tokens[i:], " ")
		}
	}
	return line, ""
}

// pipOptions reads a line of global options. It reports the first include
// or editable requirement it finds; other known options are ignored, and
// an unknown option is an error, as it is for pip.
func pipOptions(opts string) pipLine {
	fields, ok := shellFields(opts)
	if !ok {
		return pipLine{err: "unclosed quote in pip options " + quote(opts)}
	}
	for i := 0; i < len(fields); i++ {
		name, value, hasValue := fields[i], "", false
		if n, v, ok := strings.Cut(name, "="); ok && strings.HasPrefix(name, "--") {
			name, value, hasValue = n, v, true
		} else if len(name) > 2 && name[1] != '-' {
			name, value, hasValue = name[:2], name[2:], true
		}
		switch {
		case pipFlags[name] && !hasValue:
			continue
		case !pipOptionsWithValue[name]:
			return pipLine{err: "unknown pip option " + quote(fields[i])}
		}
		if !hasValue {
			if i+1 == len(fields) {
				return pipLine{err: "pip option " + name + " needs a value"}
			}
			i++
			value = fields[i]
		}
		switch name {
		case "-r", "--requirement", "-c", "--constraint":
			return pipLine{include: value}
		case "-e", "--editable":
			return pipLine{req: editableRequirement(opts, value)}
		}
	}
	return pipLine{}
}

// shellFields splits options into words as pip does (with Python's
// shlex): white space separates words, '...' quotes literally, "..."
// quotes with backslash escapes of '"' and '\\', and a backslash outside
// quotes escapes the next byte. It reports false for an unclosed quote.
func shellFields(s string) ([]string, bool) {
	var fields []string
	var b strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' || c == '\t':
			if inWord {
				fields = append(fields, b.String())
				b.Reset()
				inWord = false
			}
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, false
			}
			b.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					i++
				}
				b.WriteByte(s[i])
			}
			if i == len(s) {
				return nil, false
			}
			inWord = true
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
			inWord = true
		default:
			b.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		fields = append(fields, b.String())
	}
	return fields, true
}

// editableRequirement is the Local requirement of "-e <location>".
func editableRequirement(raw, location string) *Requirement {
	name := localName(location)
	return &Requirement{
		Manager: lock.PyPI, Name: name, Raw: strings.TrimSpace(raw), Local: true,
		PyPI: pep440.Requirement{Name: name, URL: location},
	}
}

// pipRequirement reads the requirement part of a line: a PEP 508
// requirement, or a bare URL or path, which is Local.
func pipRequirement(text string) (*Requirement, string) {
	if location, ok := bareLocation(text); ok {
		name := localName(location)
		return &Requirement{
			Manager: lock.PyPI, Name: name, Raw: text, Local: true,
			PyPI: pep440.Requirement{Name: name, URL: location},
		}, ""
	}
	r, err := pep440.ParseRequirement(text)
	if err != nil {
		return nil, err.Error()
	}
	return &Requirement{Manager: lock.PyPI, Name: r.Name, Raw: text, PyPI: r, Local: r.URL != ""}, ""
}

// bareLocation reports whether a requirement is a URL or a path rather
// than a PEP 508 requirement, as pip decides without looking at the disk:
// a URL with a scheme (its marker must follow "; "), or text whose part
// before any ";" contains a path separator, starts with ".", or names a
// distribution archive, unless it is "name @ url". It returns the location
// without a marker.
func bareLocation(text string) (string, bool) {
	location := text
	if i := strings.Index(location, "; "); i >= 0 {
		location = location[:i]
	} else if i := strings.Index(location, " ;"); i >= 0 {
		location = location[:i]
	}
	if location = strings.TrimSpace(location); hasURLScheme(location) {
		return location, true
	}
	location, _, _ = strings.Cut(location, ";")
	location = strings.TrimSpace(location)
	if before, _, ok := strings.Cut(location, "@"); ok && !looksLikePath(before) {
		return "", false // "name @ url"
	}
	if looksLikePath(location) || isArchive(location) {
		return location, true
	}
	return "", false
}

// looksLikePath reports whether pip would take s for a path.
func looksLikePath(s string) bool {
	return strings.ContainsAny(s, `/\`) || strings.HasPrefix(s, ".")
}

// hasURLScheme reports whether s starts with "scheme://" or "file:", where
// a scheme is a letter followed by letters, digits, "+", "-" or ".".
func hasURLScheme(s string) bool {
	if strings.HasPrefix(strings.ToLower(s), "file:") {
		return true
	}
	scheme, _, ok := strings.Cut(s, "://")
	if !ok || scheme == "" {
		return false
	}
	for i := 0; i < len(scheme); i++ {
		c := scheme[i]
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

// localName returns the PEP 503 name a local source reveals: its #egg=
// fragment, or the name part of a wheel or sdist file name. It returns ""
// when the location does not say (a directory, a git URL without #egg=).
func localName(location string) string {
	if _, frag, ok := strings.Cut(location, "#"); ok {
		for _, part := range strings.Split(frag, "&") {
			if egg, ok := strings.CutPrefix(part, "egg="); ok {
				egg, _, _ = strings.Cut(egg, "[")
				if isPyPIName(egg) {
					return pep440.NormalizeName(egg)
				}
			}
		}
		location, _, _ = strings.Cut(location, "#")
	}
	location, _, _ = strings.Cut(location, "?")
	if i := strings.LastIndexAny(location, `/\`); i >= 0 {
		location = location[i+1:]
	}
	if base, err := url.PathUnescape(location); err == nil {
		location = base
	}
	return archiveName(location)
}

// archiveSuffixes are the file name endings of Python distributions.
var archiveSuffixes = []string{".whl", ".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".zip"}

// archiveSuffix returns the distribution file name ending of file, or "".
func archiveSuffix(file string) string {
	lower := strings.ToLower(file)
	for _, suffix := range archiveSuffixes {
		if strings.HasSuffix(lower, suffix) {
			return suffix
		}
	}
	return ""
}

func isArchive(file string) bool { return archiveSuffix(file) != "" }

// archiveName returns the normalised package name of a wheel or sdist file
// name ("pkg_name-1.2-py3-none-any.whl", "pkg-name-1.2.tar.gz"), or "".
// A wheel's name is everything before its first "-"; an sdist's is
// everything before the last "-" that precedes a digit.
func archiveName(file string) string {
	suffix := archiveSuffix(file)
	if suffix == "" {
		return ""
	}
	stem := file[:len(file)-len(suffix)]
	var name string
	if suffix == ".whl" {
		name, _, _ = strings.Cut(stem, "-")
	} else {
		for i := len(stem) - 2; i > 0; i-- {
			if stem[i] == '-' && '0' <= stem[i+1] && stem[i+1] <= '9' {
				name = stem[:i]
				break
			}
		}
	}
	if !isPyPIName(name) {
		return ""
	}
	return pep440.NormalizeName(name)
}

// isPyPIName reports whether s is a valid distribution name: ASCII letters
// and digits, with ".", "-" and "_" inside.
func isPyPIName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && (i == 0 || i == len(s)-1 || (c != '.' && c != '-' && c != '_')) {
			return false
		}
	}
	return true
}
