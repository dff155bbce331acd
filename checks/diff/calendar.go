package diff

import "strings"

// calendar reports whether a version numbers releases by date, as
// ca-certificates (2025.8.3), tzcode (2025b), dask (2026.1.2) and libabseil
// (20240722.0) do: its first release component (after any epoch "N!")
// starts with a year, 19xx or 20xx, or a date, YYYYMMDD, and at most
// letters follow it. A change of year in such a version is the calendar
// moving on, not a break of compatibility, so it is never "major".
func calendar(v string) bool {
	if _, after, ok := strings.Cut(v, "!"); ok {
		v = after
	}
	end := strings.IndexAny(v, ".-_+")
	if end < 0 {
		end = len(v)
	}
	first := v[:end]
	digits := 0
	for digits < len(first) && first[digits] >= '0' && first[digits] <= '9' {
		digits++
	}
	for _, c := range first[digits:] {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	if digits != 4 && digits != 8 {
		return false
	}
	century := first[:2]
	if century != "19" && century != "20" {
		return false
	}
	if digits == 8 {
		month, day := first[4:6], first[6:8]
		return month >= "01" && month <= "12" && day >= "01" && day <= "31"
	}
	return true
}
