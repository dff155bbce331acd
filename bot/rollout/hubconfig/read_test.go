package hubconfig

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/bot/rollout/yamledit"
	"github.com/imagebot/imagebot/internal/fakegithub"
)

func TestRead(t *testing.T) {
	w := newWorld(t)
	blob := fakegithub.BlobSHA(string(stagingValues(t)))
	fileURL := "https://github.com/example-org/infrastructure/blob/main/config/staging.values.yaml"
	tests := []struct {
		name, ref, key string
		want           Value
	}{
		{"a tag, on the default branch", "", "jupyterhub.singleuser.image.tag",
			Value{Raw: "0123456789ab", Line: 19, HTMLURL: fileURL + "#L19", BlobSHA: blob}},
		{"a full image through an alias, on a named branch", "main", "jupyterhub.singleuser.profileList[slug=python].kubespawner_override.image",
			Value{Raw: "quay.io/example-org/hub-image:0123456789ab", Line: 4, HTMLURL: fileURL + "#L4", BlobSHA: blob}},
		{"at a commit", w.main, "jupyterhub.singleuser.profileList[2].kubespawner_override.image",
			Value{Raw: "quay.io/example-org/gpu-image:aaaaaaaaaaaa", Line: 10,
				HTMLURL: "https://github.com/example-org/infrastructure/blob/" + w.main + "/config/staging.values.yaml#L10", BlobSHA: blob}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(ctx, w.gh, operator.ConfigRepo{Repository: infraRepo, Ref: tt.ref, Path: valuesPath, Key: tt.key})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
	var reads []string
	for _, c := range w.srv.Calls() {
		reads = append(reads, c.Method+" "+c.Path+"?"+c.Query.Encode())
	}
	want := []string{
		"GET /repos/example-org/infrastructure/contents/config/staging.values.yaml?",
		"GET /repos/example-org/infrastructure/contents/config/staging.values.yaml?ref=main",
		"GET /repos/example-org/infrastructure/contents/config/staging.values.yaml?ref=" + w.main,
	}
	if !reflect.DeepEqual(reads, want) {
		t.Errorf("calls:\n got  %q\n want %q", reads, want)
	}
}

func TestReadErrors(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		name, repo, ref, path, key string
		want                       string // the error, or its start when GitHub answered status
		status                     int
		keyError                   bool
	}{
		{"a missing key", infraRepo, "", valuesPath, "jupyterhub.singleuser.image.digest",
			`config/staging.values.yaml:18: jupyterhub.singleuser.image has no key "digest"`, 0, true},
		{"a missing list item", infraRepo, "main", valuesPath, "jupyterhub.singleuser.profileList[slug=scipy].kubespawner_override.image",
			`config/staging.values.yaml:21: jupyterhub.singleuser.profileList has no item [slug=scipy]; its items' slug values are: python, r, gpu, julia`, 0, true},
		{"a bad key path", infraRepo, "", valuesPath, "jupyterhub..tag",
			`key path "jupyterhub..tag": missing key at character 12`, 0, false},
		{"a missing file", infraRepo, "main", "config/prod.values.yaml", "a",
			"read config/prod.values.yaml in example-org/infrastructure at main: GET ", 404, false},
		{"a missing branch", infraRepo, "staging", valuesPath, "a",
			"read config/staging.values.yaml in example-org/infrastructure at staging: GET ", 404, false},
		{"a directory", infraRepo, "", "config", "a",
			"read config in example-org/infrastructure: it is a directory, not a values file", 0, false},
		{"not owner/name", "infrastructure", "", valuesPath, "a",
			`"infrastructure" is not a repository owner/name`, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(ctx, w.gh, operator.ConfigRepo{Repository: tt.repo, Ref: tt.ref, Path: tt.path, Key: tt.key})
			if err == nil {
				t.Fatalf("Read = %+v, want an error", got)
			}
			var ghErr *github.ErrorResponse
			switch {
			case tt.status == 0 && err.Error() != tt.want:
				t.Errorf("error\n got  %s\n want %s", err, tt.want)
			case tt.status != 0 && !strings.HasPrefix(err.Error(), tt.want):
				t.Errorf("error\n got  %s\n want it to start with %s", err, tt.want)
			case tt.status != 0 && (!errors.As(err, &ghErr) || ghErr.Response.StatusCode != tt.status):
				t.Errorf("error %v does not wrap GitHub's %d", err, tt.status)
			}
			var ke *yamledit.KeyError
			if errors.As(err, &ke) != tt.keyError {
				t.Errorf("errors.As(*KeyError) = %v, want %v", !tt.keyError, tt.keyError)
			}
		})
	}
}
