package hubconfig

import (
	"errors"
	"testing"
)

const (
	rollbackBranch = "imagebot/rollback-staging-" + newTag
	failure        = "2 of 3 servers started since 09:14 UTC failed on the new image (exit code 1)"
)

// rollbackTo asks to restore value on the hub that request bumped.
func rollbackTo(value string) RollbackRequest {
	r := RollbackRequest{BumpRequest: request, Failure: failure}
	r.Value = value
	return r
}

func TestRollback(t *testing.T) {
	w := newWorld(t)
	// The bump merged: main runs the failing tag.
	failing := bumped(t, "      tag: '0123456789ab'    # bumped by imagebot\n", "      tag: 'fedcba987654'    # bumped by imagebot\n")
	w.repo.Commit("main", map[string]string{valuesPath: failing})
	w.srv.Reset()

	got, err := Rollback(ctx, w.gh, rollbackTo("0123456789ab"))
	if err != nil {
		t.Fatalf("Rollback: %v", err)
	}
	if got != bumpURL {
		t.Errorf("Rollback = %q, want %q", got, bumpURL)
	}
	if content, _ := w.repo.File(rollbackBranch, valuesPath); content != string(stagingValues(t)) {
		t.Errorf("the values file on %s is\n%s\nwant the value before the bump", rollbackBranch, content)
	}
	pr := w.srv.Pull(infraRepo, 1)
	wantTitle := "staging: roll back from image tag fedcba987654 of example-org/hub-image#12, which fails to start"
	wantBody := "Sets `jupyterhub.singleuser.image.tag` in `config/staging.values.yaml` back to `0123456789ab`, the image that the hub **staging** ran before [example-org/hub-image#12](https://github.com/example-org/hub-image/pull/12).\n\n" +
		"The new image fails on the hub: " + failure + ". Merging this pull request rolls the hub back to the image that worked, while the image is fixed in example-org/hub-image.\n\n" +
		"<sub>Opened by imagebot because the operator's configuration sets <code>openPullRequest: true</code> for this hub. Only this one value changes; the rest of the file stays as it is.</sub>"
	if pr.Title != wantTitle || pr.Body != wantBody || pr.Head != rollbackBranch || pr.Base != "main" {
		t.Errorf("pull request: %+v\nwant title %q\nbody %q", pr, wantTitle, wantBody)
	}

	// Once: asked again, even after the operator closed it, it is found.
	w.repo.ClosePull(1)
	w.srv.Reset()
	if again, err := Rollback(ctx, w.gh, rollbackTo("0123456789ab")); err != nil || again != bumpURL {
		t.Errorf("Rollback again = %q, %v; want the first pull request", again, err)
	}
	if ops := w.ops(); len(ops) != 1 || ops[0] != "GET pulls/list" {
		t.Errorf("calls %q, want only the list of pull requests", ops)
	}
}

func TestRollbackAlreadyRestored(t *testing.T) {
	w := newWorld(t)
	_, err := Rollback(ctx, w.gh, rollbackTo("0123456789ab"))
	if !errors.Is(err, ErrAlreadySet) {
		t.Errorf("Rollback over the previous value: %v, want ErrAlreadySet", err)
	}
	if _, err := Rollback(ctx, w.gh, rollbackTo("bad\"value")); err == nil {
		t.Error("a value with a quote was accepted")
	}
}
