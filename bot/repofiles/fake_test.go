package repofiles

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/internal/fakegithub"
)

const (
	owner          = "octo"
	name           = "image"
	installationID = 9
)

var ctx = context.Background()

// mainFiles is the default branch the pull requests start from: five files
// the checks read, and one (README.md) they do not.
var mainFiles = map[string]string{
	"environment.yml":       "name: demo\ndependencies:\n  - python=3.12\n",
	"conda-lock.yml":        "version: 1\nmetadata: {}\npackage: []\n",
	"Dockerfile":            "FROM quay.io/jupyter/base-notebook:2024-05-01\n",
	"binder/postBuild":      "#!/bin/bash\njupyter lab build\n",
	"docs/requirements.txt": "sphinx==7.3.7\n",
	"README.md":             "# demo\n",
}

// world is a fake GitHub holding the image repository, and a client of it
// authenticated as the App's installation.
type world struct {
	srv  *fakegithub.Server
	repo *fakegithub.Repo
	gh   *github.Client
}

// newWorld seeds main with files; rt, when not nil, wraps the client's
// transport.
func newWorld(t *testing.T, files map[string]string, rt func(http.RoundTripper) http.RoundTripper) *world {
	t.Helper()
	srv := fakegithub.New(t)
	repo := srv.AddRepo(owner, name)
	repo.Commit("main", files)
	srv.AddInstallation(installationID, owner, repo)
	var transport http.RoundTripper = http.DefaultTransport
	if rt != nil {
		transport = rt(transport)
	}
	gh := github.NewClient(&http.Client{Transport: transport}).WithAuthToken(srv.InstallationToken(installationID))
	base, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	gh.BaseURL = base
	return &world{srv: srv, repo: repo, gh: gh}
}

// pull opens a pull request from branch feature, made by change, into main,
// and returns its base and head commits.
func (w *world) pull(change func(r *fakegithub.Repo)) (base, head string) {
	change(w.repo)
	n := w.repo.OpenPull("feature", "main")
	pr := w.srv.Pull(w.repo.FullName(), n)
	return pr.BaseSHA, pr.HeadSHA
}

// readOps are the operation ids of the reads since the last Reset.
func (w *world) readOps() []string {
	var ops []string
	for _, c := range w.srv.Reads() {
		ops = append(ops, c.OperationID)
	}
	return ops
}

// ops builds an expected read sequence: the comparison, then trees, then
// blobs.
func ops(trees, blobs int) []string {
	out := []string{"repos/compare-commits"}
	for range trees {
		out = append(out, "git/get-tree")
	}
	for range blobs {
		out = append(out, "git/get-blob")
	}
	return out
}

// readAll reads every file of a tree: path → content, or "error: …".
func readAll(tr interface {
	Paths() []string
	ReadFile(string) ([]byte, error)
}) map[string]string {
	out := map[string]string{}
	for _, p := range tr.Paths() {
		data, err := tr.ReadFile(p)
		if err != nil {
			out[p] = "error: " + err.Error()
			continue
		}
		out[p] = string(data)
	}
	return out
}

// memCache is an in-memory Cache.
type memCache struct {
	mu        sync.Mutex
	blobs     map[string][]byte
	trees     map[string][]Entry
	treePuts  []string
	failTrees error // returned by Tree when set
}

func newMemCache() *memCache {
	return &memCache{blobs: map[string][]byte{}, trees: map[string][]Entry{}}
}

func (c *memCache) Blob(_ context.Context, sha string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	data, ok := c.blobs[sha]
	return data, ok, nil
}

func (c *memCache) PutBlob(_ context.Context, sha string, data []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.blobs[sha] = slices.Clone(data)
	return nil
}

func (c *memCache) Tree(_ context.Context, sha string) ([]Entry, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failTrees != nil {
		return nil, false, c.failTrees
	}
	entries, ok := c.trees[sha]
	return slices.Clone(entries), ok, nil
}

func (c *memCache) PutTree(_ context.Context, sha string, entries []Entry) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.trees[sha] = slices.Clone(entries)
	c.treePuts = append(c.treePuts, sha)
	return nil
}

// rewrite is client middleware that edits the JSON body of the responses
// whose request path matches: it stands for GitHub answers the fake does
// not give.
func rewrite(match func(path string) bool, edit func(body map[string]any)) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripper(func(req *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(req)
			if err != nil || !match(req.URL.Path) {
				return resp, err
			}
			defer resp.Body.Close()
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				return nil, err
			}
			edit(body)
			data, err := json.Marshal(body)
			if err != nil {
				return nil, err
			}
			resp.Body = io.NopCloser(bytes.NewReader(data))
			resp.ContentLength = int64(len(data))
			resp.Header.Set("Content-Length", strconv.Itoa(len(data)))
			return resp, nil
		})
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

var errCacheDown = errors.New("cache is down")
