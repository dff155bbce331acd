package deploy

import (
	"bytes"
	"debug/buildinfo"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// HelmEnv names the helm binary the chart tests run. Without it, tests use
// helm from $PATH and skip when there is none; with it, a binary that does
// not run fails them, so CI can require Helm. CI installs it from the Go
// module proxy:
//
//	GOBIN=$PWD/.cache/bin go install helm.sh/helm/v4/cmd/helm@v4.3.2
const HelmEnv = "IMAGEBOT_TEST_HELM"

// helmVersion is the Helm release the chart is tested with.
const helmVersion = "v4.3.2"

// helm returns the path of the helm binary to test with.
func helm(t *testing.T) string {
	t.Helper()
	bin := os.Getenv(HelmEnv)
	if bin == "" {
		found, err := exec.LookPath("helm")
		if err != nil {
			t.Skipf("helm is not installed and %s is not set; install it with GOBIN=$PWD/.cache/bin go install helm.sh/helm/v4/cmd/helm@%s and set %s=$PWD/.cache/bin/helm", HelmEnv, helmVersion, HelmEnv)
		}
		bin = found
	}
	out, err := exec.Command(bin, "version", "--short").CombinedOutput()
	if err != nil {
		t.Fatalf("%s version: %v\n%s", bin, err, out)
	}
	if os.Getenv(HelmEnv) != "" && helmRelease(bin, string(out)) != helmVersion {
		t.Fatalf("%s is Helm %s; the chart is tested with %s", bin, helmRelease(bin, string(out)), helmVersion)
	}
	return bin
}

// helmRelease is the Helm release of bin: its module version when it was
// built with go install (which stamps no version of its own into
// `helm version`), else what `helm version --short` says.
func helmRelease(bin, short string) string {
	if info, err := buildinfo.ReadFile(bin); err == nil && info.Main.Path == "helm.sh/helm/v4" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	release, _, _ := strings.Cut(strings.TrimSpace(short), "+")
	return release
}

// runHelm runs helm with args in the chart's directory and returns its
// standard output; on failure, err holds all it printed.
func runHelm(t *testing.T, bin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = chartDir
	cmd.Env = append(os.Environ(), "HELM_CACHE_HOME="+t.TempDir(), "HELM_CONFIG_HOME="+t.TempDir(), "HELM_DATA_HOME="+t.TempDir())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), &helmError{err: err, output: stderr.String() + stdout.String()}
	}
	return stdout.String(), nil
}

// helmError is a failed helm command with what it printed (lint reports
// on standard output, other commands on standard error).
type helmError struct {
	err    error
	output string
}

func (e *helmError) Error() string { return e.err.Error() + ": " + e.output }
