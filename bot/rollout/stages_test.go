package rollout

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/checks/config"
	"github.com/imagebot/imagebot/internal/fakegithub"
	"github.com/imagebot/imagebot/internal/fixtures"
)

// TestRepoConfigThroughLinks reads a repository's .github/imagebot.yml at
// a merge commit through GitHub's contents API, which answers a symbolic
// link to a file of the repository with that file and any other link with
// its target only: the first is read, the others give the defaults, as a
// missing file does.
func TestRepoConfigThroughLinks(t *testing.T) {
	fixtures.OpenAPIPath(t)
	const staging = "rollout:\n  hubs: [staging]\n"
	tests := []struct {
		name  string
		files map[string]string
		links map[string]string
		want  []string // the hubs read; nil for the defaults
	}{
		{name: "a file", files: map[string]string{config.Path: staging}, want: []string{"staging"}},
		{name: "a link to a file", files: map[string]string{"config/imagebot.yml": staging},
			links: map[string]string{config.Path: "../config/imagebot.yml"}, want: []string{"staging"}},
		{name: "a link to a link to a file", files: map[string]string{"config/imagebot.yml": staging},
			links: map[string]string{config.Path: "shared.yml", ".github/shared.yml": "../config/imagebot.yml"}, want: []string{"staging"}},
		{name: "a link out of the repository", links: map[string]string{config.Path: "../../etc/imagebot.yml"}},
		{name: "a link to a directory", files: map[string]string{"config/imagebot.yml": staging},
			links: map[string]string{config.Path: "../config"}},
		{name: "a dangling link", links: map[string]string{config.Path: "missing.yml"}},
		{name: "no file", files: map[string]string{"README.md": "# image\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gh := fakegithub.New(t)
			repo := gh.AddRepo("example-hub", "notebook")
			gh.AddInstallation(42, "example-hub", repo)
			sha := repo.Commit("main", map[string]string{"README.md": "# image\n"})
			if tt.files != nil {
				sha = repo.Commit("main", tt.files)
			}
			if tt.links != nil {
				sha = repo.CommitLinks("main", tt.links)
			}
			client := github.NewClient(&http.Client{}).WithAuthToken(gh.InstallationToken(42))
			base, err := url.Parse(gh.URL())
			if err != nil {
				t.Fatal(err)
			}
			client.BaseURL = base
			cfg, err := repoConfig(context.Background(), client, "example-hub", "notebook", sha)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(cfg.Hubs, tt.want) {
				t.Errorf("hubs %q, want %q", cfg.Hubs, tt.want)
			}
		})
	}
}
