package registry_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/imagebot/imagebot/bot/rollout/registry"
	"github.com/imagebot/imagebot/internal/testregistry"
)

// newResolver returns a resolver whose requests rec records, using the
// default keychain with no credentials on disk.
func newResolver(t *testing.T, rec *recorder, opts ...registry.Option) *registry.Resolver {
	t.Helper()
	isolateCredentials(t)
	return registry.NewResolver(append([]registry.Option{registry.WithTransport(rec)}, opts...)...)
}

// checkResult asserts Resolve's outcome exactly: the digests, or the error's
// kind and text.
func checkResult(t *testing.T, got registry.Digests, err error, want registry.Digests, wantErr error, wantMsg string) {
	t.Helper()
	if wantErr == nil {
		if err != nil {
			t.Fatalf("Resolve: %v", err)
		}
		if got != want {
			t.Fatalf("Resolve = %+v, want %+v", got, want)
		}
		return
	}
	if !errors.Is(err, wantErr) {
		t.Fatalf("Resolve error = %v, want one that matches %v", err, wantErr)
	}
	if err.Error() != wantMsg {
		t.Fatalf("Resolve error text:\n got %q\nwant %q", err.Error(), wantMsg)
	}
	if registry.IsTransient(err) {
		t.Fatalf("IsTransient(%v) = true, want false", err)
	}
	if got != (registry.Digests{}) {
		t.Fatalf("Resolve returned %+v with its error, want the zero Digests", got)
	}
}

func checkRequests(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got %q\nwant %q", what, got, want)
	}
}

