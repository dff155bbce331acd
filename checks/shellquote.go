package checks

import "strings"

// shellQuote makes a word safe to paste into a POSIX shell: unchanged when
// it holds only characters no shell treats specially, otherwise in single
// quotes, each quote in it written as quote, backslash, quote, quote. File
// names, directories and platforms in fix commands come from the pull
// request (`env$(touch PWNED)`), so every one goes through here.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, safeShellChars) == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// safeShellChars need no quoting in any POSIX shell, anywhere in a word.
const safeShellChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-"
