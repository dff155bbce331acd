// Package testhub runs a real JupyterHub for tests: Debian's jupyterhub
// package (3.0) with its configurable-http-proxy, on loopback ports, with
// the dummy authenticator, a local-process spawner whose single-user server
// either starts (a tiny server that answers the hub) or exits with code 1
// at once (a broken image), and two API tokens: one with the scope
// read:metrics, as imagebot's, and one that may start servers, for the
// test. It is used only by tests.
package testhub

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// RequireEnv, set to 1, turns a missing JupyterHub into a failure instead
// of a skip, so that CI cannot silently leave these tests out.
const RequireEnv = "IMAGEBOT_REQUIRE_JUPYTERHUB"

// startTimeout is how long the hub and its proxy may take to answer; on a
// busy 2-core machine they take 7 to 20 seconds.
const startTimeout = 2 * time.Minute

// Image is what the hub's single-user servers run.
type Image int

const (
	// Working servers start and answer the hub.
	Working Image = iota
	// Broken servers exit with code 1 at once, as a server whose Python
	// cannot import a module does.
	Broken
)

// Hub is a running JupyterHub.
type Hub struct {
	// URL is the hub's public address (its proxy), "http://127.0.0.1:port".
	URL string
	// MetricsToken is an API token with the scope read:metrics only.
	MetricsToken string
	adminToken   string
	client       *http.Client
}

// Users are the hub's users; each can have one server.
var Users = []string{"alice", "bob", "carol", "dave", "erin", "frank"}

// singleUser plays the single-user server: "serve" answers every request
// at the address the hub gives in JUPYTERHUB_SERVICE_URL; "fail" exits 1.
const singleUser = `import http.server, os, sys, urllib.parse
if sys.argv[1] == "fail":
    sys.exit("ImportError: libsqlite3.so.0: version mismatch")
url = urllib.parse.urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")
    def log_message(self, *args):
        pass
http.server.HTTPServer((url.hostname, url.port), Handler).serve_forever()
`

// config is jupyterhub_config.py; every value comes in as JSON, which is
// Python.
const config = `c = get_config()
c.JupyterHub.bind_url = %[1]s
c.JupyterHub.hub_bind_url = %[2]s
c.ConfigurableHTTPProxy.api_url = %[3]s
c.ConfigurableHTTPProxy.pid_file = %[4]s
c.JupyterHub.db_url = %[5]s
c.JupyterHub.cookie_secret_file = %[6]s
c.JupyterHub.pid_file = %[7]s
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = set(%[8]s)
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = %[9]s
c.Spawner.cmd = %[10]s
c.Spawner.http_timeout = 3
c.Spawner.start_timeout = 10
# Answer a spawn request at once (202), as hubs whose servers take a while
# to start do, so that a failure is counted once.
c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 0}
c.JupyterHub.services = [
    {"name": "imagebot", "api_token": %[11]s},
    {"name": "test", "api_token": %[12]s},
]
c.JupyterHub.load_roles = [
    {"name": "metrics", "scopes": ["read:metrics"], "services": ["imagebot"]},
    {"name": "spawner", "scopes": ["admin:users", "admin:servers", "servers", "read:metrics"], "services": ["test"]},
]
`

