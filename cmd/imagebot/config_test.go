package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const validOperatorConfig = `hubs:
  - name: staging
    url: https://staging.example.org
    kubernetes: {inCluster: true, namespace: staging}
    configRepo: {repository: org/infra, path: staging.yaml, key: jupyterhub.singleuser.image.tag, openPullRequest: true}
  - name: climate
    url: https://climate.example.org
    configRepo: {repository: org/infra, ref: main, path: climate.yaml, key: basehub.jupyterhub.singleuser.image.tag}
repositories:
  - repository: org/image
    image: quay.io/org/image
    workflow: Build
    hubs:
      - staging
      - hub: climate
        key: basehub.jupyterhub.singleuser.profileList[slug=default].profile_options.image.choices.r.kubespawner_override.image
`

func TestConfigValidate(t *testing.T) {
	valid := writeFile(t, "imagebot.yaml", validOperatorConfig)
	empty := writeFile(t, "empty.yaml", "# nothing yet\n")
	invalid := writeFile(t, "bad.yaml", "hubs:\n  - name: Prod\n    url: http://prod\n    kubernetes: {namespace: prod}\nrepositories:\n  - repository: org/image\n    image: quay.io/org/image\n    workflow: Build\n    hubs: [staging]\n")
	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
	}{
		{"valid", []string{"validate", valid}, 0, valid + `: valid: 2 hubs, 1 repository.

hub staging (https://staging.example.org)
  observes: pods component=singleuser-server in namespace staging, in imagebot's own cluster
  values:   org/infra:staging.yaml at jupyterhub.singleuser.image.tag (imagebot opens the bump pull requests)

hub climate (https://climate.example.org)
  values:   org/infra@main:climate.yaml at basehub.jupyterhub.singleuser.image.tag

repository org/image
  image:    quay.io/org/image:{sha12}, built by the workflow "Build"
  feeds:    staging
  feeds:    climate at basehub.jupyterhub.singleuser.profileList[slug=default].profile_options.image.choices.r.kubespawner_override.image
`, ""},
		{"empty", []string{"validate", empty}, 0, empty + ": valid, and empty: no hubs and no repositories, so rollout tracking is off.\n", ""},
		{"problems, one per line", []string{"validate", invalid}, 1, "", invalid + `:2: hubs[0].name: "Prod" is not a hub name (a lower-case DNS label: letters, digits and '-', at most 63)
` + invalid + `:3: hubs[0].url must be an https:// URL such as https://hub.example.org; got "http://prod"
` + invalid + `:9: repositories[0].hubs: no hub is named "staging"; the hubs are: Prod
`},
		{"missing file", []string{"validate", "no/such.yaml"}, 2, "", "imagebot: cannot read no/such.yaml: no such file or directory\n"},
		{"no file", []string{"validate"}, 2, "", "imagebot: config validate takes one file, the operator configuration; got 0 arguments\n"},
		{"no verb", nil, 2, "", "imagebot: usage: imagebot config validate FILE\n"},
		{"unknown verb", []string{"check", valid}, 2, "", "imagebot: usage: imagebot config validate FILE\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, append([]string{"config"}, tt.args...)...)
			if code != tt.code || stdout != tt.stdout || stderr != tt.stderr {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s\nwant:\n%s", code, tt.code, stdout, tt.stdout, stderr, tt.stderr)
			}
		})
	}
}

// TestConfigValidateDocumentedExample keeps the documentation's complete
// example valid for the command operators run on it.
func TestConfigValidateDocumentedExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/operator.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(doc), "## A complete example\n\n```yaml\n")
	example, _, _ := strings.Cut(rest, "```\n")
	path := writeFile(t, "example.yaml", example)
	code, stdout, stderr := runCmd(t, "config", "validate", path)
	if code != 0 || !strings.HasPrefix(stdout, path+": valid: 4 hubs, 4 repositories.") {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestServeStartupProblems(t *testing.T) {
	badConfig := writeFile(t, "config.yaml", "hubs:\n  - name: prod\n    url: https://prod.example.org\n    kubernets: {}\n")
	env := map[string]string{"GITHUB_APP_ID": "abc", "IMAGEBOT_CONFIG": badConfig, "IMAGEBOT_LOG_LEVEL": "loud"}
	_, _, problems := loadServeSettings(func(k string) string { return env[k] }, os.ReadFile)
	want := []string{
		`IMAGEBOT_LOG_LEVEL must be debug, info, warn or error, got "loud"`,
		"GITHUB_WEBHOOK_SECRET is required and must not be blank: imagebot refuses to accept webhooks it cannot verify; set it to the secret configured for the App's webhook (generate one with `openssl rand -hex 32`)",
		`GITHUB_APP_ID must be a positive number, got "abc"`,
		"GITHUB_APP_PRIVATE_KEY (the PEM text) or GITHUB_APP_PRIVATE_KEY_FILE (its path) is required: generate a private key on the App's settings page",
		badConfig + `:2: hubs[0]: give kubernetes, configRepo or both, so that imagebot can see which image the hub runs`,
		badConfig + `:4: unknown key "kubernets" in hubs[0]; known keys: apiURL, configRepo, healthy, kubernetes, metrics, name, url`,
	}
	if strings.Join(problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
	}
}
