package hubprobe

import "strings"

// NormalizeImageID returns the digest that a container status imageID
// carries, in the form "sha256:<hex>". The runtime reports it as
// "docker-pullable://quay.io/org/img@sha256:…" (dockershim),
// "quay.io/org/img@sha256:…" (containerd, CRI-O) or a bare "sha256:…"; the
// digest is the image index's or the platform manifest's, whichever the node
// pulled by. NormalizeImageID returns "" when imageID carries no sha256 or
// sha512 digest, as before the runtime has resolved the image.
func NormalizeImageID(imageID string) string {
	id := imageID
	if at := strings.LastIndexByte(id, '@'); at >= 0 {
		id = id[at+1:]
	} else if _, rest, ok := strings.Cut(id, "://"); ok {
		id = rest
	}
	if !isDigest(id) {
		return ""
	}
	return id
}

// isDigest reports whether s is "sha256:" followed by 64 lower-case hex
// digits or "sha512:" followed by 128, the digests registries serve.
func isDigest(s string) bool {
	algorithm, hex, _ := strings.Cut(s, ":")
	var size int
	switch algorithm {
	case "sha256":
		size = 64
	case "sha512":
		size = 128
	default:
		return false
	}
	return len(hex) == size && strings.Trim(hex, "0123456789abcdef") == ""
}
