package fakegithub

import (
	"fmt"
	"testing"

	"github.com/google/go-github/v60/github"
)

func TestCommentPagination(t *testing.T) {
	w := newWorld(t)
	var want []string
	for i := 1; i <= 7; i++ {
		body := fmt.Sprintf("comment %d", i)
		w.repo.AddComment(w.pr, "maintainer", body)
		want = append(want, body)
	}
	base := w.s.URL() + "api/v3/repos/octo-org/community-image/issues/1/comments"
	link := func(page int, rel string) string {
		return fmt.Sprintf(`<%s?page=%d&per_page=3>; rel="%s"`, base, page, rel)
	}
	pages := []struct {
		bodies                  int
		prev, next, first, last int
		link                    string
	}{
		{bodies: 3, next: 2, last: 3, link: link(2, "next") + ", " + link(3, "last")},
		{bodies: 3, prev: 1, next: 3, first: 1, last: 3, link: link(1, "prev") + ", " + link(3, "next") + ", " + link(3, "last") + ", " + link(1, "first")},
		{bodies: 1, prev: 2, first: 1, link: link(2, "prev") + ", " + link(1, "first")},
	}
	var got []string
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 3}}
	for i, p := range pages {
		comments, resp, err := w.c.Issues.ListComments(w.ctx, worldOwner, worldName, w.pr, opts)
		must(t, err)
		page := fmt.Sprintf("page %d", i+1)
		equal(t, page+" size", len(comments), p.bodies)
		equal(t, page+" Link", resp.Header.Get("Link"), p.link)
		equal(t, page+" pages", []int{resp.PrevPage, resp.NextPage, resp.FirstPage, resp.LastPage}, []int{p.prev, p.next, p.first, p.last})
		for _, c := range comments {
			got = append(got, c.GetBody())
		}
		opts.Page = resp.NextPage
	}
	equal(t, "bodies", got, want)
	equal(t, "no further page", opts.Page, 0)
}

func TestSinglePageHasNoLink(t *testing.T) {
	w := newWorld(t)
	w.repo.AddComment(w.pr, "maintainer", "only")
	_, resp, err := w.c.Issues.ListComments(w.ctx, worldOwner, worldName, w.pr, nil)
	must(t, err)
	equal(t, "Link", resp.Header.Get("Link"), "")
}
