package hubprobe

import (
	"slices"
	"strings"
)

// ConfiguredFor reports whether the hub is configured with an image: whether
// one of ConfiguredImages names the repository image and either pins one of
// digests or, pinning no digest, has the tag. image names a repository
// ("quay.io/org/img"); a tag or digest written in it is not compared.
//
// Repositories compare by their normalised names: a name without a registry
// domain is on Docker Hub ("docker.io", also written "index.docker.io"), and
// a Docker Hub name of one component is in "library/". A configured image
// without tag or digest means ":latest". A configured image that pins a
// digest ("img:tag@sha256:…") matches on the digest alone, since the runtime
// pulls by digest and ignores the tag beside it.
func (o Observation) ConfiguredFor(image, tag string, digests ...string) bool {
	repository := parseReference(image).repository
	for _, configured := range o.ConfiguredImages {
		ref := parseReference(configured)
		switch {
		case ref.repository != repository:
		case ref.digest != "":
			if slices.Contains(digests, ref.digest) {
				return true
			}
		case tag != "" && ref.tag == tag:
			return true
		}
	}
	return false
}

// reference is an image reference split into its parts.
type reference struct {
	repository string // normalised: "docker.io/library/ubuntu"
	tag        string // "latest" when the reference has neither tag nor digest
	digest     string // "" when the reference pins none
}

// parseReference splits "[domain/]path[:tag][@digest]".
func parseReference(s string) reference {
	var ref reference
	name, digest, _ := strings.Cut(s, "@")
	ref.digest = digest
	if colon := strings.LastIndexByte(name, ':'); colon > strings.LastIndexByte(name, '/') {
		name, ref.tag = name[:colon], name[colon+1:]
	}
	if ref.tag == "" && ref.digest == "" {
		ref.tag = "latest"
	}
	ref.repository = normalizeRepository(name)
	return ref
}

// normalizeRepository returns a repository name with its registry domain, as
// the container runtime resolves it: the first path component is a domain
// when it contains "." or ":" or is "localhost"; otherwise the name is on
// Docker Hub.
func normalizeRepository(name string) string {
	domain, path, found := strings.Cut(name, "/")
	if !found || !(strings.ContainsAny(domain, ".:") || domain == "localhost") {
		domain, path = "docker.io", name
	}
	domain = strings.ToLower(domain)
	if domain == "index.docker.io" {
		domain = "docker.io"
	}
	if domain == "docker.io" && !strings.Contains(path, "/") {
		path = "library/" + path
	}
	return domain + "/" + path
}