// TestResolve resolves each kind of reference twice with a fresh resolver,
// and checks the answer and every manifest request both times: the second
// call must cost exactly one HEAD request and nothing else, not even a ping.
func TestResolve(t *testing.T) {
	testregistry.ForEach(t, func(t *testing.T, host string) {
		f := pushFixtures(t, host)
		head := func(repo, id string) string { return "HEAD /v2/community/" + repo + "/manifests/" + id }
		get := func(repo, id string) string { return "GET /v2/community/" + repo + "/manifests/" + id }
		tests := []struct {
			name    string
			ref     string
			opts    []registry.Option
			want    registry.Digests
			wantErr error
			wantMsg string
			first   []string // manifest requests of the first call
			again   []string // every request of the second call
		}{
			{
				name:  "multi-arch tag: the index and its linux/amd64 manifest, the index read once by digest",
				ref:   host + "/community/multi:" + tag,
				want:  registry.Digests{Digest: f.index, Platform: f.amd64, MediaType: ociIndex},
				first: []string{head("multi", tag), get("multi", f.index)},
				again: []string{head("multi", tag)},
			},
			{
				name:  "WithPlatform linux/arm64 picks the arm64 manifest, whatever its variant",
				ref:   host + "/community/multi:" + tag,
				opts:  []registry.Option{registry.WithPlatform(v1.Platform{OS: "linux", Architecture: "arm64"})},
				want:  registry.Digests{Digest: f.index, Platform: f.arm64, MediaType: ociIndex},
				first: []string{head("multi", tag), get("multi", f.index)},
				again: []string{head("multi", tag)},
			},
			{
				name:    "a variant asked for must match; the attestation is not a platform",
				ref:     host + "/community/multi:" + tag,
				opts:    []registry.Option{registry.WithPlatform(v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v7"})},
				wantErr: registry.ErrNoPlatform,
				wantMsg: host + "/community/multi:" + tag + " is in the registry, but has no linux/arm64/v7 image (its platforms: linux/amd64, linux/arm64/v8)",
				first:   []string{head("multi", tag), get("multi", f.index)},
				again:   []string{head("multi", tag)},
			},
			{
				name:  "a digest reference resolves like its tag",
				ref:   host + "/community/multi@" + f.index,
				want:  registry.Digests{Digest: f.index, Platform: f.amd64, MediaType: ociIndex},
				first: []string{head("multi", f.index), get("multi", f.index)},
				again: []string{head("multi", f.index)},
			},
			{
				name:  "single-platform tag: Platform equals Digest, with one HEAD and no GET",
				ref:   host + "/community/single:" + tag,
				want:  registry.Digests{Digest: f.single, Platform: f.single, MediaType: dockerManifest},
				first: []string{head("single", tag)},
				again: []string{head("single", tag)},
			},
			{
				name:    "an index without linux/amd64 is published but cannot run; the answer is cached too",
				ref:     host + "/community/armonly:" + tag,
				wantErr: registry.ErrNoPlatform,
				wantMsg: host + "/community/armonly:" + tag + " is in the registry, but has no linux/amd64 image (its platforms: linux/arm64/v8)",
				first:   []string{head("armonly", tag), get("armonly", f.armIndex)},
				again:   []string{head("armonly", tag)},
			},
			{
				name:  "a Docker manifest list is an index too",
				ref:   host + "/community/list:" + tag,
				want:  registry.Digests{Digest: f.list, Platform: f.amd64, MediaType: dockerList},
				first: []string{head("list", tag), get("list", f.list)},
				again: []string{head("list", tag)},
			},
			{
				name:    "an index of indexes: nested indexes are not followed",
				ref:     host + "/community/nested:" + tag,
				wantErr: registry.ErrNoPlatform,
				wantMsg: host + "/community/nested:" + tag + " is in the registry, but has no linux/amd64 image (its platforms: none)",
				first:   []string{head("nested", tag), get("nested", f.nested)},
				again:   []string{head("nested", tag)},
			},
			{
				name:    "a tag not pushed yet",
				ref:     host + "/community/multi:fedcba987654",
				wantErr: registry.ErrNotFound,
				wantMsg: host + "/community/multi:fedcba987654 is not in the registry yet",
				first:   []string{head("multi", "fedcba987654")},
				again:   []string{head("multi", "fedcba987654")},
			},
			{
				name:    "a repository not pushed yet",
				ref:     host + "/community/newcomer:" + tag,
				wantErr: registry.ErrNotFound,
				wantMsg: host + "/community/newcomer:" + tag + " is not in the registry yet",
				first:   []string{head("newcomer", tag)},
				again:   []string{head("newcomer", tag)},
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rec := newRecorder(t)
				r := newResolver(t, rec, tt.opts...)
				got, err := r.Resolve(context.Background(), tt.ref)
				checkResult(t, got, err, tt.want, tt.wantErr, tt.wantMsg)
				checkRequests(t, "first call's manifest requests", manifestRequests(rec.take()), tt.first)

				got, err = r.Resolve(context.Background(), tt.ref)
				checkResult(t, got, err, tt.want, tt.wantErr, tt.wantMsg)
				checkRequests(t, "second call's requests", all(rec.take()), tt.again)
			})
		}
	})
}

// TestResolveSeesRetag moves one tag between an image and an index, as a
// mutable tag moves, and checks that each poll sees the move at the cost of
// one HEAD, plus one GET the first time the index is seen.
func TestResolveSeesRetag(t *testing.T) {
	testregistry.ForEach(t, func(t *testing.T, host string) {
		f := pushFixtures(t, host)
		single, index := testregistry.RandomImage(t), f.indexImage
		ref := host + "/community/moving:latest"
		headTag := "HEAD /v2/community/moving/manifests/latest"
		steps := []struct {
			name string
			push func()
			want registry.Digests
			reqs []string // manifest requests of the step's call
		}{
			{"an image", func() { testregistry.PushImage(t, ref, single) },
				registry.Digests{Digest: testregistry.Digest(t, single), Platform: testregistry.Digest(t, single), MediaType: dockerManifest},
				[]string{headTag}},
			{"retagged to the index", func() { testregistry.PushIndex(t, ref, index) },
				registry.Digests{Digest: f.index, Platform: f.amd64, MediaType: ociIndex},
				[]string{headTag, "GET /v2/community/moving/manifests/" + f.index}},
			{"back to the image", func() { testregistry.PushImage(t, ref, single) },
				registry.Digests{Digest: testregistry.Digest(t, single), Platform: testregistry.Digest(t, single), MediaType: dockerManifest},
				[]string{headTag}},
			{"to the index again, whose platform is known", func() { testregistry.PushIndex(t, ref, index) },
				registry.Digests{Digest: f.index, Platform: f.amd64, MediaType: ociIndex},
				[]string{headTag}},
		}
		rec := newRecorder(t)
		r := newResolver(t, rec)
		for _, s := range steps {
			s.push()
			got, err := r.Resolve(context.Background(), ref)
			checkResult(t, got, err, s.want, nil, "")
			checkRequests(t, s.name, manifestRequests(rec.take()), s.reqs)
		}
	})
}

func TestResolveRejectsInvalidReferences(t *testing.T) {
	tests := []struct {
		ref    string
		reason string
	}{
		{"", "empty"},
		{"quay.io/org/img", "no tag: strict validation wants it explicit"},
		{"jupyter/scipy-notebook:0123456789ab", "no registry: strict validation does not assume Docker Hub"},
		{"quay.io/org/Img:0123456789ab", "upper case in the repository"},
		{"quay.io/org/img:0123456789ab!", "'!' in a tag"},
		{"quay.io/org/img:" + strings.Repeat("a", 129), "a tag has at most 128 characters"},
		{"quay.io/org/img@sha256:0123", "a digest too short"},
		{"quay.io/org/img@md5:d41d8cd98f00b204e9800998ecf8427e", "not a sha256 digest"},
		{"https://quay.io/org/img:0123456789ab", "a URL, not a reference"},
		{"quay.io/org/img:0123456789ab\n", "a trailing newline"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			rec := newRecorder(t)
			got, err := newResolver(t, rec).Resolve(context.Background(), tt.ref)
			checkResult(t, got, err, registry.Digests{}, registry.ErrInvalidReference,
				`image reference "`+strings.ReplaceAll(tt.ref, "\n", `\n`)+`" is not valid: write it as registry/repository:tag or registry/repository@sha256:digest, such as quay.io/org/image:0123456789ab`)
			checkRequests(t, "requests", all(rec.take()), []string{})
		})
	}
}