// Start starts a hub whose servers run image, and stops it, with its proxy
// and servers, when the test ends. It skips the test when Debian's
// jupyterhub is not installed, unless RequireEnv is set.
func Start(t *testing.T, image Image) *Hub {
	t.Helper()
	bin, err := exec.LookPath("jupyterhub")
	if err == nil {
		_, err = exec.LookPath("configurable-http-proxy")
	}
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%s=1, but JupyterHub is not installed: %v", RequireEnv, err)
		}
		t.Skipf("JupyterHub is not installed (apt-get install -y jupyterhub); set %s=1 to require it", RequireEnv)
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "singleuser.py")
	if err := os.WriteFile(script, []byte(singleUser), 0o600); err != nil {
		t.Fatal(err)
	}
	mode := "serve"
	if image == Broken {
		mode = "fail"
	}
	h := &Hub{URL: "http://" + freeAddr(t), MetricsToken: token(t), adminToken: token(t),
		client: &http.Client{Timeout: 10 * time.Second}}
	q := func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	text := fmt.Sprintf(config, q(h.URL), q("http://"+freeAddr(t)), q("http://"+freeAddr(t)),
		q(filepath.Join(dir, "proxy.pid")), q("sqlite:///"+filepath.Join(dir, "jupyterhub.sqlite")),
		q(filepath.Join(dir, "cookie_secret")), q(filepath.Join(dir, "hub.pid")), q(Users),
		q(filepath.Join(dir, "home", "{username}")), q([]string{"python3", script, mode}),
		q(h.MetricsToken), q(h.adminToken))
	configPath := filepath.Join(dir, "jupyterhub_config.py")
	if err := os.WriteFile(configPath, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "jupyterhub.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd := exec.Command(bin, "-f", configPath)
	cmd.Dir = dir
	// Debian's configurable-http-proxy finds its modules under
	// /usr/share/nodejs, which a Node.js from elsewhere does not search.
	cmd.Env = append(os.Environ(), "NODE_PATH=/usr/share/nodejs:/usr/lib/nodejs")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Its own process group: the proxy and the servers it starts are
	// stopped with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
		}
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
		if t.Failed() {
			out, _ := os.ReadFile(logPath)
			t.Logf("JupyterHub's log:\n%s", out)
		}
	})
	deadline := time.Now().Add(startTimeout)
	for {
		if _, err := h.Version(); err == nil {
			return h
		}
		select {
		case <-exited:
			out, _ := os.ReadFile(logPath)
			t.Fatalf("JupyterHub exited before it served:\n%s", out)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(logPath)
			t.Fatalf("JupyterHub did not answer at %s within %s:\n%s", h.URL, startTimeout, out)
		}
	}
}

// Version asks the hub its version, as GET /hub/api/ answers it.
func (h *Hub) Version() (string, error) {
	body, err := h.call(http.MethodGet, "/hub/api/", "")
	if err != nil {
		return "", err
	}
	var v struct{ Version string }
	if err := json.Unmarshal(body, &v); err != nil {
		return "", err
	}
	return v.Version, nil
}

// Spawn asks the hub to start user's server, through its REST API.
func (h *Hub) Spawn(t *testing.T, user string) {
	t.Helper()
	if _, err := h.call(http.MethodPost, "/hub/api/users/"+user+"/server", h.adminToken); err != nil {
		t.Fatalf("spawn %s's server: %v", user, err)
	}
}

// Spawns reads the hub's spawn counters, success and failure, from its
// /hub/metrics.
func (h *Hub) Spawns(t *testing.T) (success, failure int) {
	t.Helper()
	body, err := h.call(http.MethodGet, "/hub/metrics", h.adminToken)
	if err != nil {
		t.Fatalf("read metrics: %v", err)
	}
	for _, line := range strings.Split(string(body), "\n") {
		var n float64
		if _, err := fmt.Sscanf(line, `jupyterhub_server_spawn_duration_seconds_count{status="success"} %g`, &n); err == nil {
			success = int(n)
		}
		if _, err := fmt.Sscanf(line, `jupyterhub_server_spawn_duration_seconds_count{status="failure"} %g`, &n); err == nil {
			failure = int(n)
		}
	}
	return success, failure
}

func (h *Hub) call(method, path, token string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, h.URL+path, nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "token "+token)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, body)
	}
	return body, nil
}

// freeAddr returns a "127.0.0.1:port" that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// token returns a random API token.
func token(t *testing.T) string {
	t.Helper()
	f, err := os.Open("/dev/urandom")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 16)
	if _, err := io.ReadFull(f, b); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", b)
}
