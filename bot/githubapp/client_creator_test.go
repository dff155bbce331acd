package githubapp

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/internal/fakegithub"
)

func TestNewClientCreatorChecksConfig(t *testing.T) {
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	rsaPKCS8, err := x509.MarshalPKCS8PrivateKey(testKey())
	if err != nil {
		t.Fatal(err)
	}
	pemOf := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }
	for _, tc := range []struct {
		name    string
		cfg     Config
		wantErr string // "" for a valid configuration
	}{
		{name: "PKCS #1 key, default base URL", cfg: Config{AppID: 1, PrivateKey: testPEM()}},
		{name: "PKCS #8 RSA key", cfg: Config{AppID: 1, PrivateKey: pemOf("PRIVATE KEY", rsaPKCS8)}},
		{name: "Enterprise base URL without the trailing slash", cfg: Config{AppID: 1, PrivateKey: testPEM(), BaseURL: "https://ghe.example.com/api/v3"}},
		{name: "no App id", cfg: Config{PrivateKey: testPEM()}, wantErr: "githubapp: the App id must be positive, got 0"},
		{name: "no key", cfg: Config{AppID: 1}, wantErr: "githubapp: private key is not PEM-encoded"},
		{
			name:    "a certificate instead of a key",
			cfg:     Config{AppID: 1, PrivateKey: pemOf("CERTIFICATE", []byte("x"))},
			wantErr: "githubapp: private key: the PEM block is a CERTIFICATE, not an RSA private key",
		},
		{
			name:    "a truncated PKCS #1 key",
			cfg:     Config{AppID: 1, PrivateKey: pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(testKey())[:200])},
			wantErr: "githubapp: private key: malformed PKCS #1 RSA key",
		},
		{
			name:    "an ECDSA key",
			cfg:     Config{AppID: 1, PrivateKey: pemOf("PRIVATE KEY", ecDER)},
			wantErr: "githubapp: private key: GitHub Apps sign with RSA keys, and this key is not one",
		},
		{
			name:    "a base URL that is not http",
			cfg:     Config{AppID: 1, PrivateKey: testPEM(), BaseURL: "ftp://ghe.example.com/api/v3/"},
			wantErr: "githubapp: the base URL must be an absolute http or https URL without credentials, such as https://api.github.com/",
		},
		{
			name:    "a base URL with credentials, which the error must not repeat",
			cfg:     Config{AppID: 1, PrivateKey: testPEM(), BaseURL: "https://bot:hunter2@ghe.example.com/api/v3/"},
			wantErr: "githubapp: the base URL must be an absolute http or https URL without credentials, such as https://api.github.com/",
		},
		{
			name:    "a relative base URL",
			cfg:     Config{AppID: 1, PrivateKey: testPEM(), BaseURL: "/api/v3/"},
			wantErr: "githubapp: the base URL must be an absolute http or https URL without credentials, such as https://api.github.com/",
		},
		{
			name:    "a negative timeout",
			cfg:     Config{AppID: 1, PrivateKey: testPEM(), Timeout: -1},
			wantErr: "githubapp: the timeout must not be negative, got -1ns",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cc, err := NewClientCreator(tc.cfg)
			if tc.wantErr == "" {
				if err != nil || cc == nil {
					t.Fatalf("NewClientCreator: %v", err)
				}
				return
			}
			if err == nil || err.Error() != tc.wantErr {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestClientBaseURL(t *testing.T) {
	for _, tc := range []struct{ baseURL, want string }{
		{"", "https://api.github.com/"},
		{"https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/"},
		{"https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3/"},
	} {
		cc, err := NewClientCreator(Config{AppID: 1, PrivateKey: testPEM(), BaseURL: tc.baseURL})
		if err != nil {
			t.Fatal(err)
		}
		appGH, _ := cc.NewAppClient()
		instGH, _ := cc.NewInstallationClient(3)
		for name, gh := range map[string]*github.Client{"app": appGH, "installation": instGH} {
			if got := gh.BaseURL.String(); got != tc.want {
				t.Errorf("%q: %s client BaseURL %s, want %s", tc.baseURL, name, got, tc.want)
			}
			if gh.UserAgent != "imagebot" {
				t.Errorf("%s client UserAgent %q", name, gh.UserAgent)
			}
		}
	}
}

func TestAppClient(t *testing.T) {
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		serverKey  *rsa.PublicKey
		wantStatus int
	}{
		{name: "GitHub holds the App's public key", serverKey: &testKey().PublicKey, wantStatus: http.StatusOK},
		{name: "GitHub holds another key", serverKey: &otherKey.PublicKey, wantStatus: http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakegithub.New(t, fakegithub.WithApp(testAppID, "imagebot"), fakegithub.WithAppKey(tc.serverKey))
			srv.AddInstallation(testInstallationID, testOwner, srv.AddRepo(testOwner, testRepo))
			cc, err := NewClientCreator(Config{AppID: testAppID, PrivateKey: testPEM(), BaseURL: srv.URL()})
			if err != nil {
				t.Fatal(err)
			}
			gh, err := cc.NewAppClient()
			if err != nil {
				t.Fatal(err)
			}
			again, _ := cc.NewAppClient()
			if again != gh {
				t.Error("NewAppClient made a second client")
			}
			inst, resp, err := gh.Apps.GetInstallation(ctx, testInstallationID)
			if resp == nil || resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %v (%v), want %d", resp, err, tc.wantStatus)
			}
			if tc.wantStatus == http.StatusOK && inst.GetID() != testInstallationID {
				t.Errorf("installation %d, want %d", inst.GetID(), testInstallationID)
			}
			if n := srv.InstallationTokens(); n != 0 {
				t.Errorf("the App client requested %d installation tokens", n)
			}
		})
	}
}