// TestWithInsecureRegistries reaches a registry by a name that is neither
// loopback nor private, so only the option makes it plain HTTP.
func TestWithInsecureRegistries(t *testing.T) {
	addr := testregistry.InProcess(t)
	testregistry.PushImage(t, addr+"/community/single:"+tag, testregistry.RandomImage(t))
	const host = "registry.test:5000"
	ref := host + "/community/single:" + tag
	tests := []struct {
		name          string
		opts          []registry.Option
		wantMsg       string   // "" for success
		wantManifests []string // as "METHOD scheme://host/path"
	}{
		{
			name:          "without it, HTTPS only",
			wantMsg:       "imagebot could not look up " + ref + " in the registry " + host + `: Get "https://` + host + `/v2/": http: server gave HTTP response to HTTPS client`,
			wantManifests: []string{},
		},
		{
			name:          "with it, plain HTTP",
			opts:          []registry.Option{registry.WithInsecureRegistries("other.test", host)},
			wantManifests: []string{"HEAD http://" + host + "/v2/community/single/manifests/" + tag},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t)
			rec.inner = &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, network, addr) // every host is the test registry
			}}
			_, err := newResolver(t, rec, tt.opts...).Resolve(context.Background(), ref)
			switch {
			case tt.wantMsg == "" && err != nil:
				t.Fatalf("Resolve: %v", err)
			case tt.wantMsg != "" && (err == nil || err.Error() != tt.wantMsg):
				t.Fatalf("Resolve error = %v, want %q", err, tt.wantMsg)
			}
			got := []string{}
			for _, r := range rec.take() {
				if strings.Contains(r.Path, "/manifests/") {
					got = append(got, r.Method+" "+r.Scheme+"://"+r.Host+r.Path)
				}
			}
			checkRequests(t, "manifest requests", got, tt.wantManifests)
		})
	}
}

func TestWithUserAgent(t *testing.T) {
	host := testregistry.InProcess(t)
	testregistry.PushImage(t, host+"/community/single:"+tag, testregistry.RandomImage(t))
	tests := []struct {
		name string
		opts []registry.Option
		want string // the User-Agent's first product
	}{
		{"default", nil, "imagebot"},
		{"set", []registry.Option{registry.WithUserAgent("imagebot/1.4.0")}, "imagebot/1.4.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t)
			if _, err := newResolver(t, rec, tt.opts...).Resolve(context.Background(), host+"/community/single:"+tag); err != nil {
				t.Fatal(err)
			}
			for _, r := range rec.take() {
				if got := strings.Fields(r.UserAgent); len(got) == 0 || got[0] != tt.want {
					t.Errorf("%s: User-Agent %q, want it to start with %q", r, r.UserAgent, tt.want)
				}
			}
		})
	}
}

// TestResolveConcurrently shares one resolver between goroutines, as the
// tracker's jobs do. Concurrent first calls may each read the index; every
// call costs exactly one HEAD, and afterwards a call costs only that.
func TestResolveConcurrently(t *testing.T) {
	host := testregistry.InProcess(t)
	f := pushFixtures(t, host)
	rec := newRecorder(t)
	r := newResolver(t, rec)
	ref := host + "/community/multi:" + tag
	want := registry.Digests{Digest: f.index, Platform: f.amd64, MediaType: ociIndex}
	head, get := "HEAD /v2/community/multi/manifests/"+tag, "GET /v2/community/multi/manifests/"+f.index

	const calls = 8
	errs := make(chan error, calls)
	for range calls {
		go func() {
			got, err := r.Resolve(context.Background(), ref)
			if err == nil && got != want {
				err = fmt.Errorf("Resolve = %+v, want %+v", got, want)
			}
			errs <- err
		}()
	}
	for range calls {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	heads, gets := 0, 0
	for _, req := range manifestRequests(rec.take()) {
		switch req {
		case head:
			heads++
		case get:
			gets++
		default:
			t.Errorf("unexpected request %s", req)
		}
	}
	if heads != calls || gets < 1 || gets > calls {
		t.Errorf("%d calls made %d HEADs and %d GETs, want %d HEADs and 1 to %d GETs", calls, heads, gets, calls, calls)
	}

	got, err := r.Resolve(context.Background(), ref)
	checkResult(t, got, err, want, nil, "")
	checkRequests(t, "requests after the concurrent calls", all(rec.take()), []string{head})
}
