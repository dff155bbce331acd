package fakegithub

import (
	"encoding/base64"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/imagebot/imagebot/checks"
)

// base64Lines encodes content as GitHub does in contents and blobs: standard base64 in
// lines of 60 characters, each ending in a newline.
func base64Lines(content []byte) string {
	enc := base64.StdEncoding.EncodeToString(content)
	var b strings.Builder
	for len(enc) > 60 {
		b.WriteString(enc[:60] + "\n")
		enc = enc[60:]
	}
	if enc != "" {
		b.WriteString(enc + "\n")
	}
	return b.String()
}

// gitNodeID is the node id of a git object, which has no numeric id.
func gitNodeID(kind, sha string) string {
	return base64.StdEncoding.EncodeToString([]byte("0" + fmt.Sprint(len(kind)) + ":" + kind + sha))
}

// contentEntryJSON is a file or directory entry of the contents API at ref.
func (s *Server) contentEntryJSON(r *Repo, ref, p, sha string, dir bool, size int) object {
	escaped := (&url.URL{Path: p}).EscapedPath()
	self := s.api(fmt.Sprintf("/repos/%s/contents/%s?ref=%s", r.fullName(), escaped, url.QueryEscape(ref)))
	kind, gitKind, htmlKind := "file", "blobs", "blob"
	var download any = fmt.Sprintf("https://raw.githubusercontent.com/%s/%s/%s", r.fullName(), ref, escaped)
	if dir {
		kind, gitKind, htmlKind, download = "dir", "trees", "tree", nil
	}
	git := s.api(fmt.Sprintf("/repos/%s/git/%s/%s", r.fullName(), gitKind, sha))
	html := fmt.Sprintf("%s/%s/%s/%s/%s", githubHTML, r.fullName(), htmlKind, ref, escaped)
	return object{
		"type":         kind,
		"name":         path.Base(p),
		"path":         p,
		"sha":          sha,
		"size":         size,
		"url":          self,
		"git_url":      git,
		"html_url":     html,
		"download_url": download,
		"_links":       object{"self": self, "git": git, "html": html},
	}
}

// treeAt returns the entries of directory dir ("" for the root) in the commit's tree.
func (r *Repo) treeAt(commit, dir string) ([]treeEntry, string, bool) {
	sha := r.commits[commit].tree
	if dir == "" {
		return r.trees[sha], sha, true
	}
	for _, part := range strings.Split(dir, "/") {
		found := false
		for _, e := range r.trees[sha] {
			if e.name == part && e.isTree() {
				sha, found = e.sha, true
				break
			}
		}
		if !found {
			return nil, "", false
		}
	}
	return r.trees[sha], sha, true
}

// refOrDefault resolves the ref query parameter, defaulting to the default branch. It
// returns the name to show in URLs and the commit id.
func refOrDefault(req *request) (name, sha string, rep reply) {
	name = req.query.Get("ref")
	if name == "" {
		name = req.repo.defaultBranch
	}
	sha, found := req.repo.resolve(name)
	if !found {
		return "", "", errorReply(http.StatusNotFound, "No commit found for the ref "+name)
	}
	return name, sha, reply{}
}

// getContent answers a file with its base64 content, or a directory with its entries. A
// symbolic link whose target is a file of the repository is answered with that file, and
// any other link with an object naming its target, as GitHub's contents API does.
func getContent(s *Server, req *request) reply {
	r := req.repo
	ref, commit, rep := refOrDefault(req)
	if rep.failed() {
		return rep
	}
	p := strings.Trim(req.params["path"], "/")
	if r.commits[commit].links[p] {
		target, isFile := r.followLink(commit, p)
		if !isFile {
			blob := r.commits[commit].files[p]
			out := s.contentEntryJSON(r, ref, p, blob, false, len(r.blobs[blob]))
			out["type"], out["target"] = "symlink", string(r.blobs[blob])
			return ok(out)
		}
		p = target
	}
	if blob, isFile := r.commits[commit].files[p]; isFile {
		out := s.contentEntryJSON(r, ref, p, blob, false, len(r.blobs[blob]))
		out["content"] = base64Lines(r.blobs[blob])
		out["encoding"] = "base64"
		return ok(out)
	}
	entries, _, isDir := r.treeAt(commit, p)
	if !isDir {
		return notFound()
	}
	list := []object{}
	for _, e := range entries {
		size := 0
		if !e.isTree() {
			size = len(r.blobs[e.sha])
		}
		list = append(list, s.contentEntryJSON(r, ref, path.Join(p, e.name), e.sha, e.isTree(), size))
	}
	sort.Slice(list, func(i, j int) bool { return list[i]["name"].(string) < list[j]["name"].(string) })
	return ok(list)
}

