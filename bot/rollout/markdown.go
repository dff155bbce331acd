package rollout

import "github.com/imagebot/imagebot/checks/render"

// The escapes that fill the templates' data: text from repositories,
// registries, clusters and hubs goes through one of them.

// code renders s as a Markdown code span.
func code(s string) string { return render.CodeSpan(s) }

// text escapes s as Markdown text: no HTML, links, emphasis or mentions.
func text(s string) string { return render.EscapeMarkdown(s) }

// plain leaves s as it is, for text that is not Markdown (deployment
// statuses).
func plain(s string) string { return s }
