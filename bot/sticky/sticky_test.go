package sticky

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/githubapp"
	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
	"github.com/imagebot/imagebot/internal/fakegithub"
	"github.com/imagebot/imagebot/internal/fixtures"
)

func setup(t *testing.T) (*fakegithub.Server, *fakegithub.Repo, *github.Client, *store.Store, int) {
	fixtures.OpenAPIPath(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	srv := fakegithub.New(t, fakegithub.WithAppKey(&key.PublicKey))
	repo := srv.AddRepo("org", "image")
	srv.AddInstallation(1, "org", repo)
	repo.Commit("main", map[string]string{"README.md": "x\n"})
	repo.Commit("feature", map[string]string{"README.md": "y\n"})
	number := repo.OpenPull("feature", "main")
	clients, err := githubapp.NewClientCreator(githubapp.Config{AppID: 1, BaseURL: srv.URL(),
		PrivateKey: pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})})
	if err != nil {
		t.Fatal(err)
	}
	gh, err := clients.NewInstallationClient(1)
	if err != nil {
		t.Fatal(err)
	}
	return srv, repo, gh, storetest.Open(t, store.SQLite), number
}

func put(t *testing.T, c *Comment, body string) {
	t.Helper()
	rec, ok, err := c.Record(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Put(context.Background(), rec, ok, body, true); err != nil {
		t.Fatal(err)
	}
}

func TestComment(t *testing.T) {
	srv, repo, gh, st, number := setup(t)
	c := &Comment{GH: gh, State: st, Owner: "org", Repo: "image", Number: number, Kind: "test", Marker: "<!-- imagebot:test -->"}
	steps := []struct {
		name, body  string
		wantWrites  int
		wantBody    string
		wantCount   int
		beforeSteps func()
	}{
		{name: "created once", body: "first", wantWrites: 1, wantBody: "first\n\n<!-- imagebot:test -->", wantCount: 1},
		{name: "the same body writes nothing", body: "first", wantWrites: 0, wantBody: "first\n\n<!-- imagebot:test -->", wantCount: 1},
		{name: "a new body edits it", body: "second", wantWrites: 1, wantBody: "second\n\n<!-- imagebot:test -->", wantCount: 1},
		{name: "deleted by someone: posted again", body: "third", wantWrites: 1, wantBody: "third\n\n<!-- imagebot:test -->", wantCount: 1,
			beforeSteps: func() { repo.DeleteComment(srv.Comments("org/image", number)[0].ID) }},
	}
	for _, s := range steps {
		if s.beforeSteps != nil {
			s.beforeSteps()
		}
		before := c.Writes
		put(t, c, s.body)
		comments := srv.Comments("org/image", number)
		if c.Writes-before != s.wantWrites || len(comments) != s.wantCount || comments[0].Body != s.wantBody {
			t.Errorf("%s: %d writes, %d comments %+v", s.name, c.Writes-before, len(comments), comments)
		}
	}
}

// TestCommentFoundAfterAnInterruptedCreate: the intent was stored and
// GitHub created the comment, but the process died before storing its id.
func TestCommentFoundAfterAnInterruptedCreate(t *testing.T) {
	srv, _, gh, st, number := setup(t)
	ctx := context.Background()
	marker := "<!-- imagebot:test -->"
	created, _, err := gh.Issues.CreateComment(ctx, "org", "image", number, &github.IssueComment{Body: github.String("body\n\n" + marker)})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutComment(ctx, store.CommentRecord{Repo: "org/image", Number: number, Kind: "test", BodyHash: hash("body\n\n" + marker)}); err != nil {
		t.Fatal(err)
	}
	srv.Reset()
	c := &Comment{GH: gh, State: st, Owner: "org", Repo: "image", Number: number, Kind: "test", Marker: marker}
	put(t, c, "body")
	comments := srv.Comments("org/image", number)
	if len(comments) != 1 || comments[0].ID != created.GetID() || c.Writes != 0 {
		t.Errorf("%d comments, %d writes; want the one created before, and no write", len(comments), c.Writes)
	}
	var listed bool
	for _, call := range srv.Calls() {
		listed = listed || strings.HasSuffix(call.Path, "/comments") && call.Method == http.MethodGet
	}
	if !listed {
		t.Error("the comments were not paged through to find it")
	}
	rec, ok, _ := st.Comment(ctx, "org/image", number, "test")
	if !ok || rec.ID != created.GetID() {
		t.Errorf("stored %+v", rec)
	}
}
