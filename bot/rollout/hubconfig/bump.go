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
	"github.com/imagebot/imagebot/bot/rollout/yamledit"
	"github.com/imagebot/imagebot/internal/markdown"
)

// BumpRequest is what Bump proposes: a new value at one key path of a
// hub's values file, and the rollout it is for.
type BumpRequest struct {
	// Config is the values file and the key path of the value. Its Ref is
	// the branch the pull request goes into; "" means the repository's
	// default branch.
	Config operator.ConfigRepo
	// Value is the new value: a tag, a bare digest or a full image
	// reference.
	Value string
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

// Bump makes sure a pull request proposes setting the value at req.Config's
// key path to req.Value, and returns its HTML URL.
//
// The pull request's branch is imagebot/<hub>-<tag>. If a pull request from
// that branch exists, whatever its state, Bump returns it and changes
// nothing: it never opens a second one for the same hub and tag, so a bump
// the operator closed stays closed. Otherwise it creates the branch from
// the base branch (req.Config.Ref, or the default branch), or reuses the
// branch an earlier attempt left, commits the edit through the contents
// API, and opens the pull request into the base branch, with a title and
// body that link the community pull request. The edit replaces only the
// value's text (see yamledit.Set). When the base branch already holds the new
// value, Bump returns ErrAlreadySet.
func Bump(ctx context.Context, gh *github.Client, req BumpRequest) (string, error) {
	newValue := req.Value
	if _, _, err := splitRepo(req.Config.Repository); err != nil {
		return "", err
	}
	kp, err := yamledit.ParseKeyPath(req.Config.Key)
	if err != nil {
		return "", err
	}
	if err := yamledit.CheckValue(newValue); err != nil {
		return "", err
	}
	msg, err := newBumpMessage(req, kp)
	if err != nil {
		return "", err
	}
	text, err := msg.render()
	if err != nil {
		return "", err
	}
	return propose(ctx, gh, req.Config, kp, newValue, "imagebot/"+req.Hub+"-"+req.Tag, text)
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

func newBumpMessage(pr BumpRequest, kp yamledit.KeyPath) (bumpMessage, error) {
	path, value := pr.Config.Path, pr.Value
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
	m.MD.Key, m.MD.File, m.MD.Value = markdown.Code(m.Key), markdown.Code(path), markdown.Code(value)
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
