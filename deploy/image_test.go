package deploy

import (
	"archive/tar"
	"bytes"
	"context"
	"debug/buildinfo"
	"debug/elf"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/imagebot/imagebot/bot/rollout/registry"
	"github.com/imagebot/imagebot/internal/testregistry"
)

// The build arguments the image test passes, as a release would.
const (
	testVersion  = "v0.1.0-test"
	testRevision = "0123456789abcdef0123456789abcdef01234567"
)

// goBuildLine is the Dockerfile's build command, with the ARGs it
// expands; the test runs the same command.
const goBuildLine = `CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION} -X main.revision=${REVISION}" -o /out/imagebot ./cmd/imagebot`

// TestDockerfile checks what the Dockerfile states: a multi-stage build of
// a static binary with the go.mod toolchain, and a runtime stage FROM
// scratch that runs it as a non-root user, with the OCI labels.
func TestDockerfile(t *testing.T) {
	df := readDockerfile(t, "../Dockerfile", nil)
	build, runtime := df.stage("build"), df.runtime()
	if build == nil || len(df.stages) != 2 {
		t.Fatalf("want two stages, build and the runtime; got %d", len(df.stages))
	}
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(gomod)
	if goLine == nil {
		t.Fatal("go.mod has no go line")
	}
	if want := "golang:" + string(goLine[1]); build.from != want {
		t.Errorf("the build stage is FROM %s; go.mod wants %s", build.from, want)
	}
	if !contains(build.runs, goBuildLine) {
		t.Errorf("the build stage does not run\n  %s\nit runs %q", goBuildLine, build.runs)
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"runtime base", runtime.from, "scratch"},
		{"user", runtime.user, "65532:65532"},
		{"entrypoint", runtime.entrypoint, []string{"/imagebot"}},
		{"cmd", runtime.cmd, []string{"serve"}},
		{"copies", runtime.copies, []string{"--from=build /out/imagebot /imagebot"}},
		{"exposed ports", runtime.exposedPorts, []string{"8080"}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: %v, want %v", c.what, c.got, c.want)
		}
	}
	for _, label := range []string{"source", "revision", "version", "licenses"} {
		if runtime.labels["org.opencontainers.image."+label] == "" {
			t.Errorf("no org.opencontainers.image.%s label", label)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestImage builds the runtime image the Dockerfile describes without
// Docker: the binary built with the Dockerfile's command, appended as one
// layer to an empty image, with the runtime stage's configuration. It then
// inspects the image, runs the binary taken out of its layer, pushes it to
// a registry and resolves it as a rollout does.
func TestImage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds imagebot; skipped with -short")
	}
	args := map[string]string{"VERSION": testVersion, "REVISION": testRevision}
	df := readDockerfile(t, "../Dockerfile", args)
	runtime := df.runtime()
	binary := buildLikeDockerfile(t)
	img := runtimeImage(t, runtime, binary)

	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	wantLabels := map[string]string{
		"org.opencontainers.image.revision": testRevision,
		"org.opencontainers.image.version":  testVersion,
		"org.opencontainers.image.source":   "https://github.com/imagebot/imagebot",
		"org.opencontainers.image.licenses": "NOASSERTION",
	}
	for k, v := range wantLabels {
		if cfg.Config.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, cfg.Config.Labels[k], v)
		}
	}
	if cfg.Config.User != "65532:65532" || !reflect.DeepEqual(cfg.Config.Entrypoint, []string{"/imagebot"}) ||
		!reflect.DeepEqual(cfg.Config.Cmd, []string{"serve"}) || cfg.OS != "linux" {
		t.Errorf("image config: user %q, entrypoint %q, cmd %q, os %q", cfg.Config.User, cfg.Config.Entrypoint, cfg.Config.Cmd, cfg.OS)
	}

	extracted := extractFile(t, img, "imagebot")
	checkStaticBinary(t, extracted)
	out, err := exec.Command(extracted, "version").Output()
	if err != nil {
		t.Fatalf("the image's /imagebot version: %v", err)
	}
	wantVersion := "imagebot " + testVersion + "\nrevision: " + testRevision + "\n"
	if !strings.HasPrefix(string(out), wantVersion) {
		t.Errorf("the image's /imagebot version printed\n%s\nwant it to start with\n%s", out, wantVersion)
	}

	size := compressedSize(t, img)
	t.Logf("runtime image: %d layer(s), %.1f MB compressed, binary %.1f MB", len(mustLayers(t, img)), float64(size)/1e6, float64(fileSize(t, extracted))/1e6)

	testregistry.ForEach(t, func(t *testing.T, host string) {
		ref := host + "/imagebot/imagebot:" + testRevision[:12]
		testregistry.PushImage(t, ref, img)
		resolver := registry.NewResolver(registry.WithInsecureRegistries(host),
			registry.WithTransport(&http.Transport{DialContext: testregistry.DialLoopback}))
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		d, err := resolver.Resolve(ctx, ref)
		if err != nil {
			t.Fatalf("resolve %s: %v", ref, err)
		}
		want := testregistry.Digest(t, img)
		if d.Digest != want || d.Platform != want {
			t.Errorf("the registry resolves %s to %+v, want %s", ref, d, want)
		}
	})
}

