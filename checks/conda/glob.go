package conda

import "strings"

// MatchBuild reports whether a build string matches a build glob ("" and "*" match all).
// In the glob, '*' matches any run of characters, including none; every other
// character matches itself, case-sensitively, as conda's build matching does.
func MatchBuild(glob, build string) bool {
	if glob == "" || glob == "*" {
		return true
	}
	return matchGlob(glob, build)
}

// matchGlob matches s against a pattern in which '*' matches any run of
// characters. The text before the first '*' must start s and the text after
// the last must end it; the pieces between match greedily, leftmost first,
// which is exact for '*'-only patterns and keeps the work near-linear however
// many stars a hostile pattern holds.
func matchGlob(pattern, s string) bool {
	head, rest, starred := strings.Cut(pattern, "*")
	if !starred {
		return pattern == s
	}
	if !strings.HasPrefix(s, head) {
		return false
	}
	s = s[len(head):]
	for {
		piece, more, ok := strings.Cut(rest, "*")
		if !ok {
			return len(s) >= len(piece) && strings.HasSuffix(s, piece)
		}
		if piece != "" {
			i := strings.Index(s, piece)
			if i < 0 {
				return false
			}
			s = s[i+len(piece):]
		}
		rest = more
	}
}
