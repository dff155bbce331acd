package lock

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// An explicit lock (conda-linux-64.lock, "conda list --explicit") is a
// comment header ("# platform: linux-64", "# input_hash: ..."), the line
// "@EXPLICIT", then one package URL per line with its hash as the URL
// fragment: "#<md5>", "#<sha256>" or "#sha256:<sha256>". It carries no
// dependency data. The platform is the header's; without one it is the
// subdir of the packages' URLs (other than noarch), or "noarch" when every
// package is noarch. Channels are the URLs' channel parts, in order of
// first appearance.

func parseExplicit(path, src string) (*Lock, error) {
	a := newAssembler(strings.Count(src, "\n") + 1)
	env := a.environment(DefaultEnvironment)
	var (
		header, platform string // from the header; from the URLs
		platformLine     int
		explicit         bool
		pkgs             []*Package
		lines            = map[string]int{}
	)
	errf := func(line int, format string, args ...any) error {
		return &ParseError{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	lineNo := 0
	for rest := src; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		lineNo++
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			continue
		case line[0] == '#':
			if !explicit {
				if v, ok := strings.CutPrefix(strings.TrimSpace(line[1:]), "platform:"); ok {
					header = strings.TrimSpace(v)
				}
			}
			continue
		case line == "@EXPLICIT":
			if explicit {
				return nil, errf(lineNo, "@EXPLICIT appears twice")
			}
			explicit = true
			continue
		case !explicit:
			return nil, errf(lineNo, "expected @EXPLICIT before the first package URL")
		}
		if bad := badText(line); bad != "" {
			return nil, errf(lineNo, "the line holds %s; a package URL is text", bad)
		}
		u, frag, _ := strings.Cut(line, "#")
		name, version, build, subdir, ok := ParseCondaFilename(u)
		if !ok {
			return nil, errf(lineNo, "%q is not the URL of a conda package file (name-version-build.conda or .tar.bz2)", u)
		}
		if bad := badText(name + version + build); bad != "" {
			return nil, errf(lineNo, "the file name of %q decodes to %s; conda package names, versions and builds are printable text", u, bad)
		}
		if first, dup := lines[name]; dup {
			return nil, errf(lineNo, "package %s is listed twice (first on line %d)", name, first)
		}
		lines[name] = lineNo
		p := a.newPackage()
		*p = Package{Manager: Conda, Name: name, Version: version, Build: build, URL: u, Line: lineNo}
		if err := explicitHash(&p.Hashes, frag); err != nil {
			return nil, errf(lineNo, "%s: %v", name, err)
		}
		if subdir != "" && subdir != "noarch" {
			switch {
			case header != "" && subdir != header:
				return nil, errf(lineNo, "package %s is built for %s, but the lock is for %s", name, subdir, header)
			case platform == "":
				platform, platformLine = subdir, lineNo
			case subdir != platform:
				return nil, errf(lineNo, "package %s is built for %s, but the package on line %d is built for %s", name, subdir, platformLine, platform)
			}
		}
		if subdir != "" {
			channel := strings.TrimSuffix(u[:strings.LastIndexByte(u, '/')], "/"+subdir)
			if !slices.Contains(env.Channels, channel) {
				env.Channels = append(env.Channels, channel)
			}
		}
		pkgs = append(pkgs, p)
	}
	if !explicit {
		return nil, errf(0, "no @EXPLICIT line: not an explicit conda lock")
	}
	switch {
	case header != "":
		platform = header
	case platform == "":
		platform = "noarch"
	}
	platformOf(env, platform).Packages = pkgs
	return &Lock{Environments: a.finish(keepFirst)}, nil
}

// explicitHash reads the hash in an explicit lock's URL fragment.
func explicitHash(h *Hashes, frag string) error {
	if v, ok := strings.CutPrefix(frag, "sha256:"); ok {
		if len(v) != 64 || !isHex(v) {
			return fmt.Errorf("sha256 %q is not 64 hex digits", v)
		}
		h.SHA256 = lowerHex(v)
		return nil
	}
	switch {
	case frag == "":
	case len(frag) == 32 && isHex(frag):
		h.MD5 = lowerHex(frag)
	case len(frag) == 64 && isHex(frag):
		h.SHA256 = lowerHex(frag)
	default:
		return fmt.Errorf("hash %q is neither an md5 nor a sha256", frag)
	}
	return nil
}

// badText names what makes s unfit for a package name or a line of a
// lock: "a NUL byte", "invalid UTF-8" or "a control character"; "" when
// s has none of them.
func badText(s string) string {
	if strings.IndexByte(s, 0) >= 0 {
		return "a NUL byte"
	}
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "a control character"
	}
	return ""
}
