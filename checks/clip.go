package checks

import "unicode/utf8"

// MaxMessage is the most characters (runes) a finding's message or fix
// keeps. Messages quote what they found (a URL, a FROM line, a package
// name), and what they found is PR-controlled: an 8 MB FROM must not make
// an 8 MB finding, Check Run annotation or comment.
const MaxMessage = 500

// Clip cuts s to at most MaxMessage characters, ending a cut text with an
// ellipsis. It never splits a UTF-8 sequence. Every finding goes through
// it (Report.add), and so does every annotation the App builds.
func Clip(s string) string { return clipTo(s, MaxMessage) }

// clipTo cuts s to at most max characters, as Clip does; messages use it
// to quote PR-controlled text briefly inside a sentence.
func clipTo(s string, max int) string {
	if len(s) <= max || utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
