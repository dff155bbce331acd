package conda

import "strings"

// subdirs are the platform subdirectories conda and rattler know. A channel
// path that ends in one of them names that subdir ("conda-forge/linux-64").
var subdirs = map[string]bool{
	"noarch":            true,
	"linux-32":          true,
	"linux-64":          true,
	"linux-aarch64":     true,
	"linux-armv6l":      true,
	"linux-armv7l":      true,
	"linux-loong64":     true,
	"linux-ppc64":       true,
	"linux-ppc64le":     true,
	"linux-riscv32":     true,
	"linux-riscv64":     true,
	"linux-s390x":       true,
	"osx-64":            true,
	"osx-arm64":         true,
	"win-32":            true,
	"win-64":            true,
	"win-arm64":         true,
	"freebsd-64":        true,
	"emscripten-wasm32": true,
	"wasi-wasm32":       true,
	"zos-z":             true,
}

// parseChannel splits a MatchSpec channel ("conda-forge", "conda-forge/linux-64",
// "https://conda.anaconda.org/conda-forge/") into the channel, without
// trailing slashes, and the subdir its path ends in, if any.
func parseChannel(s string) (channel, subdir, reason string) {
	s = strings.TrimRight(trimSpace(s), "/")
	if s == "" {
		return "", "", "empty channel"
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || strings.IndexByte("[]'\"#,", c) >= 0 {
			return "", "", "invalid character " + clip(s[i:i+1]) + " in channel"
		}
	}
	if i := strings.LastIndexByte(s, '/'); i >= 0 && subdirs[s[i+1:]] {
		channel = strings.TrimRight(s[:i], "/")
		if channel == "" {
			return "", "", "missing channel before subdir " + clip(s[i+1:])
		}
		return channel, s[i+1:], ""
	}
	return s, "", ""
}
