package markdown

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

func TestText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"html", "<script>alert(1)</script>", `&lt;script&gt;alert\(1\)&lt;/script&gt;`},
		{"mention", "ping @octocat", "ping &#64;octocat"},
		{"team mention", "@org/team", "&#64;org/team"},
		{"issue reference", "fixes #12", "fixes &#35;12"},
		{"link", "[click](https://evil.example)", `\[click\]\(https\://evil.example\)`},
		{"emphasis and pipes", "*a*|_b_", `\*a\*\|\_b\_`},
		{"newline ends no table row", "a\nb", "a b"},
		{"bidi override dropped", "abc\u202edef", "abcdef"},
		{"www link", "www.example.com", `www\.example.com`},
		{"zero-width space dropped", "ab\u200bc", "abc"},
		{"control character dropped", "a\x00b\x1bc", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCode(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "conda-lock.yml", "`conda-lock.yml`"},
		{"html and mentions stay literal", "<b>@me</b>", "`<b>@me</b>`"},
		{"backtick inside", "a`b", "``a`b``"},
		{"backticks at the ends", "`a", "`` `a ``"},
		{"a run of backticks", "a``b`", "``` a``b` ```"},
		{"pipe", "a|b", "`a`\\|`b`"},
		{"pipes at the ends", "|a|", "\\|`a`\\|"},
		{"spaces at both ends kept", " a ", "`  a  `"},
		{"newline", "a\nb", "`a b`"},
		{"bidi override dropped", "a\u202eb", "`ab`"},
		{"empty", "", "` `"},
		{"blank", "\n", "` `"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Code(tt.in); got != tt.want {
				t.Errorf("Code(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMessage(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"code and text", "`pkg` needs @me", "`pkg` needs &#64;me"},
		{"html in code stays code", "`<b>` <b>", "`<b>` &lt;b&gt;"},
		{"unpaired backtick", "a `b", "a \\`b"},
		{"spec with an OR", "run `conda install 'a>=1|<0'`", "run `conda install 'a>=1`\\|`<0'`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Message(tt.in); got != tt.want {
				t.Errorf("Message(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// contexts are the places escaped text goes: each wraps it with text
// around, and finds it again in the HTML GitHub's flavour of Markdown
// makes.
var contexts = []struct {
	name   string
	wrap   func(string) string
	inside *regexp.Regexp
}{
	{"paragraph", func(s string) string { return "before " + s + " after\n" }, regexp.MustCompile(`(?s)^<p>before (.*) after</p>\n$`)},
	{"list item", func(s string) string { return "- before " + s + " after\n" }, regexp.MustCompile(`(?s)^<ul>\n<li>before (.*) after</li>\n</ul>\n$`)},
	{"table cell", func(s string) string { return "| a | b |\n|---|---|\n| before " + s + " after | x |\n" },
		regexp.MustCompile(`(?s)<tbody>\n<tr>\n<td>before (.*) after</td>\n<td>x</td>\n</tr>\n</tbody>`)},
}

var (
	gfm      = goldmark.New(goldmark.WithExtensions(extension.GFM))
	anyTag   = regexp.MustCompile(`</?([a-z]+)`)
	codeTags = regexp.MustCompile(`</?code>`)
)

// checkShownAsIs renders escape(in) in every context and fails t unless
// each shows exactly what the escaper promises (in, with line breaks and
// tabs as spaces and invisible characters dropped), with no element but
// code spans.
func checkShownAsIs(t *testing.T, name string, escape func(string) string, in string) {
	t.Helper()
	want := strings.Map(func(r rune) rune {
		if r, ok := shown(r); ok {
			return r
		}
		return -1
	}, in)
	for _, c := range contexts {
		var out bytes.Buffer
		if err := gfm.Convert([]byte(c.wrap(escape(in))), &out); err != nil {
			t.Fatal(err)
		}
		m := c.inside.FindStringSubmatch(out.String())
		if m == nil {
			t.Errorf("%s %s(%q): the %s's structure changed:\n%s", c.name, name, in, c.name, out.String())
			continue
		}
		for _, tag := range anyTag.FindAllStringSubmatch(m[1], -1) {
			if tag[1] != "code" {
				t.Errorf("%s %s(%q) made an element <%s>: %s", c.name, name, in, tag[1], m[1])
			}
		}
		if got := html.UnescapeString(codeTags.ReplaceAllString(m[1], "")); got != want {
			t.Errorf("%s %s(%q) shows %q, want %q", c.name, name, in, got, want)
		}
	}
}

// TestShownAsIs renders escaped text the way GitHub does (CommonMark with
// GitHub's tables and autolinks) in a paragraph, a list item and a table
// cell.
func TestShownAsIs(t *testing.T) {
	inputs := []string{
		"plain", "<img src=x onerror=alert(1)>", "@octocat and @org/team", "#12", "[x](https://evil.example)",
		"*a* _b_ ~c~", "a|b", "|", "||x||", "a`b", "``", "` a `", " lead", "trail ", "\\|", "\\`", "&amp;", "1. not a list",
		"- not a list", "> not a quote", "# not a heading", "<!-- comment -->", "https://autolink.example", "www.example.com", "see WWW.example.com", "x@example.com",
		"a\\", "$x$", "![img](https://x.example/i.png)", "x | y | z", "`|`", "line\nbreak", "tab\there", "bidi\u202eoverride",
	}
	for _, in := range inputs {
		checkShownAsIs(t, "Text", Text, in)
		checkShownAsIs(t, "Code", Code, in)
	}
}

// FuzzShownAsIs checks the same promise for arbitrary text.
func FuzzShownAsIs(f *testing.F) {
	for _, s := range []string{"a|b", "<b>@x</b>", "www.example.com", "` a `", "[x](y)", "*_~", "a\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		visible := strings.Map(func(r rune) rune {
			if r, ok := shown(r); ok {
				return r
			}
			return -1
		}, in)
		if !utf8.ValidString(in) || strings.TrimSpace(visible) == "" || strings.ContainsRune(in, 0xfffd) {
			return // Code shows blank text as one space
		}
		checkShownAsIs(t, "Text", Text, in)
		checkShownAsIs(t, "Code", Code, in)
	})
}

// TestNoMentionSurvives checks what GitHub would notify: no "@" and no "#"
// outside a code span.
func TestNoMentionSurvives(t *testing.T) {
	for _, in := range []string{"@a", "x@y", "#1", "GH-1 #2"} {
		got := Text(in)
		if bare := regexp.MustCompile(`&#[0-9]+;`).ReplaceAllString(got, ""); strings.ContainsAny(bare, "@#") {
			t.Errorf("Text(%q) = %q", in, got)
		}
	}
}
