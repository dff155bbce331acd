package hubconfig

import (
	"bytes"
	"context"
	"fmt"
	"net/http"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/bot/rollout/yamledit"
)

// propose makes sure a pull request from branch proposes setting the value
// at kp in cfg's values file to newValue, and returns its HTML URL.
// text holds the pull request's "title" and "body" and the "commit"
// message.
//
// If a pull request from branch exists, whatever its state, propose
// returns it and changes nothing, so a pull request the operator closed
// stays closed. Otherwise it creates the branch from cfg.Ref (or the
// default branch), or reuses the branch an earlier attempt left, commits
// the edit through the contents API, and opens the pull request into that
// branch. When the branch already holds newValue, it returns ErrAlreadySet.
func propose(ctx context.Context, gh *github.Client, cfg operator.ConfigRepo, kp yamledit.KeyPath, newValue, branch string, text map[string]string) (string, error) {
	repo, base, path := cfg.Repository, cfg.Ref, cfg.Path
	owner, name, err := splitRepo(repo)
	if err != nil {
		return "", err
	}
	if u, found, err := existingPull(ctx, gh, owner, name, branch); err != nil || found {
		return u, err
	}
	if base == "" {
		r, _, err := gh.Repositories.Get(ctx, owner, name)
		if err != nil {
			return "", fmt.Errorf("find the default branch of %s: %w", repo, err)
		}
		base = r.GetDefaultBranch()
	}
	baseRef, _, err := gh.Git.GetRef(ctx, owner, name, "heads/"+base)
	if err != nil {
		return "", fmt.Errorf("find branch %s of %s: %w", base, repo, err)
	}
	baseSHA := baseRef.GetObject().GetSHA()
	f, err := getFile(ctx, gh, owner, name, baseSHA, path)
	if err != nil {
		return "", err
	}
	current, err := yamledit.Find(f.data, kp, path)
	if err != nil {
		return "", err
	}
	if current.Value == newValue {
		return "", ErrAlreadySet
	}
	updated, err := yamledit.Set(f.data, kp, path, newValue)
	if err != nil {
		return "", err
	}

	_, resp, err := gh.Git.GetRef(ctx, owner, name, "heads/"+branch)
	switch {
	case err == nil:
		if f, err = getFile(ctx, gh, owner, name, branch, path); err != nil {
			return "", err
		}
		if updated, err = yamledit.Set(f.data, kp, path, newValue); err != nil {
			return "", err
		}
	case resp != nil && resp.StatusCode == http.StatusNotFound:
		ref := &github.Reference{Ref: github.String("refs/heads/" + branch), Object: &github.GitObject{SHA: github.String(baseSHA)}}
		if _, _, err := gh.Git.CreateRef(ctx, owner, name, ref); err != nil {
			return "", fmt.Errorf("create branch %s in %s: %w", branch, repo, err)
		}
	default:
		return "", fmt.Errorf("look for branch %s in %s: %w", branch, repo, err)
	}
	if !bytes.Equal(updated, f.data) {
		opts := &github.RepositoryContentFileOptions{
			Message: github.String(text["commit"]),
			Content: updated,
			SHA:     github.String(f.sha),
			Branch:  github.String(branch),
		}
		if _, _, err := gh.Repositories.UpdateFile(ctx, owner, name, path, opts); err != nil {
			return "", fmt.Errorf("commit %s to %s in %s: %w", path, branch, repo, err)
		}
	}
	created, _, err := gh.PullRequests.Create(ctx, owner, name, &github.NewPullRequest{
		Title: github.String(text["title"]),
		Head:  github.String(branch),
		Base:  github.String(base),
		Body:  github.String(text["body"]),
	})
	if err != nil {
		return "", fmt.Errorf("open the pull request from %s in %s: %w", branch, repo, err)
	}
	return created.GetHTMLURL(), nil
}

// existingPull finds the pull request from branch, preferring an open one
// to the most recent closed one.
func existingPull(ctx context.Context, gh *github.Client, owner, name, branch string) (string, bool, error) {
	pulls, _, err := gh.PullRequests.List(ctx, owner, name, &github.PullRequestListOptions{State: "all", Head: owner + ":" + branch})
	if err != nil {
		return "", false, fmt.Errorf("look for a pull request from %s in %s/%s: %w", branch, owner, name, err)
	}
	for _, p := range pulls {
		if p.GetState() == "open" {
			return p.GetHTMLURL(), true, nil
		}
	}
	if len(pulls) > 0 {
		return pulls[0].GetHTMLURL(), true, nil
	}
	return "", false, nil
}
