package hubconfig

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/bot/rollout/yamledit"
	"github.com/imagebot/imagebot/internal/fakegithub"
)

const (
	tagKey    = "jupyterhub.singleuser.image.tag"
	newTag    = "fedcba987654"
	branch    = "imagebot/staging-" + newTag
	bumpURL   = "https://github.com/example-org/infrastructure/pull/1"
	sourceURL = "https://github.com/example-org/hub-image/pull/12"
)

var request = BumpRequest{
	Config: operator.ConfigRepo{Repository: infraRepo, Path: valuesPath, Key: tagKey}, Value: newTag,
	Hub: "staging", Tag: newTag, SourceRepo: "example-org/hub-image", SourcePR: 12, SourceURL: sourceURL}

const (
	wantTitle = "staging: use image tag fedcba987654 from example-org/hub-image#12"
	wantBody  = "Sets `jupyterhub.singleuser.image.tag` in `config/staging.values.yaml` to `fedcba987654`, so that the hub **staging** runs the image that [example-org/hub-image#12](https://github.com/example-org/hub-image/pull/12) built.\n\n" +
		"Merging this pull request rolls the image out. imagebot follows the rollout in a comment on [example-org/hub-image#12](https://github.com/example-org/hub-image/pull/12).\n\n" +
		"<sub>Opened by imagebot because the operator's configuration sets <code>openPullRequest: true</code> for this hub. Only this one value changes; the rest of the file stays as it is.</sub>"
	wantCommit = "staging: use image tag fedcba987654 from example-org/hub-image#12\n\n" +
		"Set jupyterhub.singleuser.image.tag in config/staging.values.yaml to fedcba987654, the image that\n" +
		"https://github.com/example-org/hub-image/pull/12 built."
)

// bumped is the staging values file with one line changed.
func bumped(t *testing.T, old, new string) string {
	t.Helper()
	values := string(stagingValues(t))
	if strings.Count(values, old) != 1 {
		t.Fatalf("%q is not on exactly one line of the values file", old)
	}
	return strings.Replace(values, old, new, 1)
}

func TestBumpOpensPullRequest(t *testing.T) {
	w := newWorld(t)
	got, err := Bump(ctx, w.gh, request)
	if err != nil {
		t.Fatalf("Bump: %v", err)
	}
	if got != bumpURL {
		t.Errorf("Bump = %q, want %q", got, bumpURL)
	}

	want := bumped(t, "      tag: '0123456789ab'    # bumped by imagebot\n", "      tag: 'fedcba987654'    # bumped by imagebot\n")
	if content, _ := w.repo.File(branch, valuesPath); content != want {
		t.Errorf("the values file on %s is\n%s\nwant\n%s", branch, content, want)
	}
	if content, _ := w.repo.File("main", valuesPath); content != string(stagingValues(t)) {
		t.Errorf("main changed:\n%s", content)
	}
	if readme, _ := w.repo.File(branch, "README.md"); readme != "# infrastructure\n" {
		t.Errorf("README.md on the branch is %q", readme)
	}

	pr := w.srv.Pull(infraRepo, 1)
	if pr.Title != wantTitle || pr.Body != wantBody || pr.Head != branch || pr.Base != "main" || pr.State != "open" || pr.User != "imagebot[bot]" {
		t.Errorf("pull request: %+v\nwant title %q\nbody %q", pr, wantTitle, wantBody)
	}

	wantOps := []string{
		"GET pulls/list",
		"GET repos/get",
		"GET git/get-ref",
		"GET repos/get-content",
		"GET git/get-ref",
		"POST git/create-ref",
		"PUT repos/create-or-update-file-contents",
		"POST pulls/create",
	}
	if ops := w.ops(); !reflect.DeepEqual(ops, wantOps) {
		t.Errorf("calls:\n got  %q\n want %q", ops, wantOps)
	}
	calls := w.srv.Calls()
	if q := calls[0].Query; q.Get("head") != "example-org:"+branch || q.Get("state") != "all" {
		t.Errorf("pulls/list query %v", q)
	}
	if q := calls[3].Query; q.Get("ref") != w.main {
		t.Errorf("the base file was read at %v, want the commit main pointed at", q)
	}
	var put struct {
		Message, SHA, Branch string
	}
	if err := json.Unmarshal(calls[6].Body, &put); err != nil {
		t.Fatal(err)
	}
	if put.Message != wantCommit || put.SHA != fakegithub.BlobSHA(string(stagingValues(t))) || put.Branch != branch {
		t.Errorf("commit: message %q, sha %s, branch %s\nwant message %q", put.Message, put.SHA, put.Branch, wantCommit)
	}
}

