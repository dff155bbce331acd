package fakegithub

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Page sizes of GitHub's list operations.
const (
	defaultPerPage = 30
	maxPerPage     = 100
)

// paginate returns the page of items that the request's per_page and page select, and the
// Link header GitHub sends with it: prev and first links after the first page, next and
// last links before the last one.
func paginate[T any](s *Server, req *request, items []T) ([]T, http.Header) {
	perPage := intQuery(req, "per_page", defaultPerPage)
	if perPage < 1 {
		perPage = defaultPerPage
	}
	perPage = min(perPage, maxPerPage)
	page := max(intQuery(req, "page", 1), 1)
	last := max((len(items)+perPage-1)/perPage, 1)
	start := min((page-1)*perPage, len(items))
	end := min(start+perPage, len(items))
	out := items[start:end]
	if last == 1 {
		return out, nil
	}
	link := func(p int, rel string) string {
		q := req.http.URL.Query()
		q.Set("page", strconv.Itoa(p))
		q.Set("per_page", strconv.Itoa(perPage))
		return fmt.Sprintf(`<%s%s?%s>; rel="%s"`, s.http.URL, req.http.URL.EscapedPath(), q.Encode(), rel)
	}
	var links []string
	if page > 1 {
		links = append(links, link(min(page-1, last), "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"))
	}
	return out, http.Header{"Link": {strings.Join(links, ", ")}}
}

// intQuery reads an integer query parameter, or def when it is absent. The request was
// validated, so a present value parses.
func intQuery(req *request, name string, def int) int {
	v := req.query.Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def
	}
	return n
}
