package operator

import (
	"fmt"
	"regexp"
	"strings"
)

// Reference is a container image reference, normalised as container
// runtimes read it: a name without a registry is on Docker Hub, and a
// one-component name there is under library/.
type Reference struct {
	// Registry is the lower-case registry host, with its port if any:
	// "quay.io", "docker.io", "localhost:5000".
	Registry string
	// Repository is the path in the registry: "org/hub-image",
	// "library/python".
	Repository string
	// Tag is "" when the reference has none.
	Tag string
	// Digest is "sha256:…" without the "@", or "".
	Digest string
}

var (
	domainPattern    = regexp.MustCompile(`^(localhost|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:[0-9]{1,5})?$`)
	componentPattern = regexp.MustCompile(`^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$`)
	tagPattern       = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	digestPattern    = regexp.MustCompile(`^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$`)
)

// maxNameLength is the longest image name (registry and path) that the
// distribution specification allows.
const maxNameLength = 255

// ParseReference parses an image reference such as
// "quay.io/org/hub-image:0123456789ab", "python:3.12" or
// "ghcr.io/org/img@sha256:…", following the grammar of the OCI
// distribution reference: the first component is a registry when it has a
// "." or a ":", is "localhost", or has upper-case letters.
func ParseReference(s string) (Reference, error) {
	var r Reference
	name := s
	if i := strings.IndexByte(name, '@'); i >= 0 {
		name, r.Digest = name[:i], name[i+1:]
		if !digestPattern.MatchString(r.Digest) {
			return Reference{}, fmt.Errorf("%q: %q is not a digest (sha256: and 64 hexadecimal digits)", s, r.Digest)
		}
	}
	if c := strings.LastIndexByte(name, ':'); c > strings.LastIndexByte(name, '/') {
		name, r.Tag = name[:c], name[c+1:]
		if !tagPattern.MatchString(r.Tag) {
			return Reference{}, fmt.Errorf("%q: %q is not a tag (up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-')", s, r.Tag)
		}
	}
	if name == "" {
		return Reference{}, fmt.Errorf("%q has no image name", s)
	}
	if len(name) > maxNameLength {
		return Reference{}, fmt.Errorf("%q: the name is longer than %d characters", s, maxNameLength)
	}
	path := name
	r.Registry = "docker.io"
	if first, rest, found := strings.Cut(name, "/"); found && (strings.ContainsAny(first, ".:") || first == "localhost" || strings.ToLower(first) != first) {
		if !domainPattern.MatchString(first) {
			return Reference{}, fmt.Errorf("%q: %q is not a registry host", s, first)
		}
		r.Registry, path = registryHost(first), rest
	}
	for _, c := range strings.Split(path, "/") {
		if !componentPattern.MatchString(c) {
			return Reference{}, fmt.Errorf("%q: %q is not a valid repository path component (lower-case letters and digits, separated by '.', '_', '__' or '-')", s, c)
		}
	}
	if r.Registry == "docker.io" && !strings.Contains(path, "/") {
		path = "library/" + path
	}
	r.Repository = path
	return r, nil
}

// Name is the image's normalised name without tag or digest:
// "docker.io/library/python".
func (r Reference) Name() string { return r.Registry + "/" + r.Repository }

// String is the normalised reference: Name, then ":tag" and "@digest" when
// present.
func (r Reference) String() string {
	s := r.Name()
	if r.Tag != "" {
		s += ":" + r.Tag
	}
	if r.Digest != "" {
		s += "@" + r.Digest
	}
	return s
}

// registryHost lower-cases a registry host and maps Docker Hub's other
// host names to docker.io.
func registryHost(host string) string {
	host = strings.ToLower(host)
	switch host {
	case "index.docker.io", "registry-1.docker.io":
		return "docker.io"
	}
	return host
}
