package browser

import (
	"bytes"
	"html/template"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// githubish is a page styled after GitHub's comment boxes, enough to judge
// how a comment reads there.
var githubish = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font: 14px/1.5 "DejaVu Sans", sans-serif; color: #1f2328; background: #fff; margin: 0; padding: 16px; }
.comment { border: 1px solid #d1d9e0; border-radius: 6px; max-width: 900px; }
.head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; color: #59636e; }
.body { padding: 16px; overflow-wrap: break-word; }
table { border-collapse: collapse; display: block; max-width: 100%; overflow: auto; margin: 0 0 16px; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
tr:nth-child(2n) { background: #f6f8fa; }
code { font: 85%/1.4 "DejaVu Sans Mono", monospace; background: #eff1f3; padding: .2em .4em; border-radius: 6px; }
h3, h4 { margin: 16px 0 8px; } h3:first-child { margin-top: 0; }
details { margin: 0 0 16px; } summary { cursor: pointer; }
a { color: #0969da; text-decoration: none; }
sub { color: #59636e; }
</style></head>
<body><div class="comment"><div class="head"><b>{{.Title}}</b></div><div class="body">{{.Body}}</div></div></body></html>`))

// MarkdownPage renders GitHub-flavoured Markdown to an HTML page that
// looks like a GitHub comment titled title. Raw HTML in the Markdown
// (<details>, <sub>) is kept, as GitHub keeps it.
func MarkdownPage(t testing.TB, title, md string) string {
	t.Helper()
	var body bytes.Buffer
	gm := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))
	if err := gm.Convert([]byte(md), &body); err != nil {
		t.Fatalf("render %s: %v", title, err)
	}
	var page bytes.Buffer
	if err := githubish.Execute(&page, struct {
		Title string
		Body  template.HTML
	}{title, template.HTML(body.String())}); err != nil {
		t.Fatal(err)
	}
	return page.String()
}
