package main

import (
	"embed"
	htmltemplate "html/template"
	"text/template"
)

// The command line's longer output lives in templates, so that wording
// changes never touch logic.
//
//go:embed templates
var templateFiles embed.FS

var (
	configSummaryTemplate  = template.Must(template.ParseFS(templateFiles, "templates/config-summary.tmpl"))
	setupNextStepsTemplate = template.Must(template.ParseFS(templateFiles, "templates/setup-next-steps.tmpl"))
	setupPageTemplate      = htmltemplate.Must(htmltemplate.ParseFS(templateFiles, "templates/setup-page.html.tmpl"))
)
