package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imagebot/imagebot/internal/fakegithub"
)

// lockedBuffer is a bytes.Buffer that a running command writes to while
// the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// setupRun is one `imagebot setup` running in the test.
type setupRun struct {
	base   string // setup's page, http://127.0.0.1:port
	stdout *lockedBuffer
	stderr *lockedBuffer
	code   chan int
}

var openLine = regexp.MustCompile(`Open (http://127\.0\.0\.1:\d+)/ in a browser`)

func startSetup(t *testing.T, args ...string) *setupRun {
	t.Helper()
	r := &setupRun{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, code: make(chan int, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() {
		r.code <- run(ctx, append([]string{"setup", "--listen", "127.0.0.1:0"}, args...), r.stdout, r.stderr)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := openLine.FindStringSubmatch(r.stdout.String()); m != nil {
			r.base = m[1]
			return r
		}
		select {
		case code := <-r.code:
			t.Fatalf("setup exited %d before serving its page: %s", code, r.stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("setup did not say where its page is")
		}
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

var (
	formAction    = regexp.MustCompile(`<form action="([^"]*)" method="post">`)
	manifestInput = regexp.MustCompile(`<input type="hidden" name="manifest" value="([^"]*)">`)
)

// TestSetupEndToEnd registers the App against the fake GitHub as a browser
// would: the page's form, GitHub's redirect to the callback (first with a
// state that is not setup's), the code's conversion, the file and the next
// steps.
func TestSetupEndToEnd(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		path       string // of the form's action, on GitHub
		content    string // the manifest's contents permission
		enterprise bool   // no GITHUB_API_URL: the API is --github-url's /api/v3/
	}{
		{"personal account", nil, "/settings/apps/new", "read", false},
		{"organization, with bump pull requests", []string{"--org", "example-hub", "--bump-prs"}, "/organizations/example-hub/settings/apps/new", "write", false},
		{"GitHub Enterprise Server", nil, "/settings/apps/new", "read", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gh := fakegithub.New(t, fakegithub.WithApp(4242, "imagebot-example"))
			githubURL := "https://github.example.org"
			if tt.enterprise {
				githubURL = strings.TrimSuffix(gh.URL(), "/")
				t.Setenv("GITHUB_API_URL", "")
			} else {
				t.Setenv("GITHUB_API_URL", gh.URL())
			}
			out := filepath.Join(t.TempDir(), "imagebot-app.env")
			r := startSetup(t, append([]string{"--github-url", githubURL, "--webhook-url", "https://imagebot.example.org/api/github/webhooks", "--out", out}, tt.args...)...)

			status, page := get(t, r.base+"/")
			action, manifestJSON := formAction.FindStringSubmatch(page), manifestInput.FindStringSubmatch(page)
			if status != http.StatusOK || action == nil || manifestJSON == nil {
				t.Fatalf("setup's page (%d) has no form posting a manifest:\n%s", status, page)
			}
			gotAction := html.UnescapeString(action[1])
			prefix := githubURL + tt.path + "?state="
			state, ok := strings.CutPrefix(gotAction, prefix)
			if !ok || !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(state) {
				t.Fatalf("the form posts to %q, want %s<64 hex digits>", gotAction, prefix)
			}
			var manifest map[string]any
			if err := json.Unmarshal([]byte(html.UnescapeString(manifestJSON[1])), &manifest); err != nil {
				t.Fatalf("the manifest field is not JSON: %v", err)
			}
			wantHook := map[string]any{"url": "https://imagebot.example.org/api/github/webhooks", "active": true}
			perms := manifest["default_permissions"].(map[string]any)
			if manifest["name"] != "imagebot" || manifest["redirect_url"] != r.base+"/callback" ||
				!reflect.DeepEqual(manifest["hook_attributes"], wantHook) || perms["contents"] != tt.content || perms["pull_requests"] != "write" {
				t.Errorf("manifest: %v", manifest)
			}

			// A callback that is not this setup's gets 4xx, and nothing else happens.
			for _, q := range []string{"?code=abc&state=" + strings.Repeat("0", 64), "?code=abc", "?state=" + state + "&code=a/b"} {
				if status, _ := get(t, r.base+"/callback"+q); status != http.StatusBadRequest {
					t.Errorf("callback%s answered %d, want 400", q, status)
				}
			}
			if calls := gh.Calls(); len(calls) != 0 {
				t.Errorf("a refused callback called GitHub: %v", calls)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a refused callback wrote %s", out)
			}

			const pemText = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n"
			gh.AddManifestCode("c0de", fakegithub.AppCredentials{ClientID: "Iv1.x", ClientSecret: "cs", WebhookSecret: "whsec-123", PEM: pemText})
			if status, body := get(t, r.base+"/callback?code=c0de&state="+state); status != http.StatusOK {
				t.Fatalf("the callback answered %d: %s", status, body)
			}
			select {
			case code := <-r.code:
				if code != 0 {
					t.Fatalf("setup exited %d: %s", code, r.stderr.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatal("setup did not exit after the callback")
			}
			calls := gh.Calls()
			if len(calls) != 1 || calls[0].OperationID != "apps/create-from-manifest" || calls[0].Path != "/app-manifests/c0de/conversions" {
				t.Errorf("calls to GitHub: %+v, want one apps/create-from-manifest", calls)
			}

			info, err := os.Stat(out)
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode().Perm() != 0o600 {
				t.Errorf("%s has mode %v, want 0600", out, info.Mode().Perm())
			}
			env := sourceEnv(t, out)
			want := map[string]string{"GITHUB_APP_ID": "4242", "GITHUB_APP_SLUG": "imagebot-example",
				"GITHUB_WEBHOOK_SECRET": "whsec-123", "GITHUB_APP_PRIVATE_KEY": strings.TrimSpace(pemText)}
			if !reflect.DeepEqual(env, want) {
				t.Errorf("the shell reads %s as %q, want %q", out, env, want)
			}
			steps := r.stdout.String()
			for _, line := range []string{
				"kubectl create secret generic imagebot-github --namespace imagebot",
				"helm install imagebot deploy/helm/imagebot --namespace imagebot",
				"--set 'ingress.hosts[0]=imagebot.example.org'",
				"/installations/new",
			} {
				if !strings.Contains(steps, line) {
					t.Errorf("the next steps lack %q:\n%s", line, steps)
				}
			}
			chartReads(t, steps)
		})
	}
}

// sourceEnv reads an environment file the way the next steps tell the
// operator to: with the shell's "." command.
func sourceEnv(t *testing.T, path string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, name := range []string{"GITHUB_APP_ID", "GITHUB_APP_SLUG", "GITHUB_WEBHOOK_SECRET", "GITHUB_APP_PRIVATE_KEY"} {
		out, err := exec.Command("sh", "-c", `set -a; . "$1"; printf %s "$(printenv "$2")"`, "sh", path, name).Output()
		if err != nil {
			t.Fatalf("sh cannot read %s: %v", path, err)
		}
		env[name] = string(out)
	}
	return env
}

var fromLiteral = regexp.MustCompile(`--from-literal=([a-z-]+)=`)

// chartReads checks that the Secret keys the next steps create are the
// keys the Helm chart reads, in the Secret it reads by default.
func chartReads(t *testing.T, steps string) {
	t.Helper()
	deployment, err := os.ReadFile("../../deploy/helm/imagebot/templates/deployment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	values, err := os.ReadFile("../../deploy/helm/imagebot/values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(values), "existingSecret: "+chartSecret+"\n") {
		t.Errorf("the chart's values.yaml does not read the App from the Secret %s", chartSecret)
	}
	keys := fromLiteral.FindAllStringSubmatch(steps, -1)
	if len(keys) != 3 {
		t.Fatalf("the next steps create %d Secret keys, want 3", len(keys))
	}
	for _, k := range keys {
		if !strings.Contains(string(deployment), "key: "+k[1]+"\n") {
			t.Errorf("the chart does not read the Secret key %q", k[1])
		}
	}
}

func TestSetupUsage(t *testing.T) {
	existing := filepath.Join(t.TempDir(), "app.env")
	if err := os.WriteFile(existing, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	hook := "--webhook-url=https://imagebot.example.org/api/github/webhooks"
	tests := []struct {
		args []string
		want string
	}{
		{nil, "imagebot: setup needs --webhook-url, the address where GitHub will deliver events to imagebot, such as https://imagebot.example.org/api/github/webhooks (the chart's Ingress host)\n"},
		{[]string{"--webhook-url", "imagebot.example.org"}, "imagebot: --webhook-url must be an https:// URL such as https://imagebot.example.org/api/github/webhooks\n"},
		{[]string{hook, "--org", "no/such"}, "imagebot: --org \"no/such\" is not a GitHub organization name\n"},
		{[]string{hook, "--github-url", "github.com"}, "imagebot: --github-url must be GitHub's address, such as https://github.com or https://github.example.org\n"},
		{[]string{hook, "--out", existing}, "imagebot: " + existing + " already exists; move it away or choose another --out, so that no App's keys are overwritten\n"},
		{[]string{hook, "extra"}, "imagebot: setup takes only flags; got \"extra\"\n"},
	}
	for _, tt := range tests {
		code, _, stderr := runCmd(t, append([]string{"setup"}, tt.args...)...)
		if code != exitUsage || stderr != tt.want {
			t.Errorf("setup %q: exit %d, stderr %q; want 2, %q", tt.args, code, stderr, tt.want)
		}
	}
}

func TestAPIBaseURL(t *testing.T) {
	tests := []struct{ env, githubURL, want string }{
		{"", "https://github.com", "https://api.github.com/"},
		{"", "https://github.example.org", "https://github.example.org/api/v3/"},
		{"http://127.0.0.1:9/api", "https://github.com", "http://127.0.0.1:9/api/"},
	}
	for _, tt := range tests {
		t.Setenv("GITHUB_API_URL", tt.env)
		if got := apiBaseURL(tt.githubURL); got != tt.want {
			t.Errorf("apiBaseURL(%q) with GITHUB_API_URL=%q = %q, want %q", tt.githubURL, tt.env, got, tt.want)
		}
	}
}