// putFileContents commits one file to a branch: 201 when it creates the file, 200 when it
// updates it. Updating needs the file's current blob id as sha (422 without it); a sha
// that is not the current blob id, or names a file that does not exist, answers 409.
func putFileContents(s *Server, req *request) reply {
	r := req.repo
	var body struct {
		Message   string `json:"message"`
		Content   string `json:"content"`
		SHA       string `json:"sha"`
		Branch    string `json:"branch"`
		Committer *struct {
			Name  string `json:"name"`
			Email string `json:"email"`
		} `json:"committer"`
	}
	if rep := decodeBody(req, &body); rep.failed() {
		return rep
	}
	content, err := base64.StdEncoding.DecodeString(body.Content)
	if err != nil {
		return validationFailed("content is not valid Base64")
	}
	branch := body.Branch
	if branch == "" {
		branch = r.defaultBranch
	}
	p := strings.Trim(req.params["path"], "/")
	parent, branchExists := r.refs["refs/heads/"+branch]
	if !branchExists && len(r.refs) > 0 {
		return errorReply(http.StatusNotFound, "Branch "+branch+" not found")
	}
	files, links := map[string]string{}, map[string]bool{}
	var parents []string
	if branchExists {
		files, links = maps.Clone(r.commits[parent].files), maps.Clone(r.commits[parent].links)
		parents = []string{parent}
	}
	delete(links, p)
	old, exists := files[p]
	switch {
	case exists && body.SHA == "":
		return validationFailed(`Invalid request.` + "\n\n" + `"sha" wasn't supplied.`)
	case body.SHA != "" && body.SHA != old:
		return errorReply(http.StatusConflict, fmt.Sprintf("%s does not match %s", p, body.SHA))
	}
	name, email := s.actor(), fmt.Sprintf("%d+%s@users.noreply.github.com", s.app.id, s.actor())
	if body.Committer != nil {
		name, email = body.Committer.Name, body.Committer.Email
	}
	files[p] = r.writeBlob(string(content))
	sha := r.writeCommit(files, links, parents, body.Message, name, email, s.now())
	r.setBranch(branch, sha)

	entry := s.contentEntryJSON(r, branch, p, files[p], false, len(content))
	c := r.commits[sha]
	_, html := r.commitURLs(sha)
	person := object{"name": c.name, "email": c.email, "date": ts(c.when)}
	commit := object{
		"sha":       sha,
		"node_id":   gitNodeID("Commit", sha),
		"url":       s.api(fmt.Sprintf("/repos/%s/git/commits/%s", r.fullName(), sha)),
		"html_url":  html,
		"author":    person,
		"committer": person,
		"message":   c.message,
		"tree":      object{"sha": c.tree, "url": s.api(fmt.Sprintf("/repos/%s/git/trees/%s", r.fullName(), c.tree))},
		"parents":   s.parentsJSON(r, c),
		"verification": object{
			"verified": false, "reason": "unsigned", "signature": nil, "payload": nil, "verified_at": nil,
		},
	}
	status := http.StatusCreated
	if exists {
		status = http.StatusOK
	}
	return reply{status: status, body: object{"content": entry, "commit": commit}}
}

// parentsJSON lists a commit's parents as the API links them.
func (s *Server) parentsJSON(r *Repo, c *gitCommit) []object {
	out := []object{}
	for _, p := range c.parents {
		api, html := r.commitURLs(p)
		out = append(out, object{"sha": p, "url": api, "html_url": html})
	}
	return out
}

