package operator

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/imagebot/imagebot/bot/rollout/yamledit"
	"github.com/imagebot/imagebot/internal/strictyaml"
	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with the configuration file.
type Problem = strictyaml.Problem

// Problems is the error Parse returns for an invalid file, one Problem per
// mistake, in the order of the file.
type Problems []Problem

func (p Problems) Error() string {
	parts := make([]string, len(p))
	for i, q := range p {
		parts[i] = fmt.Sprintf("line %d: %s", q.Line, q.Message)
	}
	return strings.Join(parts, "\n")
}

// fileProblems is Load's error for an invalid file: each problem prefixed
// with the file's path, as compilers print them. It unwraps to Problems.
type fileProblems struct {
	path     string
	problems Problems
}

func (e *fileProblems) Error() string {
	parts := make([]string, len(e.problems))
	for i, q := range e.problems {
		parts[i] = fmt.Sprintf("%s:%d: %s", e.path, q.Line, q.Message)
	}
	return strings.Join(parts, "\n")
}

func (e *fileProblems) Unwrap() error { return e.problems }

// Load reads and parses the configuration file at path. An empty path
// gives an empty Config: no repositories, so rollout tracking is off. An
// invalid file gives an error that unwraps to Problems.
func Load(path string) (*Config, error) {
	if path == "" {
		return &Config{}, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the operator configuration: %w", err)
	}
	c, err := Parse(data)
	var problems Problems
	if errors.As(err, &problems) {
		return nil, &fileProblems{path: path, problems: problems}
	}
	return c, err
}

