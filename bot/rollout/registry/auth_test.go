package registry_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/imagebot/imagebot/bot/rollout/registry"
	"github.com/imagebot/imagebot/internal/testregistry"
)

// tokenRegistry wraps a registry in the distribution token flow that Docker
// Hub, quay.io and ghcr.io use: /v2/ requests without a valid bearer token get
// 401 and a WWW-Authenticate Bearer challenge, and /token issues tokens.
type tokenRegistry struct {
	registry http.Handler
	// user and password, when set, make repositories private: only a token
	// asked for with them grants pull access, wrong ones get 401 from /token,
	// and an anonymous token grants nothing (the registry then answers 401,
	// as for a repository that does not exist).
	user, password string

	mu     sync.Mutex
	tokens map[string]bool // issued token → grants pull access
	asked  []string        // who asked /token: "anonymous" or "basic <user>"
}

func (s *tokenRegistry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path == "/token" {
		s.issue(w, req)
		return
	}
	s.mu.Lock()
	grants, known := s.tokens[strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer ")]
	s.mu.Unlock()
	if !known || (!grants && req.URL.Path != "/v2/") {
		challenge := fmt.Sprintf(`Bearer realm="http://%s/token",service="imagebot-test"`, req.Host)
		if repo, _, ok := strings.Cut(strings.TrimPrefix(req.URL.Path, "/v2/"), "/manifests/"); ok {
			challenge += fmt.Sprintf(`,scope="repository:%s:pull"`, repo)
		}
		w.Header().Set("WWW-Authenticate", challenge)
		http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`, http.StatusUnauthorized)
		return
	}
	s.registry.ServeHTTP(w, req)
}

func (s *tokenRegistry) issue(w http.ResponseWriter, req *http.Request) {
	user, password, basic := req.BasicAuth()
	s.mu.Lock()
	defer s.mu.Unlock()
	who := "anonymous"
	if basic {
		who = "basic " + user
	}
	s.asked = append(s.asked, who)
	if basic && (user != s.user || password != s.password) {
		http.Error(w, `{"details":"incorrect username or password"}`, http.StatusUnauthorized)
		return
	}
	token := fmt.Sprintf("token-%d", len(s.tokens)+1)
	s.tokens[token] = s.user == "" || basic
	json.NewEncoder(w).Encode(map[string]any{"token": token, "access_token": token, "expires_in": 300})
}

// revoke forgets every issued token, as tokens expire.
func (s *tokenRegistry) revoke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

func (s *tokenRegistry) takeAsked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	asked := s.asked
	s.asked = nil
	return asked
}

// newTokenRegistry serves a token-protected in-process registry with the
// fixtures pushed to it, and returns it with its host.
func newTokenRegistry(t *testing.T, user, password string) (*tokenRegistry, string, fixtures) {
	t.Helper()
	inner := testregistry.Quiet()
	f := pushFixtures(t, testregistry.Serve(t, inner)) // pushed past the token flow
	s := &tokenRegistry{registry: inner, user: user, password: password, tokens: map[string]bool{}}
	return s, testregistry.Serve(t, s), f
}

// keychain hands out one authenticator, which a test may change.
type keychain struct {
	mu   sync.Mutex
	auth authn.Authenticator
}

func (k *keychain) Resolve(authn.Resource) (authn.Authenticator, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.auth, nil
}

func (k *keychain) set(auth authn.Authenticator) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.auth = auth
}

func basicKeychain(user, password string) *keychain {
	return &keychain{auth: &authn.Basic{Username: user, Password: password}}
}

func TestResolveWithBearerTokens(t *testing.T) {
	tests := []struct {
		name           string
		user, password string         // the registry's; "" makes it public
		keychain       authn.Keychain // nil: the default keychain, with no credentials on disk
		wantErr        error
		wantMsg        string // with %s for the host
		wantAsked      []string
	}{
		{
			name:      "public image, anonymous token from the default keychain",
			wantAsked: []string{"anonymous"},
		},
		{
			name: "private image, the operator's credentials",
			user: "imagebot-reader", password: "s3cret-token",
			keychain:  basicKeychain("imagebot-reader", "s3cret-token"),
			wantAsked: []string{"basic imagebot-reader"},
		},
		{
			name: "private image, wrong credentials",
			user: "imagebot-reader", password: "s3cret-token",
			keychain:  basicKeychain("imagebot-reader", "expired-token"),
			wantErr:   registry.ErrUnauthorized,
			wantMsg:   "the registry %s refused imagebot's credentials for %[1]s/community/multi:" + tag + " (HTTP 401)",
			wantAsked: []string{"basic imagebot-reader"},
		},
		{
			name: "private image, no credentials",
			user: "imagebot-reader", password: "s3cret-token",
			wantErr:   registry.ErrUnauthorized,
			wantMsg:   "the registry %s refused anonymous access to %[1]s/community/multi:" + tag + " (HTTP 401): the repository is private, or it does not exist yet",
			wantAsked: []string{"anonymous", "anonymous"}, // the token is renewed once after the 401
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, host, f := newTokenRegistry(t, tt.user, tt.password)
			rec := newRecorder(t)
			opts := []registry.Option{}
			if tt.keychain != nil {
				opts = append(opts, registry.WithKeychain(tt.keychain))
			}
			r := newResolver(t, rec, opts...)
			ref := host + "/community/multi:" + tag
			want := registry.Digests{Digest: f.index, Platform: f.amd64, MediaType: ociIndex}
			wantMsg := ""
			if tt.wantErr != nil {
				want, wantMsg = registry.Digests{}, fmt.Sprintf(tt.wantMsg, host)
			}
			got, err := r.Resolve(context.Background(), ref)
			checkResult(t, got, err, want, tt.wantErr, wantMsg)
			checkRequests(t, "token requests", s.takeAsked(), tt.wantAsked)
			for _, secret := range []string{"s3cret-token", "expired-token"} {
				if err != nil && strings.Contains(err.Error(), secret) {
					t.Errorf("error %q shows a password", err)
				}
			}
			if tt.wantErr != nil {
				return
			}
			rec.take()
			got, err = r.Resolve(context.Background(), ref)
			checkResult(t, got, err, want, nil, "")
			checkRequests(t, "second call's requests, on the same token", all(rec.take()), []string{"HEAD /v2/community/multi/manifests/" + tag})
		})
	}
}

// TestResolveRenewsExpiredToken keeps a resolver across a token's expiry: the
// registry's 401 makes it fetch a new token and repeat the HEAD once.
func TestResolveRenewsExpiredToken(t *testing.T) {
	s, host, f := newTokenRegistry(t, "", "")
	rec := newRecorder(t)
	r := newResolver(t, rec)
	ref := host + "/community/single:" + tag
	want := registry.Digests{Digest: f.single, Platform: f.single, MediaType: dockerManifest}
	got, err := r.Resolve(context.Background(), ref)
	checkResult(t, got, err, want, nil, "")
	rec.take()

	s.revoke()
	got, err = r.Resolve(context.Background(), ref)
	checkResult(t, got, err, want, nil, "")
	head := "HEAD /v2/community/single/manifests/" + tag
	checkRequests(t, "requests after expiry", all(rec.take()), []string{head, "GET /token", head})
}

// TestResolvePicksUpRotatedCredentials rotates the registry's password while
// a resolver holds a session: once the registry refuses the old one, the
// next call resolves the keychain again and uses the new one.
func TestResolvePicksUpRotatedCredentials(t *testing.T) {
	s, host, f := newTokenRegistry(t, "imagebot-reader", "old-token")
	k := basicKeychain("imagebot-reader", "old-token")
	r := newResolver(t, newRecorder(t), registry.WithKeychain(k))
	ref := host + "/community/single:" + tag
	want := registry.Digests{Digest: f.single, Platform: f.single, MediaType: dockerManifest}
	refused := "the registry " + host + " refused imagebot's credentials for " + ref + " (HTTP 401)"

	steps := []struct {
		name     string
		change   func()
		wantErr  error
		wantMsg  string
		wantAsks []string
	}{
		{"the old password", func() {}, nil, "", []string{"basic imagebot-reader"}},
		{"rotated at the registry, and the token expired", func() {
			s.mu.Lock()
			s.password = "new-token"
			s.mu.Unlock()
			s.revoke()
		}, registry.ErrUnauthorized, refused, []string{"basic imagebot-reader"}},
		{"rotated in the keychain", func() { k.set(&authn.Basic{Username: "imagebot-reader", Password: "new-token"}) },
			nil, "", []string{"basic imagebot-reader"}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.change()
			got, err := r.Resolve(context.Background(), ref)
			wantDigests := want
			if st.wantErr != nil {
				wantDigests = registry.Digests{}
			}
			checkResult(t, got, err, wantDigests, st.wantErr, st.wantMsg)
			checkRequests(t, "token requests", s.takeAsked(), st.wantAsks)
		})
	}
}
