package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeStartsOrSaysWhyNot runs the binary: every start-up problem of
// the environment and of the operator's configuration on its own line, and
// exit 2; with a valid environment, one log line naming the configuration.
func TestServeStartsOrSaysWhyNot(t *testing.T) {
	bin := imagebotBinary(t)
	badConfig := writeFile(t, "config.yaml", "hubs:\n  - name: prod\n    url: https://prod.example.org\n")
	cmd := exec.Command(bin, "serve")
	cmd.Env = []string{"IMAGEBOT_CONFIG=" + badConfig, "GITHUB_APP_ID=1"}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("serve with a bad environment: %v, want exit 2", err)
	}
	want := "GITHUB_WEBHOOK_SECRET is required and must not be blank: imagebot refuses to accept webhooks it cannot verify; set it to the secret configured for the App's webhook (generate one with `openssl rand -hex 32`)\n" +
		"GITHUB_APP_PRIVATE_KEY (the PEM text) or GITHUB_APP_PRIVATE_KEY_FILE (its path) is required: generate a private key on the App's settings page\n" +
		badConfig + ":2: hubs[0]: give kubernetes, configRepo or both, so that imagebot can see which image the hub runs\n" +
		"imagebot: cannot start: 3 problems above\n"
	if stderr.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), want)
	}

	e := newEnv(t)
	config := writeFile(t, "imagebot.yaml", validOperatorConfig)
	addr := freeAddr(t)
	cmd = exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "GITHUB_APP_ID=1", "GITHUB_APP_PRIVATE_KEY="+e.pem, "GITHUB_WEBHOOK_SECRET=s",
		"GITHUB_API_URL="+e.gh.URL(), "IMAGEBOT_LISTEN="+addr, "IMAGEBOT_DATABASE_URL="+e.db, "IMAGEBOT_CONFIG="+config)
	logs := &lockedBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "imagebot to become ready", func() bool {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve did not stop cleanly on SIGTERM: %v\n%s", err, logs.String())
	}
	var found bool
	for _, line := range strings.Split(logs.String(), "\n") {
		var entry struct {
			Msg          string   `json:"msg"`
			Config       string   `json:"config"`
			Hubs         []string `json:"hubs"`
			Repositories []string `json:"repositories"`
		}
		if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "operator configuration" {
			found = entry.Config == config && strings.Join(entry.Hubs, ",") == "staging,climate" && strings.Join(entry.Repositories, ",") == "org/image"
		}
	}
	if !found {
		t.Errorf("no log line names the configuration with its hubs and repositories:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), `"level":"WARN","msg":"GITHUB_WEBHOOK_SECRET is only 1 characters long`) {
		t.Errorf("no warning about the one-character webhook secret:\n%s", logs.String())
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
