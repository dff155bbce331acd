package conda

import (
	"fmt"
	"strconv"
)

// clipLength is how much of a rejected input an error message quotes.
const clipLength = 64

// syntaxError reports text that does not parse as what (a version, a spec or
// a MatchSpec), and why. The text is quoted and clipped, so a hostile input
// cannot produce a huge or unprintable message.
func syntaxError(what, text, reason string) error {
	return fmt.Errorf("invalid conda %s %s: %s", what, clip(text), reason)
}

func clip(s string) string {
	if len(s) > clipLength {
		return strconv.Quote(s[:clipLength]) + "..."
	}
	return strconv.Quote(s)
}
