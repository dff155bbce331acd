package hubconfig

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/internal/fakegithub"
)

const (
	infraOwner     = "example-org"
	infraName      = "infrastructure"
	infraRepo      = infraOwner + "/" + infraName
	installationID = 7
)

const valuesPath = "config/staging.values.yaml"

var ctx = context.Background()

// stagingValues is a hub's values file with comments, anchors, aliases, a
// merge key, flow mappings and a block scalar: the key-path editor's own
// test file.
func stagingValues(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("../yamledit/testdata/staging.values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// world is a fake GitHub holding the operator's infrastructure repository,
// whose main branch has the staging values file, and a client of it
// authenticated as the App's installation.
type world struct {
	srv  *fakegithub.Server
	repo *fakegithub.Repo
	gh   *github.Client
	main string // the commit on main
}

func newWorld(t *testing.T) *world {
	t.Helper()
	srv := fakegithub.New(t, fakegithub.WithClock(func() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC) }))
	repo := srv.AddRepo(infraOwner, infraName)
	head := repo.Commit("main", map[string]string{
		valuesPath:  string(stagingValues(t)),
		"README.md": "# infrastructure\n",
	})
	srv.AddInstallation(installationID, infraOwner, repo)
	gh := github.NewClient(&http.Client{}).WithAuthToken(srv.InstallationToken(installationID))
	base, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	gh.BaseURL = base
	srv.Reset()
	return &world{srv: srv, repo: repo, gh: gh, main: head}
}

// ops are the operation ids of the calls since the last Reset.
func (w *world) ops() []string {
	var ops []string
	for _, c := range w.srv.Calls() {
		ops = append(ops, c.Method+" "+c.OperationID)
	}
	return ops
}
