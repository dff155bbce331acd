package fakegithub

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

// testStart is the time of the fake clock that tests use.
var testStart = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func fixedClock() time.Time { return testStart }

// Files of the world's community image repository.
const (
	envV1    = "name: base\ndependencies:\n  - python=3.12\n  - pandas\n"
	envV2    = "name: base\ndependencies:\n  - python=3.12\n  - pandas\n  - numpy\n"
	lockFile = "version: 1\npackage: []\n"
	readme   = "# community image\n"
	config   = "checks:\n  lockfile-present: error\n"
	guide    = "How to use this image.\n"
)

// world is a fake GitHub with one installed repository, a base commit on main, a feature
// branch one commit ahead and a pull request from it.
type world struct {
	s          *Server
	repo       *Repo
	inst       *Installation
	key        *rsa.PrivateKey
	base, head string
	pr         int
	token      string
	c          *github.Client // authenticated with an installation token
	ctx        context.Context
}

const (
	worldOwner   = "octo-org"
	worldName    = "community-image"
	worldRepo    = worldOwner + "/" + worldName
	installation = 42
)

var (
	keyOnce sync.Once
	appKey  *rsa.PrivateKey
)

// testKey is an RSA key shared by the tests, generated once.
func testKey(t testing.TB) *rsa.PrivateKey {
	keyOnce.Do(func() {
		var err error
		if appKey, err = rsa.GenerateKey(rand.Reader, 1024); err != nil {
			panic(err)
		}
	})
	return appKey
}

// newWorld builds the world on a server with the fixed clock, the test key and opts.
func newWorld(t testing.TB, opts ...Option) *world {
	t.Helper()
	key := testKey(t)
	s := New(t, append([]Option{WithClock(fixedClock), WithAppKey(&key.PublicKey)}, opts...)...)
	w := &world{s: s, key: key, ctx: context.Background()}
	w.repo = s.AddRepo(worldOwner, worldName)
	w.base = w.repo.Commit("main", map[string]string{
		"environment.yml":      envV1,
		"conda-lock.yml":       lockFile,
		"README.md":            readme,
		".github/imagebot.yml": config,
	})
	w.head = w.repo.Commit("feature", map[string]string{
		"environment.yml":      envV2,
		"locks/conda-lock.yml": lockFile,
		"docs/guide.md":        guide,
	}, "README.md", "conda-lock.yml")
	w.pr = w.repo.OpenPull("feature", "main", PullTitle("Add numpy"), PullAuthor("maintainer"))
	w.inst = s.AddInstallation(installation, worldOwner, w.repo)
	w.token = s.InstallationToken(installation)
	w.c = client(t, s, "token "+w.token)
	return w
}

// client is a go-github client for s that sends authorization with every request, using
// the Enterprise form of the base URL (<url>/api/v3/).
func client(t testing.TB, s *Server, authorization string) *github.Client {
	t.Helper()
	hc := &http.Client{Transport: authTransport(authorization)}
	c, err := github.NewClient(hc).WithEnterpriseURLs(s.URL(), s.URL())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// authTransport sets a fixed Authorization header.
type authTransport string

func (a authTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if a != "" {
		r.Header.Set("Authorization", string(a))
	}
	return http.DefaultTransport.RoundTrip(r)
}

// jwt signs an App JWT for app id with key, as ghinstallation does.
func jwt(t testing.TB, key *rsa.PrivateKey, iss any) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	now := time.Now()
	signed := enc(map[string]string{"alg": "RS256", "typ": "JWT"}) + "." +
		enc(map[string]any{"iat": now.Add(-30 * time.Second).Unix(), "exp": now.Add(2 * time.Minute).Unix(), "iss": iss})
	digest := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// appClient is a go-github client authenticated as the App with a JWT.
func (w *world) appClient(t testing.TB) *github.Client {
	return client(t, w.s, "Bearer "+jwt(t, w.key, "1"))
}

// operationIDs lists the operation ids of the recorded calls.
func (s *Server) operationIDs() []string {
	var ids []string
	for _, c := range s.Calls() {
		ids = append(ids, c.OperationID)
	}
	return ids
}

// recordingTB captures Errorf, and Fatalf once captureFatal is set, so a test can assert
// that the fake reported a problem; everything else goes to the real test.
type recordingTB struct {
	testing.TB
	mu           sync.Mutex
	errors       []string
	captureFatal bool
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// Fatalf fails the real test, or, with captureFatal set, records and stops the calling
// goroutine as testing does; code that may reach it then runs through catchFatal.
func (r *recordingTB) Fatalf(format string, args ...any) {
	if !r.captureFatal {
		r.TB.Fatalf(format, args...)
	}
	r.Errorf(format, args...)
	runtime.Goexit()
}

// catchFatal runs f in its own goroutine and reports whether it stopped through Fatalf.
func catchFatal(f func()) (fatal bool) {
	done := make(chan bool)
	go func() {
		returned := false
		defer func() { done <- !returned }()
		f()
		returned = true
	}()
	return <-done
}

func (r *recordingTB) Helper() {}

// reported returns the captured messages.
func (r *recordingTB) reported() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errors...)
}

// statusOf is the HTTP status of a go-github response, 0 without one.
func statusOf(resp *github.Response) int {
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}

// must fails t on a go-github error.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// equal fails t when got differs from want, comparing their JSON renderings.
func equal(t testing.TB, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s = %s, want %s", what, g, w)
	}
}

// contains reports whether one of msgs contains every part.
func contains(msgs []string, parts ...string) bool {
	for _, m := range msgs {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(m, p)
		}
		if all {
			return true
		}
	}
	return false
}

func itoa(n int64) string { return fmt.Sprint(n) }

// decodeBase64 decodes GitHub's line-wrapped base64.
func decodeBase64(t testing.TB, s string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