func TestBumpFullReferenceThroughAnAlias(t *testing.T) {
	w := newWorld(t)
	key := "jupyterhub.singleuser.profileList[slug=python].kubespawner_override.image"
	req := request
	req.Config.Ref, req.Config.Key, req.Value = "main", key, "quay.io/example-org/hub-image:"+newTag
	got, err := Bump(ctx, w.gh, req)
	if err != nil {
		t.Fatalf("Bump: %v", err)
	}
	if got != bumpURL {
		t.Errorf("Bump = %q", got)
	}
	want := bumped(t, `&python-image "quay.io/example-org/hub-image:0123456789ab"`, `&python-image "quay.io/example-org/hub-image:fedcba987654"`)
	if content, _ := w.repo.File(branch, valuesPath); content != want {
		t.Errorf("the values file on %s is\n%s\nwant\n%s", branch, content, want)
	}
	for _, op := range w.ops() {
		if op == "GET repos/get" {
			t.Error("Bump looked up the default branch although base was given")
		}
	}
}

func TestBumpReusesItsPullRequest(t *testing.T) {
	tests := []struct {
		name  string
		close bool
	}{
		{"an open pull request is returned", false},
		{"a closed one is returned, not opened again", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			if _, err := Bump(ctx, w.gh, request); err != nil {
				t.Fatal(err)
			}
			if tt.close {
				w.repo.ClosePull(1)
			}
			w.srv.Reset()
			got, err := Bump(ctx, w.gh, request)
			if err != nil || got != bumpURL {
				t.Errorf("Bump = %q, %v; want %q", got, err, bumpURL)
			}
			if ops := w.ops(); !reflect.DeepEqual(ops, []string{"GET pulls/list"}) {
				t.Errorf("calls: %q, want only the list of pull requests", ops)
			}
		})
	}
}

func TestBumpPrefersTheOpenPullRequest(t *testing.T) {
	w := newWorld(t)
	if _, err := Bump(ctx, w.gh, request); err != nil {
		t.Fatal(err)
	}
	w.repo.ClosePull(1)
	second := w.repo.OpenPull(branch, "main")
	got, err := Bump(ctx, w.gh, request)
	if want := "https://github.com/example-org/infrastructure/pull/2"; err != nil || got != want || second != 2 {
		t.Errorf("Bump = %q, %v; want %q", got, err, want)
	}
}

func TestBumpReusesALeftBranch(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, w *world)
		wantOps []string
	}{
		{
			"a branch an earlier attempt created",
			func(t *testing.T, w *world) {
				ref := &github.Reference{Ref: github.String("refs/heads/" + branch), Object: &github.GitObject{SHA: github.String(w.main)}}
				if _, _, err := w.gh.Git.CreateRef(ctx, infraOwner, infraName, ref); err != nil {
					t.Fatal(err)
				}
			},
			[]string{"GET pulls/list", "GET repos/get", "GET git/get-ref", "GET repos/get-content", "GET git/get-ref", "GET repos/get-content", "PUT repos/create-or-update-file-contents", "POST pulls/create"},
		},
		{
			"a branch an earlier attempt committed to",
			func(t *testing.T, w *world) {
				w.repo.Commit(branch, map[string]string{valuesPath: bumped(t, "tag: '0123456789ab'", "tag: 'fedcba987654'")})
			},
			[]string{"GET pulls/list", "GET repos/get", "GET git/get-ref", "GET repos/get-content", "GET git/get-ref", "GET repos/get-content", "POST pulls/create"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			tt.prepare(t, w)
			w.srv.Reset()
			got, err := Bump(ctx, w.gh, request)
			if err != nil || got != bumpURL {
				t.Fatalf("Bump = %q, %v", got, err)
			}
			if ops := w.ops(); !reflect.DeepEqual(ops, tt.wantOps) {
				t.Errorf("calls:\n got  %q\n want %q", ops, tt.wantOps)
			}
			want := bumped(t, "tag: '0123456789ab'", "tag: 'fedcba987654'")
			if content, _ := w.repo.File(branch, valuesPath); content != want {
				t.Errorf("the values file on %s is\n%s", branch, content)
			}
		})
	}
}

func TestBumpAlreadySet(t *testing.T) {
	w := newWorld(t)
	req := request
	req.Tag, req.Value = "0123456789ab", "0123456789ab"
	got, err := Bump(ctx, w.gh, req)
	if !errors.Is(err, ErrAlreadySet) || got != "" {
		t.Errorf("Bump = %q, %v; want ErrAlreadySet", got, err)
	}
	if writes := w.srv.Writes(); len(writes) != 0 {
		t.Errorf("Bump wrote: %+v", writes)
	}
}

