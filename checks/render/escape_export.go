package render

// EscapeMarkdown escapes repository-controlled text for GitHub Markdown,
// the way the engine's own output is escaped: no HTML, no links, no
// emphasis, no @-mentions and no #-references.
func EscapeMarkdown(s string) string { return markdownText(s) }

// CodeSpan renders text as an inline code span whose content cannot end
// the span early.
func CodeSpan(s string) string { return markdownCode(s) }
