package fakegithub

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// router matches request paths against the description's path templates.
//
// A template parameter matches one path segment. GitHub also accepts slashes inside some
// parameters (a contents {path}, a {ref} such as heads/feature/x, the branches of a
// compare), which the description cannot express, so when no template matches segment by
// segment the router tries again letting every parameter except {owner} and {repo} span
// slashes. Among matching templates the one with the most literal characters wins, so
// /repos/o/r/issues/comments is issues/list-comments-for-repo rather than issues/get with
// issue_number "comments".
type router struct {
	byFirst map[string][]*route // by the template's first path segment
}

type route struct {
	template string
	literal  int // literal characters in the template
	params   []string
	strict   *regexp.Regexp
	loose    *regexp.Regexp
	methods  map[string]*operation
}

// match is the outcome of routing one request.
type match struct {
	template string
	op       *operation
	params   map[string]string
}

var templateParam = regexp.MustCompile(`\{([^}]+)\}`)

func newRouter() *router { return &router{byFirst: map[string][]*route{}} }

// add registers op for method on template.
func (rt *router) add(template, method string, op *operation) error {
	first := firstSegment(template)
	for _, r := range rt.byFirst[first] {
		if r.template == template {
			r.methods[method] = op
			return nil
		}
	}
	r := &route{template: template, methods: map[string]*operation{method: op}}
	var strict, loose strings.Builder
	strict.WriteString("^")
	loose.WriteString("^")
	last := 0
	for _, loc := range templateParam.FindAllStringSubmatchIndex(template, -1) {
		lit := template[last:loc[0]]
		r.literal += len(lit)
		strict.WriteString(regexp.QuoteMeta(lit))
		loose.WriteString(regexp.QuoteMeta(lit))
		name := template[loc[2]:loc[3]]
		r.params = append(r.params, name)
		strict.WriteString(`([^/]+?)`)
		if name == "owner" || name == "repo" {
			loose.WriteString(`([^/]+?)`)
		} else {
			loose.WriteString(`(.+?)`)
		}
		last = loc[1]
	}
	r.literal += len(template[last:])
	strict.WriteString(regexp.QuoteMeta(template[last:]) + "$")
	loose.WriteString(regexp.QuoteMeta(template[last:]) + "$")
	var err error
	if r.strict, err = regexp.Compile(strict.String()); err != nil {
		return fmt.Errorf("REST description: path %s: %w", template, err)
	}
	if r.loose, err = regexp.Compile(loose.String()); err != nil {
		return fmt.Errorf("REST description: path %s: %w", template, err)
	}
	rt.byFirst[first] = append(rt.byFirst[first], r)
	return nil
}

// lookup finds the operation for method on escapedPath (the request's path as sent, with
// percent-escapes intact, so that an escaped slash stays inside its parameter). It reports
// whether any template matched the path, so that a wrong method can be told from an
// unknown path.
func (rt *router) lookup(method, escapedPath string) (m match, pathKnown bool, err error) {
	candidates := rt.byFirst[firstSegment(escapedPath)]
	for _, loose := range []bool{false, true} {
		var best *route
		var bestGroups []string
		for _, r := range candidates {
			re := r.strict
			if loose {
				re = r.loose
			}
			groups := re.FindStringSubmatch(escapedPath)
			if groups == nil {
				continue
			}
			pathKnown = true
			if r.methods[method] == nil {
				continue
			}
			if best == nil || r.literal > best.literal {
				best, bestGroups = r, groups
			}
		}
		if best == nil {
			continue
		}
		m = match{template: best.template, op: best.methods[method], params: map[string]string{}}
		for i, name := range best.params {
			v, err := url.PathUnescape(bestGroups[i+1])
			if err != nil {
				return match{}, true, fmt.Errorf("path parameter %s: %w", name, err)
			}
			m.params[name] = v
		}
		return m, true, nil
	}
	return match{}, pathKnown, nil
}

// firstSegment is the first segment of a path or template ("/repos/{owner}" → "repos").
func firstSegment(path string) string {
	seg, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return seg
}
