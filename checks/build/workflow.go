package build

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/imagebot/imagebot/checks/internal/textfile"
)

// Publish is one image tag a workflow pushes to a registry.
type Publish struct {
	Path string
	// Line is the line to point at: the step's uses: line for jupyterhub/repo2docker-action,
	// the tag's own line for docker/metadata-action (its tags: entry, or its flavor latest=
	// entry) and for literal tags, the command's line for a push in a run: script.
	Line int
	// Via is what decides the tag: "jupyterhub/repo2docker-action", "docker/metadata-action",
	// "docker/build-push-action", "docker/bake-action", "docker push", "docker buildx build
	// --push", "repo2docker --push".
	Via string
	// Image is the image name, with ${{ env.X }} and shell variables from env: resolved and
	// anything else kept verbatim ("quay.io/${{ github.repository_owner }}/cryo-hub-image").
	Image string
	// Tag is the tag, literal or as a template: "latest", "{{sha}}" (SHALength characters of
	// the commit SHA), "{{branch}}", "pr-{{pr}}", "{{tag}}" (the git tag), "{{version}}",
	// "{{match}}" (a regular expression's match in the git tag), "{{date 'YYYYMMDD'}}", or a
	// GitHub expression or shell variable as written.
	Tag  string
	Kind TagKind // ClassifyTag(Tag, "")
	// Reason says in one sentence why the tag is published.
	Reason string
	// Condition says when the push happens if not on every run the workflow makes: the
	// events that produce the tag ("on git tag pushes"), and if: or other expressions that
	// must hold. Empty for every run.
	Condition string
	// SHALength is, for a tag containing {{sha}}, how many leading characters of the commit
	// SHA it holds (40 for the whole SHA); 0 otherwise.
	SHALength int
}

// Workflow is what a GitHub Actions workflow publishes.
type Workflow struct {
	Name      string    // the workflow's name:, or its path when it has none (as GitHub shows it)
	Publishes []Publish // every tag it pushes that can be determined, in step order
}

// Bounds on one workflow scan. Aliases let a small file name the same steps, scripts and
// lists many times; every visit counts.
const (
	maxSteps = 10000       // steps walked
	maxWork  = 2 * MaxSize // bytes of scalars read and of publishes recorded
)

// ScanWorkflow scans a GitHub Actions workflow for the image tags it publishes through
// jupyterhub/repo2docker-action, docker/metadata-action tags that reach a push
// (docker/build-push-action tags:, docker/bake-action files:, a run: script's docker push,
// docker buildx build --push -t, or repo2docker --push --image-name), literal tags of
// docker/build-push-action, and docker push in run: scripts. Tags that only name a build
// cache (cache-from, cache-to) are not publishes.
//
// It fails on text that is not YAML, and on YAML that is not a workflow: not a mapping,
// without a jobs: mapping, or with steps: that are not a list of mappings, and on a run:
// script too large or too deeply nested to check. A run: script that is not valid shell
// contributes the pushes before its error.
func ScanWorkflow(path string, data []byte) (*Workflow, error) {
	src, err := text(path, data)
	if err != nil {
		return nil, err
	}
	if n := textfile.YAMLIndicators(src); n > textfile.MaxYAMLIndicators {
		return nil, &ParseError{Path: path, Msg: fmt.Sprintf("too large a YAML document: %d structural characters, more than the %d a workflow may have", n, textfile.MaxYAMLIndicators)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		return nil, yamlError(path, err)
	}
	root := deref(&doc)
	if root != nil && root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = deref(root.Content[0])
	}
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, &ParseError{Path: path, Line: 1, Msg: "a workflow is a mapping with name:, on: and jobs:"}
	}
	s := &workflowScan{
		path:     path,
		src:      strings.Split(src, "\n"),
		env:      env{stringMap(get(root, "env"))},
		contexts: triggerContexts(get(root, "on")),
		work:     maxWork,
	}
	w := &Workflow{Name: scalarOf(root, "name")}
	if w.Name == "" {
		w.Name = path
	}
	jobsKey, jobs := entry(root, "jobs", false)
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		line := 1
		if jobsKey != nil {
			line = jobsKey.Line
		}
		return nil, &ParseError{Path: path, Line: line, Msg: "a workflow needs a jobs: mapping"}
	}
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		if err := s.job(deref(jobs.Content[i]), deref(jobs.Content[i+1])); err != nil {
			return nil, err
		}
	}
	w.Publishes = s.out
	return w, nil
}

