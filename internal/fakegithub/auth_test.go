package fakegithub

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
)

func TestAuthentication(t *testing.T) {
	other, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name          string
		authorization func(w *world) string
		call          func(w *world, c *github.Client) (*github.Response, error)
		wantStatus    int
		wantError     string
	}{
		{
			name:          "no credentials",
			authorization: func(*world) string { return "" },
			call:          getWorldRepo,
			wantStatus:    http.StatusUnauthorized,
			wantError:     "Requires authentication",
		},
		{
			name:          "unknown token",
			authorization: func(*world) string { return "token ghs_unknown" },
			call:          getWorldRepo,
			wantStatus:    http.StatusUnauthorized,
			wantError:     "Bad credentials",
		},
		{
			name:          "app JWT on a repository operation",
			authorization: func(w *world) string { return "Bearer " + jwt(t, w.key, "1") },
			call:          getWorldRepo,
			wantStatus:    http.StatusUnauthorized,
			wantError:     "Bad credentials",
		},
		{
			name:          "installation token on an app operation",
			authorization: func(w *world) string { return "Bearer " + w.token },
			call:          getWorldInstallation,
			wantStatus:    http.StatusUnauthorized,
			wantError:     "A JSON web token could not be decoded",
		},
		{
			name:          "JWT of another app",
			authorization: func(w *world) string { return "Bearer " + jwt(t, w.key, "2") },
			call:          getWorldInstallation,
			wantStatus:    http.StatusUnauthorized,
			wantError:     "'Issuer' claim ('iss') must be the App id 1, got \"2\"",
		},
		{
			name:          "JWT signed with another key",
			authorization: func(w *world) string { return "Bearer " + jwt(t, other, "1") },
			call:          getWorldInstallation,
			wantStatus:    http.StatusUnauthorized,
			wantError:     "'Signature' could not be verified with the App's public key",
		},
		{
			name:          "JWT with a numeric issuer",
			authorization: func(w *world) string { return "Bearer " + jwt(t, w.key, 1) },
			call:          getWorldInstallation,
			wantStatus:    http.StatusOK,
		},
		{
			name:          "write to a repository outside the installation",
			authorization: func(w *world) string { return "token " + w.token },
			call: func(w *world, c *github.Client) (*github.Response, error) {
				w.s.AddRepo("someone", "elsewhere").Commit("main", map[string]string{"a": "b"})
				_, resp, err := c.Issues.CreateComment(w.ctx, "someone", "elsewhere", 1, &github.IssueComment{Body: github.String("hi")})
				return resp, err
			},
			wantStatus: http.StatusForbidden,
			wantError:  "Resource not accessible by integration",
		},
		{
			name:          "write after the repository left the installation",
			authorization: func(w *world) string { return "token " + w.token },
			call: func(w *world, c *github.Client) (*github.Response, error) {
				w.inst.RemoveRepos(w.repo)
				_, resp, err := c.Issues.CreateComment(w.ctx, worldOwner, worldName, w.pr, &github.IssueComment{Body: github.String("hi")})
				return resp, err
			},
			wantStatus: http.StatusForbidden,
			wantError:  "Resource not accessible by integration",
		},
		{
			name:          "read of a public repository outside the installation",
			authorization: func(w *world) string { return "token " + w.token },
			call: func(w *world, c *github.Client) (*github.Response, error) {
				w.s.AddRepo("someone", "elsewhere")
				_, resp, err := c.Repositories.Get(w.ctx, "someone", "elsewhere")
				return resp, err
			},
			wantStatus: http.StatusOK,
		},
		{
			name:          "write with a token restricted to another repository",
			authorization: func(w *world) string { return "" },
			call: func(w *world, _ *github.Client) (*github.Response, error) {
				config := w.s.AddRepo(worldOwner, "hub-config")
				config.Commit("main", map[string]string{"values.yaml": "tag: a\n"})
				w.inst.AddRepos(config)
				tok, _, err := w.appClient(t).Apps.CreateInstallationToken(w.ctx, installation, &github.InstallationTokenOptions{Repositories: []string{"hub-config"}})
				if err != nil {
					return nil, err
				}
				c := client(t, w.s, "token "+tok.GetToken())
				_, resp, err := c.Issues.CreateComment(w.ctx, worldOwner, worldName, w.pr, &github.IssueComment{Body: github.String("hi")})
				return resp, err
			},
			wantStatus: http.StatusForbidden,
			wantError:  "Resource not accessible by integration",
		},
		{
			name:          "token for a repository outside the installation",
			authorization: func(w *world) string { return "" },
			call: func(w *world, _ *github.Client) (*github.Response, error) {
				w.s.AddRepo(worldOwner, "not-installed")
				_, resp, err := w.appClient(t).Apps.CreateInstallationToken(w.ctx, installation, &github.InstallationTokenOptions{Repositories: []string{"not-installed"}})
				return resp, err
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantError:  "There is at least one repository that does not exist or is not accessible to the parent installation.",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			resp, err := tc.call(w, client(t, w.s, tc.authorization(w)))
			equal(t, "status", statusOf(resp), tc.wantStatus)
			switch {
			case tc.wantError == "" && err != nil:
				t.Errorf("error = %v", err)
			case tc.wantError != "" && (err == nil || !strings.Contains(err.Error(), tc.wantError)):
				t.Errorf("error = %v, want one containing %q", err, tc.wantError)
			}
		})
	}
}

func getWorldRepo(w *world, c *github.Client) (*github.Response, error) {
	_, resp, err := c.Repositories.Get(w.ctx, worldOwner, worldName)
	return resp, err
}

func getWorldInstallation(w *world, c *github.Client) (*github.Response, error) {
	_, resp, err := c.Apps.GetInstallation(w.ctx, installation)
	return resp, err
}

// TestGhinstallation authenticates through ghinstallation as the App will: it signs a JWT,
// exchanges it for an installation token once, and reuses the token. ghinstallation
// decides when to refresh by the real clock, so the server runs on it too.
func TestGhinstallation(t *testing.T) {
	w := newWorld(t, WithClock(time.Now))
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(w.key)})
	for _, tc := range []struct {
		name    string
		baseURL string
	}{
		{name: "bare base URL", baseURL: strings.TrimSuffix(w.s.URL(), "/")},
		{name: "enterprise base URL", baseURL: w.s.URL() + "api/v3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w.s.Reset()
			itr, err := ghinstallation.New(http.DefaultTransport, 1, installation, pemKey)
			must(t, err)
			itr.BaseURL = tc.baseURL
			c := github.NewClient(&http.Client{Transport: itr})
			c, err = c.WithEnterpriseURLs(tc.baseURL+"/", tc.baseURL+"/")
			must(t, err)
			for range 2 {
				_, _, err := c.Repositories.Get(w.ctx, worldOwner, worldName)
				must(t, err)
			}
			atr, err := ghinstallation.NewAppsTransport(http.DefaultTransport, 1, pemKey)
			must(t, err)
			atr.BaseURL = tc.baseURL
			ac, err := github.NewClient(&http.Client{Transport: atr}).WithEnterpriseURLs(tc.baseURL+"/", tc.baseURL+"/")
			must(t, err)
			in, _, err := ac.Apps.GetInstallation(w.ctx, installation)
			must(t, err)
			equal(t, "installation", in.GetID(), int64(installation))
			equal(t, "token requests", w.s.InstallationTokens(), 1)
			equal(t, "reads", len(w.s.Reads()), 3)
			equal(t, "operations", w.s.operationIDs(), []string{"apps/create-installation-access-token", "repos/get", "repos/get", "apps/get-installation"})
		})
	}
}
