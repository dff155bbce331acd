package rollout

import "github.com/imagebot/imagebot/internal/markdown"

// The escapes that fill the templates' data: text from repositories,
// registries, clusters and hubs goes through one of them. They are short
// names for the project's one escaper, internal/markdown.

// code renders s as a Markdown code span.
func code(s string) string { return markdown.Code(s) }

// text escapes s as Markdown text: no HTML, links, emphasis or mentions.
func text(s string) string { return markdown.Text(s) }

// plain leaves s as it is, for text that is not Markdown (deployment
// statuses).
func plain(s string) string { return s }
