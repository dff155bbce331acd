package hubconfig

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/rollout/yamledit"
)

// RollbackRequest says which failing rollout a rollback undoes.
type RollbackRequest struct {
	// BumpRequest is the rollout that failed: its hub, its tag and the
	// community pull request that built it. Its Value is the value to
	// restore: what the hub had before the failing rollout.
	BumpRequest
	// Failure says what failed on the hub, as Markdown text the caller
	// escaped, such as "2 of 3 servers started since 09:14 UTC failed on
	// the new image (exit code 1)".
	Failure string
}

var rollbackTemplates = mustParse("templates/rollback.tmpl")

// Rollback makes sure a pull request proposes setting the value at
// req.Config's key path back to req.Value, the value the hub had before the
// failing rollout, and returns its HTML URL.
//
// Its branch is imagebot/rollback-<hub>-<tag>, where tag is the failing
// image's. Like Bump, it never opens a second pull request for the same hub
// and tag, whatever became of the first, and it returns ErrAlreadySet when
// the base branch already holds that value (someone rolled the hub back
// already).
func Rollback(ctx context.Context, gh *github.Client, req RollbackRequest) (string, error) {
	if _, _, err := splitRepo(req.Config.Repository); err != nil {
		return "", err
	}
	kp, err := yamledit.ParseKeyPath(req.Config.Key)
	if err != nil {
		return "", err
	}
	if err := yamledit.CheckValue(req.Value); err != nil {
		return "", err
	}
	msg, err := newBumpMessage(req.BumpRequest, kp)
	if err != nil {
		return "", err
	}
	text := map[string]string{}
	data := struct {
		bumpMessage
		Failure string
	}{msg, req.Failure}
	for _, name := range []string{"title", "body", "commit"} {
		var b strings.Builder
		if err := rollbackTemplates.ExecuteTemplate(&b, name, data); err != nil {
			return "", fmt.Errorf("rollback: render the %s: %w", name, err)
		}
		text[name] = b.String()
	}
	return propose(ctx, gh, req.Config, kp, req.Value, "imagebot/rollback-"+req.Hub+"-"+req.Tag, text)
}
