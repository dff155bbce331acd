package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/imagebot/imagebot/bot/review"
	"github.com/imagebot/imagebot/internal/fakegithub"
	"github.com/imagebot/imagebot/internal/fixtures"
	"github.com/imagebot/imagebot/internal/testregistry"
)

// command comments body on pull request number as user, whose
// author_association is association, delivers the real issue_comment
// payload, and returns the reaction imagebot answered with.
func (w *world) command(number int, user, association, body string) string {
	w.t.Helper()
	id := w.repo.AddComment(number, user, body)
	w.deliver("issue_comment", fixtures.EditedWebhook(w.t, "issue_comment", "created", map[string]any{
		"installation.id": 42, "repository.name": "notebook", "repository.full_name": "example-hub/notebook",
		"repository.owner.login": "example-hub", "issue.number": number,
		"issue.pull_request": map[string]any{"url": fmt.Sprintf("https://api.github.com/repos/example-hub/notebook/pulls/%d", number)},
		"comment.id":         id, "comment.body": body, "comment.user.login": user, "comment.author_association": association,
	}))
	var reaction string
	w.eventually(time.Minute, user+"'s reaction to "+body, func() bool {
		for _, c := range w.gh.Comments("example-hub/notebook", number) {
			if c.ID == id && len(c.Reactions) > 0 {
				reaction = c.Reactions[0].Content
				return len(c.Reactions) == 1
			}
		}
		return false
	})
	return reaction
}

// stickyComment is imagebot's dependency-diff comment on a pull request.
func (w *world) stickyComment(number int) string {
	for _, c := range w.gh.Comments("example-hub/notebook", number) {
		if strings.HasSuffix(c.Body, review.Marker) {
			return c.Body
		}
	}
	return ""
}

// TestCommands: owners, members and collaborators are obeyed; everyone
// else gets 😕 and nothing else; no command makes imagebot post a comment
// of its own but the sticky one that help adds its section to.
func TestCommands(t *testing.T) {
	w := newWorld(t, testregistry.InProcess(t), func(image string) string { return fmt.Sprintf(twoHubs, image, "6h", "30m") })
	head := w.repo.Commit("unlocked", map[string]string{"environment.yml": "dependencies:\n  - python=3.12\n"})
	number := w.repo.OpenPull("unlocked", "main", fakegithub.PullTitle("Add an environment"), fakegithub.PullAuthor("visitor"))
	imagebotComments := func() int {
		n := 0
		for _, c := range w.gh.Comments("example-hub/notebook", number) {
			if c.User != "maintainer" && c.User != "visitor" && c.User != "example-hub" {
				n++
			}
		}
		return n
	}

	for _, refused := range []struct{ association, body string }{
		{"CONTRIBUTOR", "/imagebot recheck"},
		{"FIRST_TIME_CONTRIBUTOR", "/imagebot help"},
		{"NONE", "/imagebot rollout"},
	} {
		if got := w.command(number, "visitor", refused.association, refused.body); got != "confused" {
			t.Errorf("%s %q: reaction %q, want confused", refused.association, refused.body, got)
		}
	}
	// The refusals are answered; had any been obeyed, its check would be
	// queued before the reaction was made.
	if runs := w.gh.CheckRuns("example-hub/notebook", head); len(runs) != 0 || imagebotComments() != 0 {
		t.Fatalf("refused commands did something: %d check runs, %d comments", len(runs), imagebotComments())
	}

	if got := w.command(number, "maintainer", "COLLABORATOR", "/imagebot recheck"); got != "+1" {
		t.Errorf("recheck: reaction %q, want +1", got)
	}
	w.eventually(time.Minute, "the checks on the head", func() bool {
		for _, run := range w.gh.CheckRuns("example-hub/notebook", head) {
			if run.Name == "lockfile-present" && run.Conclusion == "failure" {
				return true
			}
		}
		return false
	})

	if got := w.command(number, "example-hub", "OWNER", "/imagebot help"); got != "+1" {
		t.Errorf("help: reaction %q, want +1", got)
	}
	w.eventually(time.Minute, "the commands in the sticky comment", func() bool {
		return strings.Contains(w.stickyComment(number), "`/imagebot recheck`")
	})
	if got := w.command(number, "maintainer", "MEMBER", "/imagebot rechek"); got != "confused" {
		t.Errorf("a misspelt command: reaction %q, want confused", got)
	}
	body := w.stickyComment(number)
	if strings.Count(body, "#### Commands") != 1 || !strings.Contains(body, "/compare/") {
		t.Errorf("the sticky comment should list the commands once and link the head's compare view:\n%s", body)
	}
	if n := imagebotComments(); n != 1 {
		t.Errorf("imagebot has %d comments on the pull request, want the sticky one only", n)
	}
}
