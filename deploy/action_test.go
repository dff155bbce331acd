package deploy

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/imagebot/imagebot/internal/fixtures"
)

// actionYAML is the part of deploy/action/action.yml the tests read.
type actionYAML struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			Uses             string            `yaml:"uses"`
			Run              string            `yaml:"run"`
			WorkingDirectory string            `yaml:"working-directory"`
			Env              map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

func readAction(t *testing.T) actionYAML {
	t.Helper()
	data, err := os.ReadFile("action/action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a actionYAML
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

var eventExpression = regexp.MustCompile(`^\$\{\{ github\.event\.([a-z_.]+) \}\}$`)

// evaluate is what the runner does with an input's default expression
// ${{ github.event.a.b }}: it looks the path up in the event payload.
func evaluate(t *testing.T, expression string, payload []byte) string {
	t.Helper()
	m := eventExpression.FindStringSubmatch(expression)
	if m == nil {
		t.Fatalf("%q is not a github.event expression", expression)
	}
	var v any
	if err := json.Unmarshal(payload, &v); err != nil {
		t.Fatal(err)
	}
	for _, key := range strings.Split(m[1], ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = obj[key]
	}
	s, _ := v.(string)
	return s
}

// TestActionDefinition checks how the action runs: composite, building
// imagebot from the repository at the action's ref, and handing the
// script the pull request's base.
func TestActionDefinition(t *testing.T) {
	a := readAction(t)
	if a.Runs.Using != "composite" || len(a.Runs.Steps) != 3 {
		t.Fatalf("runs: %+v", a.Runs)
	}
	build, check := a.Runs.Steps[1], a.Runs.Steps[2]
	root := filepath.Join("action", strings.TrimPrefix(build.WorkingDirectory, "${{ github.action_path }}/"))
	if mod, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || !strings.HasPrefix(string(mod), "module github.com/imagebot/imagebot\n") {
		t.Errorf("the build step runs in %s, not the repository's root", build.WorkingDirectory)
	}
	if !strings.Contains(build.Run, "go build -trimpath -o \"$RUNNER_TEMP/imagebot\" ./cmd/imagebot") {
		t.Errorf("the build step runs %q", build.Run)
	}
	want := map[string]string{"IMAGEBOT": "${{ runner.temp }}/imagebot", "INPUT_PATH": "${{ inputs.path }}", "INPUT_BASE": "${{ inputs.base }}"}
	if check.Run != `"$GITHUB_ACTION_PATH/check.sh"` || !equalMaps(check.Env, want) {
		t.Errorf("the check step runs %q with %v", check.Run, check.Env)
	}
	if base := a.Inputs["base"].Default; base != "${{ github.event.pull_request.base.sha }}" {
		t.Errorf("inputs.base defaults to %q, not the pull request's base", base)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

var (
	actionBinaryOnce sync.Once
	actionBinary     string
	actionBinaryErr  error
)

// imagebotForAction builds imagebot once, as the action's build step does.
func imagebotForAction(t *testing.T) string {
	t.Helper()
	actionBinaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "imagebot-action")
		if err != nil {
			actionBinaryErr = err
			return
		}
		actionBinary = filepath.Join(dir, "imagebot")
		cmd := exec.Command("go", "build", "-o", actionBinary, "./cmd/imagebot")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			actionBinaryErr = errors.New(string(out))
		}
	})
	if actionBinaryErr != nil {
		t.Fatal(actionBinaryErr)
	}
	return actionBinary
}

// gitRepo makes a repository whose main branch holds the compliant
// fixture, and whose HEAD (a pull request) replaces it with files. It
// returns the repository and the base commit.
func gitRepo(t *testing.T, files map[string]string) (dir, base string) {
	t.Helper()
	dir = t.TempDir()
	git := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	write := func(tree map[string]string) {
		for name, content := range tree {
			path := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	git("init", "--quiet", "--initial-branch=main")
	write(fixtures.ReadTree(t, "../testdata/repos/compliant"))
	git("add", "-A")
	git("commit", "--quiet", "-m", "base")
	base = git("rev-parse", "HEAD")
	write(files)
	git("add", "-A")
	git("commit", "--quiet", "--allow-empty", "-m", "pull request")
	return dir, base
}

// TestActionScript runs the action's script as the runner would, with a
// job summary file and the base from a real pull_request payload.
func TestActionScript(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	bin := imagebotForAction(t)
	outage := fixtures.ReadTree(t, "../testdata/repos/outage")
	base := readAction(t).Inputs["base"].Default
	tests := []struct {
		name       string
		pr         map[string]string // files the pull request writes
		event      bool              // a pull_request event gives the base
		path       string            // INPUT_PATH, relative to the repository; "" for its root
		lostBase   bool              // the event names a base that is not in the repository
		exit       int
		summary    []string // in the job summary
		annotation string   // on standard output
	}{
		{"the outage's pull request fails", outage, true, "", false, 1,
			[]string{"### imagebot: failure", "requires libsqlite 3.45.1, but the lock has libsqlite 3.53.0", "| downgrade; split: libsqlite stays at 3.53.0 |"},
			"::error::imagebot: a check failed; the job summary has the report"},
		{"a pull request that keeps the lock passes", nil, true, "", false, 0, []string{"### imagebot: success"}, ""},
		{"without a pull request, the tree alone", outage, false, "", false, 1, []string{"### imagebot: failure"}, "::error::imagebot: a check failed"},
		{"a directory that is not there", nil, true, "no/such/dir", false, 1,
			[]string{"### imagebot could not check this repository", "no/such/dir is not a directory"}, "::error::imagebot: imagebot: "},
		{"a base that cannot be fetched", nil, true, "", true, 1,
			[]string{"### imagebot could not check this repository", "cannot fetch the pull request's base commit 0000000000000000000000000000000000000000 from origin"},
			"::error::imagebot: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, baseSHA := gitRepo(t, tt.pr)
			if tt.lostBase {
				baseSHA = strings.Repeat("0", 40)
			}
			payload := fixtures.EditedWebhook(t, "pull_request", "opened", map[string]any{"pull_request.base.sha": baseSHA})
			if !tt.event {
				payload = []byte(`{"ref": "refs/heads/main"}`)
			}
			summary := filepath.Join(t.TempDir(), "summary.md")
			if err := os.WriteFile(summary, []byte("earlier step\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("bash", "action/check.sh")
			path := dir
			if tt.path != "" {
				path = filepath.Join(dir, tt.path)
			}
			cmd.Env = append(os.Environ(), "IMAGEBOT="+bin, "INPUT_PATH="+path,
				"INPUT_BASE="+evaluate(t, base, payload), "GITHUB_STEP_SUMMARY="+summary)
			out, err := cmd.Output()
			exit := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				exit = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			written, _ := os.ReadFile(summary)
			if exit != tt.exit || !strings.HasPrefix(string(written), "earlier step\n") || !strings.Contains(string(out), tt.annotation) {
				t.Errorf("exit %d (want %d), stdout %q, summary:\n%s", exit, tt.exit, out, written)
			}
			for _, w := range tt.summary {
				if !strings.Contains(string(written), w) {
					t.Errorf("the summary lacks %q:\n%s", w, written)
				}
			}
		})
	}
}