var yamlLine = regexp.MustCompile(`line ([0-9]+)`)

func yamlError(path string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimPrefix(strings.TrimPrefix(msg, m[0]), ": ")
	}
	return &ParseError{Path: path, Line: line, Msg: "not valid YAML: " + msg}
}

// workflowScan is the state of one workflow scan.
type workflowScan struct {
	path     string
	src      []string
	env      env
	contexts contextSet // the contexts the workflow's triggers can run it in
	steps    int
	work     int // bytes of work left, see maxWork
	out      []Publish
	seen     map[Publish]bool
	pushed   map[string]bool // metadata steps already published, by step, pusher and condition
	refused  *ParseError     // the first run: script too large or too deeply nested to check
}

// spend takes n bytes of work from the budget and reports whether any is left.
func (s *workflowScan) spend(n int) bool {
	s.work -= n
	return s.work >= 0
}

// jobScan is the state of one job: its env, condition and the metadata steps so far.
type jobScan struct {
	*workflowScan
	env       env
	condition string
	metadata  map[string]*metadataStep // by step id
	last      *metadataStep            // the latest metadata step (DOCKER_METADATA_OUTPUT_TAGS)
}

// env is the environment a step sees: the workflow's, the job's and the step's env:
// mappings, later ones winning.
type env []map[string]string

func (e env) lookup(name string) (string, bool) {
	for i := len(e) - 1; i >= 0; i-- {
		if v, ok := e[i][name]; ok {
			return v, true
		}
	}
	return "", false
}

// with returns the environment with one more layer.
func (e env) with(layer map[string]string) env {
	return append(e[:len(e):len(e)], layer)
}

// step is one workflow step, as the publish readers see it.
type step struct {
	node      *yaml.Node
	usesLine  int
	action    string // uses: without @ref, lower-case
	with      *yaml.Node
	env       env
	condition string // job and step if:, joined
}

func (s *workflowScan) job(key, job *yaml.Node) error {
	id, _ := scalar(key)
	if job == nil || job.Kind != yaml.MappingNode {
		line := 0
		if key != nil {
			line = key.Line
		}
		return &ParseError{Path: s.path, Line: line, Msg: fmt.Sprintf("job %q is not a mapping", id)}
	}
	j := &jobScan{workflowScan: s, env: s.env.with(stringMap(get(job, "env"))), metadata: map[string]*metadataStep{}}
	j.condition = expressionOf(scalarOf(job, "if"))
	stepsKey, steps := entry(job, "steps", false)
	if steps == nil {
		return nil // a job that calls a reusable workflow (uses:) has no steps
	}
	if steps.Kind != yaml.SequenceNode {
		return &ParseError{Path: s.path, Line: stepsKey.Line, Msg: fmt.Sprintf("steps of job %q are not a list", id)}
	}
	for _, n := range steps.Content {
		n = deref(n)
		if s.steps++; s.steps > maxSteps {
			return &ParseError{Path: s.path, Msg: fmt.Sprintf("more than %d steps (aliases included)", maxSteps)}
		}
		if n == nil || n.Kind != yaml.MappingNode {
			line := 0
			if n != nil {
				line = n.Line
			}
			return &ParseError{Path: s.path, Line: line, Msg: fmt.Sprintf("a step of job %q is not a mapping", id)}
		}
		if !s.spend(1+len(n.Content)) || !j.step(n) {
			return &ParseError{Path: s.path, Msg: fmt.Sprintf("the workflow is too large to scan: its steps, scripts and tags, aliases followed, exceed %d MiB", maxWork>>20)}
		}
		if s.refused != nil {
			return s.refused
		}
	}
	return nil
}

