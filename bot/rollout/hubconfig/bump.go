package hubconfig

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"text/template"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/rollout/operator"
)

// BumpRequest says which rollout a bump is for.
type BumpRequest struct {
	// Hub is the hub's name, a lower-case DNS label.
	Hub string
	// Tag is the image tag the rollout follows.
	Tag string
	// SourceRepo is the community image repository, "owner/name".
	SourceRepo string
	// SourcePR is the number of the merged pull request in SourceRepo.
	SourcePR int
	// SourceURL is that pull request's https:// address.
	SourceURL string
}

// ErrAlreadySet is Bump's error when the base branch already holds the new
// value, so there is nothing to change.
var ErrAlreadySet = errors.New("the values file already holds the new value")

var (
	hubPattern      = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	tagPattern      = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	fullNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$`)
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var bumpTemplates = mustParse("templates/bump.tmpl")

// mustParse parses one of the embedded templates.
func mustParse(name string) *template.Template {
	return template.Must(template.ParseFS(templateFS, name))
}

// Bump makes sure a pull request proposes setting the value at keyPath in
// the file at path of repo ("owner/name") to newValue, and returns its
// HTML URL.
//
// The pull request's branch is imagebot/<hub>-<tag>. If a pull request from
// that branch exists, whatever its state, Bump returns it and changes
// nothing: it never opens a second one for the same hub and tag, so a bump
// the operator closed stays closed. Otherwise it creates the branch from
// base ("" for the default branch), or reuses the branch an earlier
// attempt left, commits the edit through the contents API, and opens the
// pull request into base, with a title and body that link the community
// pull request. The edit replaces only the value's text (see setScalar).
// When base already holds newValue, Bump returns ErrAlreadySet.
func Bump(ctx context.Context, gh *github.Client, repo, base, path, keyPath, newValue string, pr BumpRequest) (string, error) {
	if _, _, err := splitRepo(repo); err != nil {
		return "", err
	}
	kp, err := operator.ParseKeyPath(keyPath)
	if err != nil {
		return "", err
	}
	if err := checkNewValue(newValue); err != nil {
		return "", err
	}
	msg, err := newBumpMessage(pr, kp, path, newValue)
	if err != nil {
		return "", err
	}
	text, err := msg.render()
	if err != nil {
		return "", err
	}
	return propose(ctx, gh, repo, base, path, kp, newValue, "imagebot/"+pr.Hub+"-"+pr.Tag, text)
}

// bumpMessage is the data of templates/bump.tmpl. Its plain fields go into
// the title and the commit message and hold validated names only; MD holds
// the same facts escaped for the Markdown body.
type bumpMessage struct {
	Hub, Tag, SourceRepo        string
	SourcePR                    int
	Key, File, Value, SourceURL string
	MD                          struct{ Key, File, Value, Source string }
}

func newBumpMessage(pr BumpRequest, kp operator.KeyPath, path, value string) (bumpMessage, error) {
	u, err := url.Parse(pr.SourceURL)
	switch {
	case !hubPattern.MatchString(pr.Hub):
		return bumpMessage{}, fmt.Errorf("bump: %q is not a hub name", pr.Hub)
	case !tagPattern.MatchString(pr.Tag):
		return bumpMessage{}, fmt.Errorf("bump: %q is not an image tag", pr.Tag)
	case !fullNamePattern.MatchString(pr.SourceRepo) || pr.SourcePR < 1:
		return bumpMessage{}, fmt.Errorf("bump: %s#%d is not a pull request", pr.SourceRepo, pr.SourcePR)
	case err != nil || u.Scheme != "https" || u.Host == "":
		return bumpMessage{}, fmt.Errorf("bump: the source pull request's URL %q is not an https:// URL", pr.SourceURL)
	}
	m := bumpMessage{
		Hub: pr.Hub, Tag: pr.Tag, SourceRepo: pr.SourceRepo, SourcePR: pr.SourcePR,
		Key: kp.String(), File: path, Value: value, SourceURL: u.String(),
	}
	m.MD.Key, m.MD.File, m.MD.Value = code(m.Key), code(path), code(value)
	m.MD.Source = fmt.Sprintf("[%s#%d](%s)", pr.SourceRepo, pr.SourcePR, strings.NewReplacer("(", "%28", ")", "%29").Replace(u.String()))
	return m, nil
}

// render executes the templates of templates/bump.tmpl: the pull request's
// "title" and "body", and the "commit" message.
func (m bumpMessage) render() (map[string]string, error) {
	out := map[string]string{}
	for _, name := range []string{"title", "body", "commit"} {
		var b strings.Builder
		if err := bumpTemplates.ExecuteTemplate(&b, name, m); err != nil {
			return nil, fmt.Errorf("bump: render the %s: %w", name, err)
		}
		out[name] = b.String()
	}
	return out, nil
}

// code renders s as a Markdown code span that shows it as it is, whatever
// backticks it holds.
func code(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}