func TestInstallationClient(t *testing.T) {
	for _, tc := range []struct{ name, suffix string }{
		{name: "the fake's API root", suffix: ""},
		{name: "an Enterprise Server API root", suffix: "api/v3/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(t)
			cc := a.creator(t, Config{BaseURL: a.srv.URL() + tc.suffix})
			gh := installation(t, cc)
			if again := installation(t, cc); again != gh {
				t.Error("a second NewInstallationClient for the same installation made a new client")
			}
			other, err := cc.NewInstallationClient(testInstallationID + 1)
			if err != nil || other == gh {
				t.Errorf("another installation's client: %p, %v; want a new client", other, err)
			}
			if _, _, err := gh.Repositories.Get(ctx, testOwner, testRepo); err != nil {
				t.Fatal(err)
			}
			if _, _, err := gh.Git.GetRef(ctx, testOwner, testRepo, "heads/main"); err != nil {
				t.Fatal(err)
			}
			run, _, err := installation(t, cc).Checks.CreateCheckRun(ctx, testOwner, testRepo, github.CreateCheckRunOptions{Name: "lockfile-present", HeadSHA: a.head})
			if err != nil {
				t.Fatal(err)
			}
			if run.GetApp().GetID() != testAppID {
				t.Errorf("check run by app %d, want %d", run.GetApp().GetID(), testAppID)
			}
			var ops []string
			for _, c := range a.srv.Calls() {
				ops = append(ops, c.OperationID)
			}
			want := []string{"apps/create-installation-access-token", "repos/get", "git/get-ref", "checks/create"}
			if !slices.Equal(ops, want) {
				t.Errorf("calls %q, want %q", ops, want)
			}
			if n := a.srv.InstallationTokens(); n != 1 {
				t.Errorf("%d installation tokens requested for three calls, want 1", n)
			}
		})
	}
}

func TestNewInstallationClientRejectsBadIDs(t *testing.T) {
	cc, err := NewClientCreator(Config{AppID: 1, PrivateKey: testPEM()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id   int64
		want string
	}{
		{0, "githubapp: installation ids are positive, got 0"},
		{-5, "githubapp: installation ids are positive, got -5"},
	} {
		if _, err := cc.NewInstallationClient(tc.id); err == nil || err.Error() != tc.want {
			t.Errorf("id %d: error %v, want %q", tc.id, err, tc.want)
		}
	}
}

// TestInstallationClientsConcurrently uses two installations from many
// goroutines (run with -race): one client and one token per installation.
func TestInstallationClientsConcurrently(t *testing.T) {
	a := newApp(t)
	a.srv.AddInstallation(testInstallationID+1, "other", a.repo)
	cc := a.creator(t, Config{})
	var wg sync.WaitGroup
	clients := make([]*github.Client, 16)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			gh, err := cc.NewInstallationClient(testInstallationID + int64(i%2))
			if err != nil {
				t.Error(err)
				return
			}
			clients[i] = gh
			if _, _, err := gh.Repositories.Get(ctx, testOwner, testRepo); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for i, gh := range clients {
		if gh != clients[i%2] {
			t.Errorf("goroutine %d got another client for installation %d", i, testInstallationID+i%2)
		}
	}
	if clients[0] == clients[1] {
		t.Error("two installations share a client")
	}
	if n := a.srv.InstallationTokens(); n != 2 {
		t.Errorf("%d installation tokens, want 2", n)
	}
}