// step reads one step, and reports false when the work budget ran out.
func (j *jobScan) step(n *yaml.Node) bool {
	st := step{node: n, with: get(n, "with")}
	if w := deref(st.with); w != nil && !j.spend(len(w.Content)) {
		return false
	}
	st.env = j.env.with(stringMap(get(n, "env")))
	st.condition = joinConditions(j.condition, expressionOf(scalarOf(n, "if")))
	if k, v := entry(n, "uses", false); v != nil {
		st.usesLine = k.Line
		uses, _ := scalar(v)
		st.action = strings.ToLower(strings.TrimSpace(uses))
		if i := strings.IndexByte(st.action, '@'); i >= 0 {
			st.action = st.action[:i]
		}
	}
	switch st.action {
	case "jupyterhub/repo2docker-action":
		j.repo2dockerAction(st)
	case "docker/metadata-action", "crazy-max/ghaction-docker-meta":
		m := j.readMetadata(st)
		if id := scalarOf(n, "id"); id != "" {
			j.metadata[id] = m
		}
		j.last = m
	case "docker/build-push-action":
		j.buildPushAction(st)
	case "docker/bake-action":
		j.bakeAction(st)
	}
	if run := get(n, "run"); run != nil {
		j.runScript(st, run)
	}
	return j.work >= 0
}

// publish records a publish once.
func (s *workflowScan) publish(p Publish) {
	p.Path = s.path
	if s.seen == nil {
		s.seen = map[Publish]bool{}
	}
	if !s.spend(len(p.Image)+len(p.Tag)+len(p.Reason)+len(p.Condition)) || s.seen[p] {
		return
	}
	s.seen[p] = true
	p.Kind = ClassifyTag(p.Tag, "")
	s.out = append(s.out, p)
}

// expressionOf returns an if: condition as written, without its ${{ }} wrapper.
func expressionOf(cond string) string {
	cond = strings.TrimSpace(cond)
	if strings.HasPrefix(cond, "${{") && strings.HasSuffix(cond, "}}") {
		cond = strings.TrimSpace(cond[3 : len(cond)-2])
	}
	return cond
}

// joinConditions joins conditions that must all hold.
func joinConditions(conds ...string) string {
	var parts []string
	for _, c := range conds {
		if c != "" {
			parts = append(parts, c)
		}
	}
	return strings.Join(parts, "; ")
}

var (
	expressionPattern = regexp.MustCompile(`\$\{\{.*?\}\}`)
	envExpression     = regexp.MustCompile(`^env\.([A-Za-z_][A-Za-z0-9_-]*)$|^env\[\s*'([^']+)'\s*\]$`)
	stepOutput        = regexp.MustCompile(`steps\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs\.([A-Za-z_-]+)`)
)

// maxResolved bounds how much longer ${{ env.X }} and $X substitution may make a text.
const maxResolved = 4096

// resolveEnv substitutes ${{ env.NAME }} expressions with env values (themselves resolved,
// a few levels deep) and keeps every other expression as written. A text that would grow
// by more than maxResolved bytes is returned as written.
func resolveEnv(s string, e env) string {
	if !strings.Contains(s, "${{") {
		return s
	}
	var b strings.Builder
	if !expandEnv(&b, s, e, 0, len(s)+maxResolved) {
		return s
	}
	return b.String()
}

func expandEnv(b *strings.Builder, s string, e env, depth, limit int) bool {
	for {
		i := strings.Index(s, "${{")
		if i < 0 {
			b.WriteString(s)
			return b.Len() <= limit
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			b.WriteString(s)
			return b.Len() <= limit
		}
		expr := s[i : i+j+2]
		b.WriteString(s[:i])
		s = s[i+j+2:]
		m := envExpression.FindStringSubmatch(strings.TrimSpace(expr[3 : len(expr)-2]))
		if m != nil && depth < 3 {
			if v, ok := e.lookup(m[1] + m[2]); ok {
				if !expandEnv(b, v, e, depth+1, limit) {
					return false
				}
				continue
			}
		}
		b.WriteString(expr)
		if b.Len() > limit {
			return false
		}
	}
}

