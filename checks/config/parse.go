package config

import (
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/imagebot/imagebot/internal/strictyaml"
)

// Formats are the lock formats a repository may allow.
var Formats = []string{"conda-lock", "explicit", "pixi", "uv", "pip-compile"}

var (
	platformPattern = regexp.MustCompile(`^(noarch|(linux|osx|win|emscripten|wasi|zos|freebsd)-[a-z0-9_]+)$`)
	tagPattern      = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$`)
	namePattern     = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]*$`)
	hubPattern      = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
)

// parser collects problems while it walks the YAML tree.
type parser struct {
	strictyaml.Walker
}

// Parse reads a configuration file. An empty file gives the defaults. An
// invalid file gives Problems, each with its line.
func Parse(data []byte) (*Config, error) {
	c := Default()
	if len(data) > MaxSize {
		return nil, Problems{{Line: 1, Message: fmt.Sprintf("the file is %d bytes; the limit is %d", len(data), MaxSize)}}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, Problems{{Line: strictyaml.ErrorLine(err), Message: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	if len(doc.Content) == 0 {
		return c, nil
	}
	p := &parser{}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return c, nil
	}
	p.Mapping(root, "the top level", map[string]func(*yaml.Node){
		"checks":       func(n *yaml.Node) { p.checks(n, c) },
		"lockfile":     func(n *yaml.Node) { p.lockfile(n, c) },
		"split-groups": func(n *yaml.Node) { c.SplitGroups = p.splitGroups(n) },
		"ignore":       func(n *yaml.Node) { p.ignore(n, c) },
		"comment": func(n *yaml.Node) {
			p.Mapping(n, "comment", map[string]func(*yaml.Node){
				"drafts": func(n *yaml.Node) { c.CommentOnDrafts = p.boolean(n, "comment.drafts") },
			})
		},
		"rollout": func(n *yaml.Node) { p.rollout(n, c) },
	})
	if len(p.Problems) > 0 {
		return nil, Problems(p.Problems)
	}
	return c, nil
}

func (p *parser) checks(n *yaml.Node, c *Config) {
	keys := map[string]func(*yaml.Node){}
	for _, id := range CheckIDs {
		id := id
		keys[id] = func(v *yaml.Node) { c.Checks[id] = p.check(v, id, c.Checks[id]) }
	}
	p.Mapping(n, "checks", keys)
}

// check reads either a shorthand ("off", "error", "warning", "notice") or
// a mapping with enabled and severity.
func (p *parser) check(n *yaml.Node, id string, cur Check) Check {
	if n.Kind == yaml.ScalarNode {
		switch n.Value {
		case "off", "false":
			return Check{Enabled: false, Severity: cur.Severity}
		case "on", "true":
			return Check{Enabled: true, Severity: cur.Severity}
		}
		return Check{Enabled: true, Severity: p.severity(n, "checks."+id)}
	}
	p.Mapping(n, "checks."+id, map[string]func(*yaml.Node){
		"enabled":  func(v *yaml.Node) { cur.Enabled = p.boolean(v, "checks."+id+".enabled") },
		"severity": func(v *yaml.Node) { cur.Severity = p.severity(v, "checks."+id+".severity") },
	})
	return cur
}

func (p *parser) severity(n *yaml.Node, where string) Severity {
	if n.Kind == yaml.ScalarNode {
		switch Severity(n.Value) {
		case Error, Warning, Notice:
			return Severity(n.Value)
		}
	}
	p.Fail(n, "%s must be one of error, warning, notice (or off to disable the check); got %q", where, n.Value)
	return Error
}

func (p *parser) boolean(n *yaml.Node, where string) bool {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		return n.Value == "true"
	}
	p.Fail(n, "%s must be true or false; got %q", where, n.Value)
	return false
}

// strings reads a sequence of strings, each checked by valid.
func (p *parser) strings(n *yaml.Node, where string, valid func(*yaml.Node) bool) []string {
	if n.Kind != yaml.SequenceNode {
		p.Fail(n, "%s must be a list", where)
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, item := range n.Content {
		if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
			p.Fail(item, "%s entries must be plain strings", where)
			continue
		}
		if valid(item) {
			out = append(out, item.Value)
		}
	}
	return out
}

func (p *parser) lockfile(n *yaml.Node, c *Config) {
	p.Mapping(n, "lockfile", map[string]func(*yaml.Node){
		"platforms": func(v *yaml.Node) {
			c.Platforms = p.strings(v, "lockfile.platforms", func(item *yaml.Node) bool {
				if !platformPattern.MatchString(item.Value) {
					p.Fail(item, "lockfile.platforms: %q is not a conda platform (for example linux-64, linux-aarch64, osx-arm64)", item.Value)
					return false
				}
				return true
			})
		},
		"formats": func(v *yaml.Node) {
			c.Formats = p.strings(v, "lockfile.formats", func(item *yaml.Node) bool {
				for _, f := range Formats {
					if item.Value == f {
						return true
					}
				}
				p.Fail(item, "lockfile.formats: %q is not a lock format; use %s", item.Value, strings.Join(Formats, ", "))
				return false
			})
		},
	})
}

func (p *parser) splitGroups(n *yaml.Node) [][]string {
	if n.Kind != yaml.SequenceNode {
		p.Fail(n, "split-groups must be a list of package-name lists, for example [[sqlite, libsqlite]]")
		return nil
	}
	var out [][]string
	for _, g := range n.Content {
		names := p.strings(g, "split-groups", p.packageName("split-groups"))
		if g.Kind == yaml.SequenceNode && len(g.Content) < 2 {
			p.Fail(g, "a split group needs at least two package names")
			continue
		}
		out = append(out, names)
	}
	return out
}

func (p *parser) packageName(where string) func(*yaml.Node) bool {
	return func(item *yaml.Node) bool {
		if !namePattern.MatchString(item.Value) {
			p.Fail(item, "%s: %q is not a package name", where, item.Value)
			return false
		}
		return true
	}
}

func (p *parser) ignore(n *yaml.Node, c *Config) {
	p.Mapping(n, "ignore", map[string]func(*yaml.Node){
		"paths": func(v *yaml.Node) {
			c.IgnorePaths = p.strings(v, "ignore.paths", func(item *yaml.Node) bool {
				if err := ValidateGlob(item.Value); err != nil {
					p.Fail(item, "ignore.paths: %v", err)
					return false
				}
				return true
			})
		},
		"packages": func(v *yaml.Node) {
			c.IgnorePackages = p.strings(v, "ignore.packages", p.packageName("ignore.packages"))
		},
	})
}

func (p *parser) rollout(n *yaml.Node, c *Config) {
	p.Mapping(n, "rollout", map[string]func(*yaml.Node){
		"hubs": func(v *yaml.Node) {
			c.Hubs = p.strings(v, "rollout.hubs", func(item *yaml.Node) bool {
				if !hubPattern.MatchString(item.Value) {
					p.Fail(item, "rollout.hubs: %q is not a hub name (lower-case letters, digits and dashes, as the operator named it)", item.Value)
					return false
				}
				return true
			})
		},
		"tag": func(v *yaml.Node) {
			if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
				p.Fail(v, "rollout.tag must be a string such as \"{sha12}\"")
				return
			}
			expanded := strings.NewReplacer("{sha12}", "a", "{sha7}", "a", "{sha}", "a").Replace(v.Value)
			if !tagPattern.MatchString(expanded) {
				p.Fail(v, "rollout.tag %q is not a valid image tag template; use letters, digits, '.', '_', '-' and the placeholders {sha12}, {sha7} or {sha}", v.Value)
				return
			}
			c.TagTemplate = v.Value
		},
	})
}
