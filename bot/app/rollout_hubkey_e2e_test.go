package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/imagebot/imagebot/internal/fakegithub"
	"github.com/imagebot/imagebot/internal/testregistry"
)

// profileValues is a 2i2c-style values file: one hub offers two images,
// each fed by its own repository, under a wrapper chart's key.
const profileValues = `basehub:
  jupyterhub:
    singleuser:
      profileList:
        - display_name: Choose an image
          slug: default
          profile_options:
            image:
              display_name: Image
              choices:
                pangeo:
                  display_name: Pangeo
                  kubespawner_override:
                    image: quay.io/example-hub/pangeo:1111aaaa2222
                notebook:
                  display_name: Notebook
                  kubespawner_override:
                    image: %s:old0000000000
`

// TestRolloutUsesTheRepositorysKey follows a repository whose image is one
// choice of a hub's profile list: the configured stage reads, and the bump
// pull request edits, the repository's own key, never the hub's.
func TestRolloutUsesTheRepositorysKey(t *testing.T) {
	host := testregistry.InProcess(t)
	const choices = "basehub.jupyterhub.singleuser.profileList[slug=default].profile_options.image.choices."
	w := newWorld(t, host, func(image string) string {
		return fmt.Sprintf(`hubs:
  - name: prod
    url: https://hub.example.org
    configRepo:
      repository: example-hub/infrastructure
      path: config/climate.values.yaml
      key: %spangeo.kubespawner_override.image
      openPullRequest: true
repositories:
  - repository: example-hub/notebook
    image: %s
    workflow: Build and push container image
    hubs:
      - hub: prod
        key: %snotebook.kubespawner_override.image
`, choices, image, choices)
	})
	values := fmt.Sprintf(profileValues, w.image)
	w.infra.Commit("main", map[string]string{"config/climate.values.yaml": values})

	number, sha := w.merge("pin", "Pin the environment")
	tag := sha[:12]
	w.build(sha, "completed", "success", 0)
	testregistry.PushMultiArch(t, w.image+":"+tag)

	var bump fakegithub.PullRequest
	w.eventually(10*time.Second, "the bump pull request", func() bool {
		if !strings.Contains(w.comment(number), "infrastructure/pull/1") {
			return false
		}
		bump = w.gh.Pull("example-hub/infrastructure", 1)
		return true
	})
	got, ok := w.infra.File(bump.Head, "config/climate.values.yaml")
	want := strings.Replace(values, w.image+":old0000000000", w.image+":"+tag, 1)
	if !ok || got != want {
		t.Fatalf("the bump pull request's values file:\n%s\nwant only the notebook choice changed:\n%s", got, want)
	}
	body := w.comment(number)
	if !strings.Contains(body, "old0000000000") || strings.Contains(body, "1111aaaa2222") {
		t.Errorf("the comment should show the notebook choice's value, not the pangeo one:\n%s", body)
	}
	w.infra.MergePull(bump.Number, "operator")
	w.eventually(10*time.Second, "prod configured", func() bool {
		return strings.Contains(w.comment(number), "points at the new image")
	})
}
