package lock

import "strings"

// lowerHex returns a hash in lower case, allocating only when it is not.
func lowerHex(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i]-'A' < 6 {
			return strings.ToLower(s)
		}
	}
	return s
}

// isHex reports whether s is all hexadecimal digits.
func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if _, ok := hexDigit(s[i]); !ok {
			return false
		}
	}
	return true
}