// Patterns of the names the file uses.
var (
	hubNamePattern  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	fullNamePattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$`)
	envNamePattern  = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)
	// metricPrefixPattern is a Prometheus metric name without its last
	// part, which imagebot appends.
	metricPrefixPattern = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	branchBadPattern    = regexp.MustCompile(`[\x00-\x20\x7f~^:?*\[\\]|\.\.|//|@\{|^[/.-]|[/.]$|\.lock$|^@$|/\.`)
)

// sampleSHA stands for a merge commit's SHA when a tag template is checked:
// the longest SHA gives the longest tag.
const sampleSHA = "0123456789abcdef0123456789abcdef01234567"

// Parse reads a configuration file. An empty file gives an empty Config.
// An invalid file gives Problems, each with its line.
func Parse(data []byte) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, Problems{{Line: strictyaml.ErrorLine(err), Message: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	c := &Config{}
	if len(doc.Content) == 0 {
		return c, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return c, nil
	}
	p := &parser{hubLines: map[string]int{}, repoLines: map[string]int{}, registryLines: map[string]int{}}
	p.Mapping(root, "the top level", map[string]func(*yaml.Node){
		"hubs": func(n *yaml.Node) {
			for i, item := range p.list(n, "hubs") {
				c.Hubs = append(c.Hubs, p.hub(item, fmt.Sprintf("hubs[%d]", i)))
			}
		},
		"repositories": func(n *yaml.Node) {
			for i, item := range p.list(n, "repositories") {
				c.Repositories = append(c.Repositories, p.repository(item, fmt.Sprintf("repositories[%d]", i)))
			}
		},
		"registries": func(n *yaml.Node) {
			for i, item := range p.list(n, "registries") {
				c.Registries = append(c.Registries, p.registry(item, fmt.Sprintf("registries[%d]", i)))
			}
		},
	})
	for _, ref := range p.hubRefs {
		if _, ok := p.hubLines[ref.name]; !ok {
			p.Fail(ref.node, "%s: no hub is named %q; the hubs are: %s", ref.where, ref.name, p.hubNames())
		} else if h, _ := c.Hub(ref.name); ref.key && h.ConfigRepo == nil {
			p.Fail(ref.node, "%s: hub %q has no configRepo, so a key for it means nothing; give the hub a configRepo, or list it by name only", ref.where, ref.name)
		}
	}
	if len(p.Problems) > 0 {
		sort.SliceStable(p.Problems, func(i, j int) bool { return p.Problems[i].Line < p.Problems[j].Line })
		return nil, Problems(p.Problems)
	}
	return c, nil
}

// parser collects problems while it walks the YAML tree, and what it needs
// to check across entries: names already used, with their lines, and the
// hub names repositories refer to.
type parser struct {
	strictyaml.Walker
	hubLines      map[string]int
	repoLines     map[string]int // by lower-case owner/name
	registryLines map[string]int // by registryHost
	hubRefs       []hubRef
}

// hubRef is a hub name a repository lists; key says it gave its own key.
type hubRef struct {
	node  *yaml.Node
	where string
	name  string
	key   bool
}

func (p *parser) hubNames() string {
	if len(p.hubLines) == 0 {
		return "(none defined)"
	}
	names := make([]string, 0, len(p.hubLines))
	for name := range p.hubLines {
		names = append(names, name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// list returns a sequence's items.
func (p *parser) list(n *yaml.Node, where string) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		p.Fail(n, "%s must be a list", where)
		return nil
	}
	return n.Content
}

// text returns a scalar's text; ok is false, and a problem recorded, for
// anything else.
func (p *parser) text(n *yaml.Node, where string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Value == "" {
		p.Fail(n, "%s must be a non-empty string", where)
		return "", false
	}
	return n.Value, true
}

func (p *parser) boolean(n *yaml.Node, where string) bool {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		return n.Value == "true"
	}
	p.Fail(n, "%s must be true or false; got %q", where, n.Value)
	return false
}

// duration reads a positive Go duration such as 6h or 1h30m.
func (p *parser) duration(n *yaml.Node, where string) (time.Duration, bool) {
	s, ok := p.text(n, where)
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		p.Fail(n, "%s: %q is not a duration; write one such as 6h, 90m or 1h30m", where, s)
		return 0, false
	case d <= 0:
		p.Fail(n, "%s must be longer than zero; got %q", where, s)
		return 0, false
	}
	return d, true
}

// matching reads a string that must match pattern; explain says what it
// should look like.
func (p *parser) matching(n *yaml.Node, where string, pattern *regexp.Regexp, explain string) string {
	s, ok := p.text(n, where)
	if ok && !pattern.MatchString(s) {
		p.Fail(n, "%s: %q is not %s", where, s, explain)
	}
	return s
}

func (p *parser) hub(n *yaml.Node, where string) Hub {
	h := Hub{Healthy: Healthy{Window: DefaultHealthyWindow, Failures: DefaultHealthyFailures}}
	p.Mapping(n, where, map[string]func(*yaml.Node){
		"name": func(v *yaml.Node) {
			h.Name = p.matching(v, where+".name", hubNamePattern, "a hub name (a lower-case DNS label: letters, digits and '-', at most 63)")
			if line, dup := p.hubLines[h.Name]; dup {
				p.Fail(v, "%s.name: the hub name %q is already used at line %d", where, h.Name, line)
			} else if h.Name != "" {
				p.hubLines[h.Name] = v.Line
			}
		},
		"url":        func(v *yaml.Node) { h.URL = p.httpsURL(v, where+".url") },
		"kubernetes": func(v *yaml.Node) { h.Kubernetes = p.kubernetes(v, where+".kubernetes") },
		"configRepo": func(v *yaml.Node) { h.ConfigRepo = p.configRepo(v, where+".configRepo") },
		"apiURL":     func(v *yaml.Node) { h.APIURL = p.apiURL(v, where+".apiURL") },
		"metrics":    func(v *yaml.Node) { h.Metrics = p.metrics(v, where+".metrics") },
		"healthy":    func(v *yaml.Node) { h.Healthy = p.healthy(v, where+".healthy") },
	}, "name", "url")
	if n.Kind == yaml.MappingNode && h.Kubernetes == nil && h.ConfigRepo == nil {
		p.Fail(n, "%s: give kubernetes, configRepo or both, so that imagebot can see which image the hub runs", where)
	}
	return h
}

// httpsURL reads an absolute https:// URL without credentials. A URL with
// credentials is not repeated in the message.
func (p *parser) httpsURL(n *yaml.Node, where string) string {
	s, ok := p.text(n, where)
	if !ok {
		return ""
	}
	u, err := url.Parse(s)
	switch {
	case (err == nil && u.User != nil) || (err != nil && strings.Contains(s, "@")):
		p.Fail(n, "%s must not hold a user name or password", where)
	case err != nil || u.Scheme != "https" || u.Host == "":
		p.Fail(n, "%s must be an https:// URL such as https://hub.example.org; got %q", where, s)
	}
	return s
}

// apiURL reads the address of a hub's REST API: http:// or https://, a
// host, no credentials, query or fragment.
func (p *parser) apiURL(n *yaml.Node, where string) string {
	s, ok := p.text(n, where)
	if !ok {
		return ""
	}
	u, err := url.Parse(s)
	switch {
	case (err == nil && u.User != nil) || (err != nil && strings.Contains(s, "@")):
		p.Fail(n, "%s must not hold a user name or password; name the token's environment variable in metrics.tokenEnv", where)
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "":
		p.Fail(n, "%s must be an http:// or https:// address such as http://hub.jhub.svc.cluster.local:8081, without a query; got %q", where, s)
	}
	return s
}

// metrics reads how a hub's /hub/metrics is read.
func (p *parser) metrics(n *yaml.Node, where string) *Metrics {
	m := &Metrics{Prefix: DefaultMetricsPrefix}
	p.Mapping(n, where, map[string]func(*yaml.Node){
		"tokenEnv": p.envName(&m.TokenEnv, where+".tokenEnv", "PROD_HUB_METRICS_TOKEN"),
		"prefix": func(v *yaml.Node) {
			m.Prefix = p.matching(v, where+".prefix", metricPrefixPattern, "a Prometheus metric name prefix such as jupyterhub")
		},
	}, "tokenEnv")
	return m
}

// healthy reads how the healthy stage judges a hub.
func (p *parser) healthy(n *yaml.Node, where string) Healthy {
	h := Healthy{Window: DefaultHealthyWindow, Failures: DefaultHealthyFailures}
	p.Mapping(n, where, map[string]func(*yaml.Node){
		"window": func(v *yaml.Node) {
			if d, ok := p.duration(v, where+".window"); ok {
				h.Window = d
			}
		},
		"failures": func(v *yaml.Node) {
			f, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || err != nil || f < 1 || f > 1000 {
				p.Fail(v, "%s must be a whole number from 1 to 1000; got %q", where+".failures", v.Value)
				return
			}
			h.Failures = f
		},
	})
	return h
}

// envName reads the name of an environment variable that holds a secret
// into field. A value that is not such a name is not repeated in the
// message: it may be the secret itself.
func (p *parser) envName(field *string, where, example string) func(*yaml.Node) {
	return func(v *yaml.Node) {
		if s, ok := p.text(v, where); ok {
			if !envNamePattern.MatchString(s) {
				p.Fail(v, "%s must name an environment variable (upper-case letters, digits and '_', such as %s) that holds the credential, never the credential itself", where, example)
			}
			*field = s
		}
	}
}

func (p *parser) kubernetes(n *yaml.Node, where string) *Kubernetes {
	k := &Kubernetes{Selector: DefaultSelector, Container: DefaultContainer}
	var kubeconfig, context *yaml.Node
	p.Mapping(n, where, map[string]func(*yaml.Node){
		"kubeconfig": func(v *yaml.Node) {
			kubeconfig = v
			if s, ok := p.text(v, where+".kubeconfig"); ok {
				if !path.IsAbs(s) {
					p.Fail(v, "%s must be an absolute path, such as /etc/imagebot/kubeconfig; got %q", where+".kubeconfig", s)
				}
				k.Kubeconfig = s
			}
		},
		"context": func(v *yaml.Node) {
			context = v
			k.Context, _ = p.text(v, where+".context")
		},
		"inCluster": func(v *yaml.Node) { k.InCluster = p.boolean(v, where+".inCluster") },
		"namespace": func(v *yaml.Node) {
			k.Namespace = p.matching(v, where+".namespace", hubNamePattern, "a Kubernetes namespace (a lower-case DNS label)")
		},
		"selector": func(v *yaml.Node) {
			if s, ok := p.text(v, where+".selector"); ok {
				if err := validateSelector(s); err != nil {
					p.Fail(v, "%s is not a label selector such as %s: %v", where+".selector", DefaultSelector, err)
				}
				k.Selector = s
			}
		},
		"container": func(v *yaml.Node) {
			k.Container = p.matching(v, where+".container", hubNamePattern, "a container name (a lower-case DNS label)")
		},
	}, "namespace")
	if k.InCluster {
		for _, given := range []struct {
			key  string
			node *yaml.Node
		}{{"kubeconfig", kubeconfig}, {"context", context}} {
			if given.node != nil {
				p.Fail(given.node, "%s.%s and inCluster: true exclude each other: in the cluster imagebot uses its pod's service account", where, given.key)
			}
		}
	}
	return k
}

func (p *parser) configRepo(n *yaml.Node, where string) *ConfigRepo {
	r := &ConfigRepo{}
	p.Mapping(n, where, map[string]func(*yaml.Node){
		"repository": func(v *yaml.Node) {
			r.Repository = p.matching(v, where+".repository", fullNamePattern, `a GitHub repository "owner/name"`)
		},
		"ref": func(v *yaml.Node) {
			if s, ok := p.text(v, where+".ref"); ok {
				if strings.HasPrefix(s, "refs/") || branchBadPattern.MatchString(s) {
					p.Fail(v, "%s: %q is not a branch name (write main, not refs/heads/main)", where+".ref", s)
				}
				r.Ref = s
			}
		},
		"path": func(v *yaml.Node) {
			if s, ok := p.text(v, where+".path"); ok {
				if clean := path.Clean(s); clean != s || path.IsAbs(s) || s == "." || strings.HasPrefix(s, "../") {
					p.Fail(v, "%s must be a file's path from the repository's root, such as config/staging.values.yaml; got %q", where+".path", s)
				}
				r.Path = s
			}
		},
		"key": func(v *yaml.Node) {
			if s, ok := p.text(v, where+".key"); ok {
				if _, err := yamledit.ParseKeyPath(s); err != nil {
					p.Fail(v, "%s: %v", where+".key", err)
				}
				r.Key = s
			}
		},
		"openPullRequest": func(v *yaml.Node) { r.OpenPullRequest = p.boolean(v, where+".openPullRequest") },
	}, "repository", "path", "key")
	return r
}

func (p *parser) repository(n *yaml.Node, where string) Repository {
	r := Repository{TagTemplate: DefaultTagTemplate, Timeout: DefaultTimeout, ConfigureWithin: DefaultConfigureWithin}
	var timeout, within *yaml.Node
	p.Mapping(n, where, map[string]func(*yaml.Node){
		"repository": func(v *yaml.Node) {
			r.FullName = p.matching(v, where+".repository", fullNamePattern, `a GitHub repository "owner/name"`)
			key := strings.ToLower(r.FullName)
			if line, dup := p.repoLines[key]; dup {
				p.Fail(v, "%s.repository: %q is already configured at line %d", where, r.FullName, line)
			} else if key != "" {
				p.repoLines[key] = v.Line
			}
		},
		"image": func(v *yaml.Node) {
			if s, ok := p.text(v, where+".image"); ok {
				ref, err := ParseReference(s)
				switch {
				case err != nil:
					p.Fail(v, "%s is not an image name: %v", where+".image", err)
				case ref.Tag != "" || ref.Digest != "":
					p.Fail(v, "%s %q must name the image without a tag or digest; the tag comes from tag", where+".image", s)
				}
				r.Image = s
			}
		},
		"tag":      func(v *yaml.Node) { r.TagTemplate = p.tagTemplate(v, where+".tag") },
		"workflow": func(v *yaml.Node) { r.Workflow, _ = p.text(v, where+".workflow") },
		"hubs": func(v *yaml.Node) {
			items := p.list(v, where+".hubs")
			if v.Kind == yaml.SequenceNode && len(items) == 0 {
				p.Fail(v, "%s must list at least one hub", where+".hubs")
			}
			listed := map[string]bool{}
			for i, item := range items {
				name, key := p.repositoryHub(item, fmt.Sprintf("%s.hubs[%d]", where, i))
				switch {
				case !hubNamePattern.MatchString(name):
				case listed[name]:
					p.Fail(item, "%s lists %q twice", where+".hubs", name)
				default:
					listed[name] = true
					p.hubRefs = append(p.hubRefs, hubRef{node: item, where: where + ".hubs", name: name, key: key != ""})
					r.Hubs = append(r.Hubs, name)
					if key != "" {
						if r.HubKeys == nil {
							r.HubKeys = map[string]string{}
						}
						r.HubKeys[name] = key
					}
				}
			}
		},
		"timeout": func(v *yaml.Node) {
			if d, ok := p.duration(v, where+".timeout"); ok {
				r.Timeout, timeout = d, v
			}
		},
		"configureWithin": func(v *yaml.Node) {
			if d, ok := p.duration(v, where+".configureWithin"); ok {
				r.ConfigureWithin, within = d, v
			}
		},
	}, "repository", "image", "workflow", "hubs")
	if r.ConfigureWithin >= r.Timeout && (timeout != nil || within != nil) {
		at := within
		if at == nil {
			at = timeout
		}
		p.Fail(at, "%s: configureWithin (%s) must be shorter than timeout (%s), or the rollout gives up before it explains a hub that was not configured", where, r.ConfigureWithin, r.Timeout)
	}
	return r
}

// repositoryHub reads one entry of a repository's hubs: a hub's name, or
// {hub: name, key: key path} where this repository's image is set in that
// hub's values file at another key than the hub's own.
func (p *parser) repositoryHub(n *yaml.Node, where string) (name, key string) {
	if n.Kind != yaml.MappingNode {
		return p.matching(n, where, hubNamePattern, "a hub name (or {hub: name, key: key path})"), ""
	}
	p.Mapping(n, where, map[string]func(*yaml.Node){
		"hub": func(v *yaml.Node) {
			name = p.matching(v, where+".hub", hubNamePattern, "a hub name")
		},
		"key": func(v *yaml.Node) {
			if s, ok := p.text(v, where+".key"); ok {
				if _, err := yamledit.ParseKeyPath(s); err != nil {
					p.Fail(v, "%s: %v", where+".key", err)
				}
				key = s
			}
		},
	}, "hub", "key")
	return name, key
}

// tagTemplate reads a tag template, which must give every merge its own
// valid tag.
func (p *parser) tagTemplate(n *yaml.Node, where string) string {
	s, ok := p.text(n, where)
	if !ok {
		return DefaultTagTemplate
	}
	if !strings.Contains(s, "{sha12}") && !strings.Contains(s, "{sha7}") && !strings.Contains(s, "{sha}") {
		p.Fail(n, "%s %q has none of {sha12}, {sha7} and {sha}: every merge would publish the same tag, and a rollout could not tell its image from the one before", where, s)
		return s
	}
	r := Repository{TagTemplate: s}
	if tag := r.Tag(sampleSHA); !tagPattern.MatchString(tag) {
		p.Fail(n, "%s %q cannot give a valid image tag: for a 40-character SHA it gives %q, and a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'; the placeholders are {sha12}, {sha7} and {sha}", where, s, tag)
	}
	return s
}

func (p *parser) registry(n *yaml.Node, where string) Registry {
	var r Registry
	env := func(field *string, key string) func(*yaml.Node) {
		return p.envName(field, where+"."+key, "GHCR_TOKEN")
	}
	p.Mapping(n, where, map[string]func(*yaml.Node){
		"host": func(v *yaml.Node) {
			r.Host = p.matching(v, where+".host", domainPattern, "a registry host name such as ghcr.io (without https://)")
			host := registryHost(r.Host)
			if line, dup := p.registryLines[host]; dup {
				p.Fail(v, "%s.host: %q already has credentials at line %d", where, r.Host, line)
			} else if host != "" {
				p.registryLines[host] = v.Line
			}
		},
		"usernameEnv": env(&r.UsernameEnv, "usernameEnv"),
		"passwordEnv": env(&r.PasswordEnv, "passwordEnv"),
		"insecure":    func(v *yaml.Node) { r.Insecure = p.boolean(v, where+".insecure") },
	}, "host")
	if n.Kind == yaml.MappingNode {
		switch {
		case (r.UsernameEnv == "") != (r.PasswordEnv == ""):
			p.Fail(n, "%s: give both usernameEnv and passwordEnv, or neither for a registry read anonymously", where)
		case r.UsernameEnv == "" && !r.Insecure:
			p.Fail(n, "%s: give usernameEnv and passwordEnv, insecure: true, or both; a registry with neither needs no entry", where)
		}
	}
	return r
}