// buildLikeDockerfile runs the Dockerfile's go build command (goBuildLine)
// with the test's build arguments.
func buildLikeDockerfile(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "imagebot")
	cmd := exec.Command("go", "build", "-trimpath",
		"-ldflags=-s -w -X main.version="+testVersion+" -X main.revision="+testRevision,
		"-o", out, "./cmd/imagebot")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return out
}

// runtimeImage is the runtime stage as an image: the binary at /imagebot
// (owned by root, mode 0755, as COPY makes it) on an empty base, and the
// stage's user, entrypoint, command, ports and labels.
func runtimeImage(t *testing.T, st *stage, binary string) v1.Image {
	t.Helper()
	data, err := os.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: "imagebot", Mode: 0o755, Size: int64(len(data)), Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil })
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.Append(empty.Image, mutate.Addendum{Layer: layer, History: v1.History{CreatedBy: "COPY --from=build /out/imagebot /imagebot"}})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture = "linux", "amd64"
	cfg.Config.User, cfg.Config.Entrypoint, cfg.Config.Cmd = st.user, st.entrypoint, st.cmd
	cfg.Config.WorkingDir, cfg.Config.Labels = st.workdir, st.labels
	cfg.Config.ExposedPorts = map[string]struct{}{}
	for _, p := range st.exposedPorts {
		cfg.Config.ExposedPorts[p+"/tcp"] = struct{}{}
	}
	img, err = mutate.ConfigFile(img, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// extractFile writes the file name of the image's layers to a temporary
// file and returns its path.
func extractFile(t *testing.T, img v1.Image, name string) string {
	t.Helper()
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			t.Fatalf("the image has no %s", name)
		}
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimPrefix(h.Name, "/") != name {
			continue
		}
		if h.Mode&0o111 == 0 {
			t.Errorf("%s in the image is not executable (mode %o)", name, h.Mode)
		}
		out := filepath.Join(t.TempDir(), name)
		f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY, 0o755)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(f, tr); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return out
	}
}

// checkStaticBinary checks that the binary needs nothing from the image:
// no dynamic loader, built without cgo, with its paths trimmed and the CA
// roots compiled in.
func checkStaticBinary(t *testing.T, path string) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary is dynamically linked (%s)", p.Type)
		}
	}
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if settings["CGO_ENABLED"] != "0" || settings["-trimpath"] != "true" {
		t.Errorf("build settings %v: want CGO_ENABLED=0 and -trimpath", settings)
	}
	var roots bool
	for _, d := range info.Deps {
		roots = roots || d.Path == "golang.org/x/crypto/x509roots/fallback"
	}
	if !roots {
		t.Error("the binary does not carry golang.org/x/crypto/x509roots/fallback: HTTPS would fail in a scratch image")
	}
}

func mustLayers(t *testing.T, img v1.Image) []v1.Layer {
	t.Helper()
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	return layers
}

func compressedSize(t *testing.T, img v1.Image) int64 {
	t.Helper()
	var total int64
	for _, l := range mustLayers(t, img) {
		n, err := l.Size()
		if err != nil {
			t.Fatal(err)
		}
		total += n
	}
	return total
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