func TestBumpErrors(t *testing.T) {
	tests := []struct {
		name         string
		repo, key    string
		value        string
		change       func(*BumpRequest)
		want         string
		reads        bool // whether Bump reads from GitHub before it fails
		wantKeyError bool
	}{
		{name: "a hub name with a slash", repo: infraRepo, key: tagKey, value: newTag,
			change: func(r *BumpRequest) { r.Hub = "staging/../main" }, want: `bump: "staging/../main" is not a hub name`},
		{name: "a tag that is not a tag", repo: infraRepo, key: tagKey, value: newTag,
			change: func(r *BumpRequest) { r.Tag = "a b" }, want: `bump: "a b" is not an image tag`},
		{name: "no source pull request", repo: infraRepo, key: tagKey, value: newTag,
			change: func(r *BumpRequest) { r.SourcePR = 0 }, want: `bump: example-org/hub-image#0 is not a pull request`},
		{name: "a source URL that is not https", repo: infraRepo, key: tagKey, value: newTag,
			change: func(r *BumpRequest) { r.SourceURL = "javascript:alert(1)" }, want: `bump: the source pull request's URL "javascript:alert(1)" is not an https:// URL`},
		{name: "a bad key path", repo: infraRepo, key: "a[", value: newTag,
			want: `key path "a[": missing field before "=" (write [field=value] or [N]) at character 3`},
		{name: "not owner/name", repo: "infrastructure", key: tagKey, value: newTag,
			want: `"infrastructure" is not a repository owner/name`},
		{name: "a missing key", repo: infraRepo, key: "jupyterhub.singleuser.image.digest", value: newTag, reads: true, wantKeyError: true,
			want: `config/staging.values.yaml:18: jupyterhub.singleuser.image has no key "digest"`},
		{name: "a block scalar, refused before any write", repo: infraRepo, key: "jupyterhub.singleuser.profileList[slug=julia].kubespawner_override.image", value: "quay.io/example-org/julia-image:2222222", reads: true,
			want: "config/staging.values.yaml:35: jupyterhub.singleuser.profileList[slug=julia].kubespawner_override.image: the value is a block scalar (| or >); write it on one line so that imagebot can edit it"},
		{name: "a new value YAML cannot hold", repo: infraRepo, key: tagKey, value: "a\nb",
			want: `the new value "a\nb" has a quote, backslash or control character`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			req := request
			if tt.change != nil {
				tt.change(&req)
			}
			req.Config.Repository, req.Config.Key, req.Value = tt.repo, tt.key, tt.value
			got, err := Bump(ctx, w.gh, req)
			if err == nil {
				t.Fatalf("Bump = %q, want an error", got)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got  %s\n want %s", err, tt.want)
			}
			var ke *yamledit.KeyError
			if errors.As(err, &ke) != tt.wantKeyError {
				t.Errorf("errors.As(*KeyError) = %v", !tt.wantKeyError)
			}
			if reads := len(w.srv.Reads()) > 0; reads != tt.reads {
				t.Errorf("calls: %q", w.ops())
			}
			if writes := w.srv.Writes(); len(writes) != 0 {
				t.Errorf("Bump wrote before it failed: %q", w.ops())
			}
		})
	}
}

func TestBumpGitHubFailures(t *testing.T) {
	tests := []struct {
		name, base, failing string
		want                string   // the start of the error
		writes              []string // the writes Bump made before it failed, including the failed one
	}{
		{"listing pull requests fails", "", "pulls/list",
			"look for a pull request from imagebot/staging-fedcba987654 in example-org/infrastructure: GET ", nil},
		{"finding the default branch fails", "", "repos/get",
			"find the default branch of example-org/infrastructure: GET ", nil},
		{"the base branch does not exist", "production", "",
			"find branch production of example-org/infrastructure: GET ", nil},
		{"reading the base branch fails", "", "git/get-ref",
			"find branch main of example-org/infrastructure: GET ", nil},
		{"reading the values file fails", "", "repos/get-content",
			"read config/staging.values.yaml in example-org/infrastructure at ", nil},
		{"creating the branch fails", "", "git/create-ref",
			"create branch imagebot/staging-fedcba987654 in example-org/infrastructure: POST ", []string{"git/create-ref"}},
		{"committing fails", "", "repos/create-or-update-file-contents",
			"commit config/staging.values.yaml to imagebot/staging-fedcba987654 in example-org/infrastructure: PUT ", []string{"git/create-ref", "repos/create-or-update-file-contents"}},
		{"opening the pull request fails", "", "pulls/create",
			"open the pull request from imagebot/staging-fedcba987654 in example-org/infrastructure: POST ", []string{"git/create-ref", "repos/create-or-update-file-contents", "pulls/create"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			if tt.failing != "" {
				w.srv.Fail(tt.failing, 1, 502, nil)
			}
			req := request
			req.Config.Ref = tt.base
			got, err := Bump(ctx, w.gh, req)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Bump = %q, %v; want an error starting %q", got, err, tt.want)
			}
			var writes []string
			for _, c := range w.srv.Writes() {
				writes = append(writes, c.OperationID)
			}
			if !reflect.DeepEqual(writes, tt.writes) {
				t.Errorf("writes %q, want %q", writes, tt.writes)
			}
		})
	}
}