// lowerOutsideExpressions lower-cases an image name, leaving ${{ … }} expressions alone.
func lowerOutsideExpressions(s string) string {
	var b strings.Builder
	last := 0
	for _, loc := range expressionPattern.FindAllStringIndex(s, -1) {
		b.WriteString(strings.ToLower(s[last:loc[0]]))
		b.WriteString(s[loc[0]:loc[1]])
		last = loc[1]
	}
	b.WriteString(strings.ToLower(s[last:]))
	return b.String()
}

// listItems splits an action's list input (one item per line, or comma-separated when
// commas is true) into items with their source lines. Blank items and # comments are
// skipped.
func (s *workflowScan) listItems(n *yaml.Node, commas bool) []item {
	v, ok := scalar(n)
	if !ok || !s.spend(len(v)) {
		return nil
	}
	lines := mapScalar(s.src, deref(n))
	var out []item
	offset := 0
	for _, line := range strings.SplitAfter(v, "\n") {
		start := offset
		offset += len(line)
		line = strings.TrimRight(line, "\n")
		parts := []string{line}
		if commas {
			parts = splitCSV(line)
		}
		for _, p := range parts {
			p = strings.TrimSpace(p)
			if p == "" || strings.HasPrefix(p, "#") {
				continue
			}
			out = append(out, item{text: p, line: lines.at(start + len(line) - len(strings.TrimLeft(line, " \t")))})
		}
	}
	return out
}

// item is one entry of a list input.
type item struct {
	text string
	line int
}

// splitCSV splits a line on commas outside double quotes and ${{ }} expressions, removing
// the double quotes.
func splitCSV(line string) []string {
	var out []string
	var b strings.Builder
	quoted, expr := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case !expr && strings.HasPrefix(line[i:], "${{"):
			expr = true
			b.WriteByte(c)
		case expr && strings.HasPrefix(line[i:], "}}"):
			expr = false
			b.WriteString("}}")
			i++
		case expr:
			b.WriteByte(c)
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			out = append(out, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(out, b.String())
}

// isTrue reports whether an input is literally true; maybe is set for an expression.
func isTrue(v string) (yes, maybe bool) {
	v = strings.TrimSpace(v)
	if strings.Contains(v, "${{") {
		return false, true
	}
	return strings.EqualFold(v, "true"), false
}

// splitImageTag splits "image:tag" into image and tag; a tag is only a colon after the last
// slash, outside ${{ … }}, ${ … } and $( … ).
func splitImageTag(ref string) (string, string) {
	masked := maskExpansions(ref)
	if i := strings.IndexByte(masked, '@'); i >= 0 {
		ref, masked = ref[:i], masked[:i]
	}
	slash := strings.LastIndexByte(masked, '/')
	if c := strings.LastIndexByte(masked, ':'); c > slash {
		return ref[:c], ref[c+1:]
	}
	return ref, ""
}

// maskExpansions replaces every ${{ … }}, ${ … } and $( … ) in s with x's of the same
// length, so that the punctuation inside them is not read as part of a reference.
func maskExpansions(s string) string {
	b := []byte(s)
	for i := 0; i+1 < len(b); i++ {
		if b[i] != '$' || (b[i+1] != '{' && b[i+1] != '(') {
			continue
		}
		open, closer := b[i+1], byte('}')
		if open == '(' {
			closer = ')'
		}
		depth, j := 0, i+1
		for ; j < len(b); j++ {
			if b[j] == open {
				depth++
			} else if b[j] == closer {
				if depth--; depth == 0 {
					break
				}
			}
		}
		if j == len(b) {
			j--
		}
		for k := i; k <= j; k++ {
			b[k] = 'x'
		}
		i = j
	}
	return string(b)
}
