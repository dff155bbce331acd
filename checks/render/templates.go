// Package render presents the engine's results: Markdown for pull request
// comments and Check Run summaries, text for terminals, and the JSON that
// other tools build on. Wording lives in embedded templates, one file per
// kind of output, so that it can change without touching logic; the
// templates receive only escaped data.
//
// Like the engine it serves, render is pure and must not depend on GitHub
// or on any I/O beyond the writer it is given.
package render

import (
	"bytes"
	"embed"
	"text/template"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var (
	diffTemplate   = parse("diff.md.tmpl")
	reportMarkdown = parse("report.md.tmpl")
	checkMarkdown  = parse("check.md.tmpl")
	reportText     = parse("report.txt.tmpl")
	diffText       = parse("diff.txt.tmpl")
)

func parse(name string) *template.Template {
	return template.Must(template.New(name).ParseFS(templateFS, "templates/"+name))
}

// execute runs a template. The templates and their data are ours and are
// tested; should one still fail, the output says so instead of crashing.
func execute(t *template.Template, data any) string {
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "imagebot could not render this output: " + err.Error() + "\n"
	}
	return b.String()
}
