// Package sticky keeps one comment of a kind on a pull request: created
// once, edited in place only when its body changes, and found again after
// a restart without paging through every comment each time. Its id and a
// hash of its body are stored; an intent is stored before the comment is
// created, so that a process killed right after GitHub created it finds it
// (the one time the comments are paged through) instead of posting twice.
//
// It depends on go-github, the store's record type and githubapp's retries
// only.
package sticky

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/githubapp"
	"github.com/imagebot/imagebot/bot/store"
)

// State stores the comment's record.
type State interface {
	Comment(ctx context.Context, repo string, number int, kind string) (store.CommentRecord, bool, error)
	PutComment(ctx context.Context, r store.CommentRecord) error
}

// Comment is the sticky comment of one kind on one pull request. Its body
// ends with Marker, a hidden line that identifies it.
type Comment struct {
	GH          *github.Client
	State       State
	Owner, Repo string
	Number      int
	Kind        string
	Marker      string
	// Writes counts the comments created and edited.
	Writes int
}

// Record returns the stored record of the comment, looking the comment up
// on GitHub when only an intent was stored. ok is false when there is no
// comment yet.
func (c *Comment) Record(ctx context.Context) (store.CommentRecord, bool, error) {
	rec, ok, err := c.State.Comment(ctx, c.fullName(), c.Number, c.Kind)
	if err != nil || !ok || rec.ID != 0 {
		return rec, ok, err
	}
	if rec.ID, err = c.find(ctx); err != nil {
		return rec, false, err
	}
	return rec, rec.ID != 0, nil
}

// Put makes the comment say body (Marker is appended), and stores
// hadChanges with it. rec and ok are what Record returned. It writes
// nothing when the body is the one stored.
func (c *Comment) Put(ctx context.Context, rec store.CommentRecord, ok bool, body string, hadChanges bool) error {
	body = strings.TrimSpace(body) + "\n\n" + c.Marker
	next := store.CommentRecord{Repo: c.fullName(), Number: c.Number, Kind: c.Kind, BodyHash: hash(body), HadChanges: hadChanges}
	if ok && rec.ID != 0 {
		if rec.BodyHash == next.BodyHash && rec.HadChanges == hadChanges {
			return nil
		}
		if rec.BodyHash != next.BodyHash {
			// Editing a comment to a given body is safe to repeat, so
			// a failed edit is retried where it failed.
			_, resp, err := c.GH.Issues.EditComment(githubapp.Idempotent(ctx), c.Owner, c.Repo, rec.ID, &github.IssueComment{Body: github.String(body)})
			switch {
			case err == nil:
				c.Writes++
			case resp != nil && resp.StatusCode == http.StatusNotFound:
				// Someone deleted the comment: post a new one below.
				return c.create(ctx, next, body)
			default:
				return fmt.Errorf("edit %s comment: %w", c.Kind, err)
			}
		}
		next.ID = rec.ID
		return c.State.PutComment(ctx, next)
	}
	return c.create(ctx, next, body)
}

func (c *Comment) create(ctx context.Context, next store.CommentRecord, body string) error {
	if err := c.State.PutComment(ctx, next); err != nil { // the intent: ID 0
		return err
	}
	// A create that may have posted the comment anyway (a 5xx) looks for it
	// before posting again.
	err := githubapp.CreateOnce(ctx, func(ctx context.Context) error {
		created, _, err := c.GH.Issues.CreateComment(ctx, c.Owner, c.Repo, c.Number, &github.IssueComment{Body: github.String(body)})
		next.ID = created.GetID()
		return err
	}, func(ctx context.Context) (bool, error) {
		var err error
		next.ID, err = c.find(ctx)
		return next.ID != 0, err
	})
	if err != nil {
		return fmt.Errorf("create %s comment: %w", c.Kind, err)
	}
	c.Writes++
	return c.State.PutComment(ctx, next)
}

// find pages through the pull request's comments for one by a bot that
// ends with Marker.
func (c *Comment) find(ctx context.Context) (int64, error) {
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		comments, resp, err := c.GH.Issues.ListComments(ctx, c.Owner, c.Repo, c.Number, opts)
		if err != nil {
			return 0, fmt.Errorf("list comments: %w", err)
		}
		for _, cm := range comments {
			if cm.GetUser().GetType() == "Bot" && strings.HasSuffix(cm.GetBody(), c.Marker) {
				return cm.GetID(), nil
			}
		}
		if resp.NextPage == 0 {
			return 0, nil
		}
		opts.Page = resp.NextPage
	}
}

func (c *Comment) fullName() string { return c.Owner + "/" + c.Repo }

func hash(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}
