package githubapp

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/internal/fakegithub"
)

// The App every test acts for, on the fake GitHub.
const (
	testAppID          = 4242
	testInstallationID = 77
	testOwner          = "octo"
	testRepo           = "image"
)

// testKey is the App's RSA key, made once for the package's tests.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return key
})

// testPEM is testKey in the PKCS #1 PEM form GitHub hands out.
func testPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(testKey())})
}

// app is a fake GitHub on which the App is installed on one repository.
type app struct {
	srv  *fakegithub.Server
	repo *fakegithub.Repo
	head string // the commit at main
}

func newApp(t *testing.T) *app {
	t.Helper()
	srv := fakegithub.New(t, fakegithub.WithApp(testAppID, "imagebot"), fakegithub.WithAppKey(&testKey().PublicKey))
	repo := srv.AddRepo(testOwner, testRepo)
	head := repo.Commit("main", map[string]string{"environment.yml": "dependencies: [python]\n"})
	srv.AddInstallation(testInstallationID, testOwner, repo)
	return &app{srv: srv, repo: repo, head: head}
}

// creator makes a ClientCreator for the fake, with cfg's middleware and
// timeout.
func (a *app) creator(t *testing.T, cfg Config) ClientCreator {
	t.Helper()
	cfg.AppID, cfg.PrivateKey = testAppID, testPEM()
	if cfg.BaseURL == "" {
		cfg.BaseURL = a.srv.URL()
	}
	cc, err := NewClientCreator(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cc
}

// installation is the installation's client.
func installation(t *testing.T, cc ClientCreator) *github.Client {
	t.Helper()
	gh, err := cc.NewInstallationClient(testInstallationID)
	if err != nil {
		t.Fatal(err)
	}
	return gh
}

// calls counts the fake's calls of an operation.
func (a *app) calls(operationID string) int {
	n := 0
	for _, c := range a.srv.Calls() {
		if c.OperationID == operationID {
			n++
		}
	}
	return n
}

// stamp is test middleware standing for GitHub's own headers, which the fake
// does not send: each response without X-RateLimit-Remaining gets one
// counting down from 4999, and each gets X-GitHub-Request-Id req-N. It
// records the Authorization header of every request.
type stamp struct {
	mu             sync.Mutex
	n              int
	authorizations []string
}

func (s *stamp) middleware(next http.RoundTripper) http.RoundTripper {
	return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
		s.mu.Lock()
		s.authorizations = append(s.authorizations, req.Header.Get("Authorization"))
		s.mu.Unlock()
		resp, err := next.RoundTrip(req)
		if err != nil {
			return resp, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.n++
		resp.Header.Set("X-GitHub-Request-Id", "req-"+strconv.Itoa(s.n))
		if resp.Header.Get("X-RateLimit-Remaining") == "" {
			resp.Header.Set("X-RateLimit-Remaining", strconv.Itoa(5000-s.n))
		}
		return resp, nil
	})
}

var ctx = context.Background()
