package operator

import (
	"strings"
	"testing"
)

const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestParseReference(t *testing.T) {
	tests := []struct {
		in   string
		want Reference
		why  string
	}{
		{"quay.io/org/hub-image", Reference{Registry: "quay.io", Repository: "org/hub-image"}, ""},
		{"quay.io/org/hub-image:0123456789ab", Reference{Registry: "quay.io", Repository: "org/hub-image", Tag: "0123456789ab"}, ""},
		{"ghcr.io/org/img@" + digest, Reference{Registry: "ghcr.io", Repository: "org/img", Digest: digest}, ""},
		{"ghcr.io/org/img:v1@" + digest, Reference{Registry: "ghcr.io", Repository: "org/img", Tag: "v1", Digest: digest}, "tag and digest"},
		{"python", Reference{Registry: "docker.io", Repository: "library/python"}, "Docker Hub's official images are under library/"},
		{"python:3.12", Reference{Registry: "docker.io", Repository: "library/python", Tag: "3.12"}, ""},
		{"jupyter/base-notebook:2024-05-01", Reference{Registry: "docker.io", Repository: "jupyter/base-notebook", Tag: "2024-05-01"}, "no dot: the first component is a path, not a host"},
		{"docker.io/python", Reference{Registry: "docker.io", Repository: "library/python"}, ""},
		{"index.docker.io/library/python", Reference{Registry: "docker.io", Repository: "library/python"}, "Docker Hub's legacy host"},
		{"registry-1.docker.io/org/img", Reference{Registry: "docker.io", Repository: "org/img"}, "Docker Hub's API host"},
		{"localhost/img", Reference{Registry: "localhost", Repository: "img"}, "localhost is a host; no library/ outside Docker Hub"},
		{"localhost:5000/a/b/c:t", Reference{Registry: "localhost:5000", Repository: "a/b/c", Tag: "t"}, "a port and a deep path"},
		{"Quay.IO/org/img", Reference{Registry: "quay.io", Repository: "org/img"}, "hosts are not case-sensitive"},
		{"Registry/img", Reference{Registry: "registry", Repository: "img"}, "upper case makes the first component a host"},
		{"quay.io/a__b/c-d--e.f", Reference{Registry: "quay.io", Repository: "a__b/c-d--e.f"}, "separators"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseReference(tt.in)
			if err != nil {
				t.Fatalf("ParseReference(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseReference(%q) = %+v, want %+v (%s)", tt.in, got, tt.want, tt.why)
			}
		})
	}
}

func TestReferenceString(t *testing.T) {
	tests := []struct{ in, name, str string }{
		{"python", "docker.io/library/python", "docker.io/library/python"},
		{"quay.io/org/img:abc", "quay.io/org/img", "quay.io/org/img:abc"},
		{"quay.io/org/img:abc@" + digest, "quay.io/org/img", "quay.io/org/img:abc@" + digest},
	}
	for _, tt := range tests {
		r, err := ParseReference(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if r.Name() != tt.name || r.String() != tt.str {
			t.Errorf("%q: Name %q, String %q; want %q, %q", tt.in, r.Name(), r.String(), tt.name, tt.str)
		}
	}
}

func TestParseReferenceErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `"" has no image name`},
		{":tag", `":tag" has no image name`},
		{"quay.io/Org/img", `"quay.io/Org/img": "Org" is not a valid repository path component (lower-case letters and digits, separated by '.', '_', '__' or '-')`},
		{"quay.io//img", `"quay.io//img": "" is not a valid repository path component (lower-case letters and digits, separated by '.', '_', '__' or '-')`},
		{"quay.io/org/img-", `"quay.io/org/img-": "img-" is not a valid repository path component (lower-case letters and digits, separated by '.', '_', '__' or '-')`},
		{"quay.io/org/img:", `"quay.io/org/img:": "" is not a tag (up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-')`},
		{"quay.io/org/img:.x", `"quay.io/org/img:.x": ".x" is not a tag (up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-')`},
		{"img:" + strings.Repeat("a", 129), `"img:` + strings.Repeat("a", 129) + `": "` + strings.Repeat("a", 129) + `" is not a tag (up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-')`},
		{"img@sha256:abc", `"img@sha256:abc": "sha256:abc" is not a digest (sha256: and 64 hexadecimal digits)`},
		{"img@" + strings.ToUpper(digest), `"img@` + strings.ToUpper(digest) + `": "` + strings.ToUpper(digest) + `" is not a digest (sha256: and 64 hexadecimal digits)`},
		{"exa_mple.org/img", `"exa_mple.org/img": "exa_mple.org" is not a registry host`},
		{"https://quay.io/org/img", `"https://quay.io/org/img": "https:" is not a registry host`},
		{"quay.io/" + strings.Repeat("a", 250), `"quay.io/` + strings.Repeat("a", 250) + `": the name is longer than 255 characters`},
	}
	for _, tt := range tests {
		got, err := ParseReference(tt.in)
		if err == nil {
			t.Errorf("ParseReference(%q) = %+v, want an error", tt.in, got)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseReference(%q) error\n got  %s\n want %s", tt.in, err, tt.want)
		}
	}
}
