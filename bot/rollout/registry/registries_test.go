package registry_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/imagebot/imagebot/internal/testregistry"
)

// isolateCredentials points every place authn.DefaultKeychain reads at an
// empty directory, so the machine's own registry logins never reach a test.
func isolateCredentials(t *testing.T) {
	dir := t.TempDir()
	for _, v := range []string{"HOME", "DOCKER_CONFIG", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR"} {
		t.Setenv(v, dir)
	}
	t.Setenv("REGISTRY_AUTH_FILE", filepath.Join(dir, "absent.json"))
}

// request is one HTTP request as the registry saw it.
type request struct {
	Method, Scheme, Host, Path, UserAgent string
}

func (r request) String() string { return r.Method + " " + r.Path }

// recorder is an http.RoundTripper that records every request it carries.
type recorder struct {
	inner http.RoundTripper
	mu    sync.Mutex
	seen  []request
}

// newRecorder returns a recorder over a transport that uses no proxy and
// dials loopback addresses only, so a test can never reach another host.
func newRecorder(t *testing.T) *recorder {
	inner := &http.Transport{DialContext: testregistry.DialLoopback}
	t.Cleanup(inner.CloseIdleConnections)
	return &recorder{inner: inner}
}

func (c *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.seen = append(c.seen, request{req.Method, req.URL.Scheme, req.URL.Host, req.URL.Path, req.Header.Get("User-Agent")})
	c.mu.Unlock()
	return c.inner.RoundTrip(req)
}

// take returns the requests recorded since the last take.
func (c *recorder) take() []request {
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := c.seen
	c.seen = nil
	return seen
}

// all renders every request as "METHOD /path".
func all(reqs []request) []string {
	out := []string{}
	for _, r := range reqs {
		out = append(out, r.String())
	}
	return out
}

// manifestRequests renders the manifest requests as "METHOD /path", leaving
// out the /v2/ ping and token requests that set up a session.
func manifestRequests(reqs []request) []string {
	out := []string{}
	for _, r := range reqs {
		if strings.Contains(r.Path, "/manifests/") {
			out = append(out, r.String())
		}
	}
	return out
}

// fixtures are the images pushed to a test registry, by digest.
type fixtures struct {
	index, amd64, arm64 string // community/multi: linux/arm64/v8, linux/amd64 and an attestation
	single              string // community/single: one image
	armIndex, armOnly   string // community/armonly: an index of linux/arm64/v8 only
	list                string // community/list: a Docker manifest list of the same linux/amd64 and linux/arm64/v8 images
	nested              string // community/nested: an index whose only entry is the multi-arch index

	indexImage v1.ImageIndex // the index behind index
}

const tag = "0123456789ab" // the first 12 characters of a merge commit

func pushFixtures(t *testing.T, host string) fixtures {
	t.Helper()
	arm, amd, attestation, single, armOnly := testregistry.RandomImage(t), testregistry.RandomImage(t), testregistry.RandomImage(t), testregistry.RandomImage(t), testregistry.RandomImage(t)
	index := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: arm, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}},
		mutate.IndexAddendum{Add: amd, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: attestation, Descriptor: v1.Descriptor{
			Platform:    &v1.Platform{OS: "unknown", Architecture: "unknown"},
			Annotations: map[string]string{"vnd.docker.reference.type": "attestation-manifest"},
		}},
	)
	armIndex := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: armOnly, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}},
	)
	list := mutate.IndexMediaType(mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: amd, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: arm, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}},
	), types.DockerManifestList)
	nested := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: index, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
	)
	testregistry.PushIndex(t, host+"/community/multi:"+tag, index)
	testregistry.PushImage(t, host+"/community/single:"+tag, single)
	testregistry.PushIndex(t, host+"/community/armonly:"+tag, armIndex)
	testregistry.PushIndex(t, host+"/community/list:"+tag, list)
	testregistry.PushIndex(t, host+"/community/nested:"+tag, nested)
	return fixtures{
		index: testregistry.Digest(t, index), amd64: testregistry.Digest(t, amd), arm64: testregistry.Digest(t, arm),
		single:   testregistry.Digest(t, single),
		armIndex: testregistry.Digest(t, armIndex), armOnly: testregistry.Digest(t, armOnly),
		list: testregistry.Digest(t, list), nested: testregistry.Digest(t, nested),
		indexImage: index,
	}
}

const (
	ociIndex       = string(types.OCIImageIndex)
	dockerList     = string(types.DockerManifestList)
	dockerManifest = string(types.DockerManifestSchema2)
)
