package lock

import (
	"net/url"
	"strings"
)

// ParseCondaFilename splits a conda package file name or URL
// (".../linux-64/libsqlite-3.51.2-h0c1763c_0.conda", "...tar.bz2") into name, version, build and subdir.
//
// A query ("?...") or fragment ("#md5") is ignored, and percent-escapes in
// the file name are decoded ("%2B" is "+"). The file name must end in
// ".conda" or ".tar.bz2" and hold three non-empty parts separated by the
// last two "-"; otherwise ok is false. subdir is the directory just above
// the file when it is a known conda subdir ("linux-64", "noarch", …), and
// "" otherwise (a bare file name, or a local directory such as "pkgs").
func ParseCondaFilename(s string) (name, version, build, subdir string, ok bool) {
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	dir, file := "", s
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		dir, file = s[:i], s[i+1:]
	}
	switch {
	case strings.HasSuffix(file, ".conda"):
		file = file[:len(file)-len(".conda")]
	case strings.HasSuffix(file, ".tar.bz2"):
		file = file[:len(file)-len(".tar.bz2")]
	default:
		return "", "", "", "", false
	}
	if strings.IndexByte(file, '%') >= 0 {
		unescaped, err := url.PathUnescape(file)
		if err != nil {
			return "", "", "", "", false
		}
		file = unescaped
	}
	b := strings.LastIndexByte(file, '-')
	if b <= 0 {
		return "", "", "", "", false
	}
	v := strings.LastIndexByte(file[:b], '-')
	if v <= 0 || v+1 == b || b+1 == len(file) {
		return "", "", "", "", false
	}
	if i := strings.LastIndexByte(dir, '/'); i >= 0 {
		dir = dir[i+1:]
	}
	if knownSubdir(dir) {
		subdir = dir
	}
	return file[:v], file[v+1 : b], file[b+1:], subdir, true
}

// knownSubdir reports whether s is one of conda's platform subdirs.
func knownSubdir(s string) bool {
	switch s {
	case "noarch", "unknown",
		"linux-32", "linux-64", "linux-aarch64", "linux-armv6l", "linux-armv7l", "linux-loongarch64",
		"linux-ppc64le", "linux-ppc64", "linux-ppc", "linux-s390x", "linux-riscv32", "linux-riscv64",
		"freebsd-64", "osx-64", "osx-arm64", "win-32", "win-64", "win-arm64",
		"emscripten-wasm32", "wasi-wasm32", "zos-z":
		return true
	}
	return false
}
