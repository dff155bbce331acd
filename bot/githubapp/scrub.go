package githubapp

import "regexp"

// tokenPatterns match the credentials that could be echoed back in a
// response body: GitHub's token kinds (installation ghs_, personal ghp_,
// OAuth gho_, user-to-server ghu_, refresh ghr_, fine-grained
// github_pat_), JWTs (the App's own), and whatever follows "Bearer" or
// "token" in an echoed Authorization header.
var tokenPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(bearer|token)\s+[A-Za-z0-9._~+/=-]{8,}`),
	regexp.MustCompile(`\bgh[pousr]_[A-Za-z0-9]{16,}`),
	regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{16,}`),
	regexp.MustCompile(`\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`),
}

// Scrub replaces every credential tokenPatterns find in s with [redacted],
// keeping the "Bearer"/"token" word so that a reader still sees what it was.
func Scrub(s string) string {
	s = tokenPatterns[0].ReplaceAllString(s, "$1 [redacted]")
	for _, p := range tokenPatterns[1:] {
		s = p.ReplaceAllString(s, "[redacted]")
	}
	return s
}
