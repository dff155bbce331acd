// Package testregistry starts real container registries for tests: the
// in-process registry of go-containerregistry, and Debian's docker-registry
// (distribution 2.8) when it is installed, and pushes images to them. It
// is used only by tests.
package testregistry

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// DockerRegistryEnv names the Debian docker-registry binary to test
// against. Without it, tests use /usr/bin/docker-registry when it exists
// and skip otherwise; with it, a binary that does not start fails the
// test, so CI can require the real registry.
const DockerRegistryEnv = "IMAGEBOT_TEST_DOCKER_REGISTRY"

// ForEach runs test against the in-process registry, and against Debian's
// docker-registry when it is installed, each fresh and empty. host is the
// registry's "127.0.0.1:port".
func ForEach(t *testing.T, test func(t *testing.T, host string)) {
	t.Run("in-process", func(t *testing.T) { test(t, InProcess(t)) })
	t.Run("docker-registry", func(t *testing.T) { test(t, Docker(t)) })
}

// Quiet returns go-containerregistry's in-process registry, which logs nothing.
func Quiet() http.Handler {
	return ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))
}

// InProcess serves a fresh in-process registry until the test ends.
func InProcess(t *testing.T) string { return Serve(t, Quiet()) }

// Serve serves h on a loopback port until the test ends and returns its host.
func Serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// Docker starts Debian's docker-registry on a free loopback port, with its
// storage in a temporary directory, and kills it when the test ends. It
// skips the test when the binary is absent (see DockerRegistryEnv).
func Docker(t *testing.T) string {
	t.Helper()
	bin := os.Getenv(DockerRegistryEnv)
	if bin == "" {
		bin = "/usr/bin/docker-registry"
		if _, err := os.Stat(bin); err != nil {
			t.Skipf("Debian's docker-registry is not installed (apt-get install -y docker-registry), and %s is not set", DockerRegistryEnv)
		}
	}
	dir := t.TempDir()
	host := FreeLoopbackAddr(t)
	config := filepath.Join(dir, "config.yml")
	err := os.WriteFile(config, []byte(fmt.Sprintf(`version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: %s
http:
  addr: %s
`, filepath.Join(dir, "storage"), host)), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "registry.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd := exec.Command(bin, "serve", config)
	cmd.Env = []string{} // no REGISTRY_* variables from the environment override the config
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	client := &http.Client{Transport: &http.Transport{DialContext: DialLoopback}, Timeout: time.Second}
	defer client.CloseIdleConnections()
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := client.Get("http://" + host + "/v2/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return host
			}
		}
		select {
		case <-exited:
			out, _ := os.ReadFile(logPath)
			t.Fatalf("%s exited before serving:\n%s", bin, out)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(logPath)
			t.Fatalf("%s did not serve /v2/ on %s within 15s:\n%s", bin, host, out)
		}
	}
}

// FreeLoopbackAddr returns a "127.0.0.1:port" that was free a moment ago.
func FreeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// DialLoopback dials loopback addresses only, so a test never reaches
// another host.
func DialLoopback(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("test transport refuses to dial %s: tests reach loopback registries only", addr)
	}
	return (&net.Dialer{}).DialContext(ctx, network, addr)
}

// RandomImage returns a small random image.
func RandomImage(t *testing.T) v1.Image {
	t.Helper()
	img, err := random.Image(256, 1)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// Digest returns an image's or an index's digest.
func Digest(t *testing.T, a interface{ Digest() (v1.Hash, error) }) string {
	t.Helper()
	h, err := a.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}

// PushImage pushes img as ref ("host/repo:tag") over plain HTTP.
func PushImage(t *testing.T, ref string, img v1.Image) {
	t.Helper()
	if err := remote.Write(mustTag(t, ref), img, pushOptions(t)...); err != nil {
		t.Fatalf("push %s: %v", ref, err)
	}
}

// PushIndex pushes idx as ref over plain HTTP.
func PushIndex(t *testing.T, ref string, idx v1.ImageIndex) {
	t.Helper()
	if err := remote.WriteIndex(mustTag(t, ref), idx, pushOptions(t)...); err != nil {
		t.Fatalf("push %s: %v", ref, err)
	}
}

// PushMultiArch pushes a fresh linux/amd64 + linux/arm64 index as ref and
// returns the index digest and the linux/amd64 manifest digest.
func PushMultiArch(t *testing.T, ref string) (index, amd64 string) {
	t.Helper()
	amd, arm := RandomImage(t), RandomImage(t)
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: amd, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: arm, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}},
	)
	PushIndex(t, ref, idx)
	return Digest(t, idx), Digest(t, amd)
}

func pushOptions(t *testing.T) []remote.Option {
	tr := &http.Transport{DialContext: DialLoopback}
	t.Cleanup(tr.CloseIdleConnections)
	return []remote.Option{remote.WithTransport(tr), remote.WithContext(context.Background())}
}

func mustTag(t *testing.T, ref string) name.Tag {
	t.Helper()
	tg, err := name.NewTag(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}