// getTree answers a tree by tree id, commit id or ref name; with the recursive query
// parameter present (whatever its value, as GitHub documents) it lists every nested entry.
func getTree(s *Server, req *request) reply {
	r := req.repo
	root := req.params["tree_sha"]
	if _, isTree := r.trees[root]; !isTree {
		commit, found := r.resolve(root)
		if !found {
			return notFound()
		}
		root = r.commits[commit].tree
	}
	_, recursive := req.query["recursive"]
	entries := []object{}
	var walk func(sha, prefix string)
	walk = func(sha, prefix string) {
		for _, e := range r.trees[sha] {
			p := prefix + e.name
			o := object{"path": p, "sha": e.sha}
			if e.isTree() {
				o["mode"], o["type"] = "040000", "tree"
				o["url"] = s.api(fmt.Sprintf("/repos/%s/git/trees/%s", r.fullName(), e.sha))
			} else {
				o["mode"], o["type"], o["size"] = e.mode, "blob", len(r.blobs[e.sha])
				o["url"] = s.api(fmt.Sprintf("/repos/%s/git/blobs/%s", r.fullName(), e.sha))
			}
			entries = append(entries, o)
			if e.isTree() && recursive {
				walk(e.sha, p+"/")
			}
		}
	}
	walk(root, "")
	return ok(object{
		"sha":       root,
		"url":       s.api(fmt.Sprintf("/repos/%s/git/trees/%s", r.fullName(), root)),
		"tree":      entries,
		"truncated": false,
	})
}

func getBlob(s *Server, req *request) reply {
	r := req.repo
	sha := req.params["file_sha"]
	content, found := r.blobs[sha]
	if !found {
		return notFound()
	}
	return ok(object{
		"sha":      sha,
		"node_id":  gitNodeID("Blob", sha),
		"url":      s.api(fmt.Sprintf("/repos/%s/git/blobs/%s", r.fullName(), sha)),
		"size":     len(content),
		"content":  base64Lines(content),
		"encoding": "base64",
	})
}

// refJSON is a git-ref.
func (s *Server) refJSON(r *Repo, full, sha string) object {
	return object{
		"ref":     full,
		"node_id": gitNodeID("Ref", full),
		"url":     s.api(fmt.Sprintf("/repos/%s/git/%s", r.fullName(), full)),
		"object": object{
			"type": "commit",
			"sha":  sha,
			"url":  s.api(fmt.Sprintf("/repos/%s/git/commits/%s", r.fullName(), sha)),
		},
	}
}

// getRef answers a ref given without its refs/ prefix, such as heads/main.
func getRef(s *Server, req *request) reply {
	full := "refs/" + req.params["ref"]
	sha, found := req.repo.refs[full]
	if !found {
		return notFound()
	}
	return ok(s.refJSON(req.repo, full, sha))
}

// createRef creates a branch or tag ref at an existing commit.
func createRef(s *Server, req *request) reply {
	r := req.repo
	var body struct {
		Ref string `json:"ref"`
		SHA string `json:"sha"`
	}
	if rep := decodeBody(req, &body); rep.failed() {
		return rep
	}
	if !strings.HasPrefix(body.Ref, "refs/") || strings.Count(body.Ref, "/") < 2 {
		return validationFailed("Reference name must start with 'refs/' and have at least two slashes.")
	}
	if _, exists := r.refs[body.Ref]; exists {
		return validationFailed("Reference already exists")
	}
	if r.commits[body.SHA] == nil {
		return validationFailed("Object does not exist")
	}
	r.refs[body.Ref] = body.SHA
	return created(s.refJSON(r, body.Ref, body.SHA))
}

// followLink resolves the symbolic link p at commit as the checks do (checks.ResolveLinks),
// and reports the file it ends at; ok is false when it ends outside the repository, at a
// directory, nowhere, or after too many links.
func (r *Repo) followLink(commit, p string) (file string, ok bool) {
	c := r.commits[commit]
	real, err := checks.ResolveLinks(p, func(name string) (string, bool, error) {
		if _, isFile := c.files[name]; isFile {
			return string(r.blobs[c.files[name]]), c.links[name], nil
		}
		if _, _, isDir := r.treeAt(commit, name); isDir {
			return "", false, nil
		}
		return "", false, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	})
	if err != nil {
		return "", false
	}
	_, isFile := c.files[real]
	return real, isFile
}
