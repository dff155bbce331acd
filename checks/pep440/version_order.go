package pep440

import "strings"

// Compare orders v and w under PEP 440 and returns -1, 0 or +1. Epochs
// compare first, then release numbers with missing trailing numbers taken as
// zero (1.0 == 1.0.0), then the suffixes: a development release of a final
// sorts before its pre-releases (1.0.dev0 < 1.0a0), pre-releases before the
// final, post releases after it, a development release just before the
// release it leads to (1.0.post1.dev1 < 1.0.post1), and a local label after
// the same public version (1.0 < 1.0+abc), labels compared dot by dot with
// numbers above words.
func (v Version) Compare(w Version) int {
	return compareVersions(v, w, true)
}

// compareVersions is Compare, ignoring local labels unless withLocal is set.
func compareVersions(a, b Version, withLocal bool) int {
	if c := cmpNum(a.epoch, b.epoch); c != 0 {
		return c
	}
	if c := cmpRelease(a.release, b.release); c != 0 {
		return c
	}
	if c := cmpInt(a.preRank(), b.preRank()); c != 0 {
		return c
	}
	if a.pre != preNone {
		if c := cmpNum(a.preN, b.preN); c != 0 {
			return c
		}
	}
	switch {
	case a.post == "" && b.post != "":
		return -1
	case a.post != "" && b.post == "":
		return 1
	case a.post != "":
		if c := cmpNum(a.post, b.post); c != 0 {
			return c
		}
	}
	switch {
	case a.dev == "" && b.dev != "":
		return 1
	case a.dev != "" && b.dev == "":
		return -1
	case a.dev != "":
		if c := cmpNum(a.dev, b.dev); c != 0 {
			return c
		}
	}
	if !withLocal {
		return 0
	}
	return cmpLocal(a.local, b.local)
}

// preRank places the pre-release segment: a bare development release of a
// final first, then a, b and rc, then no pre-release at all.
func (v Version) preRank() int {
	switch {
	case v.pre != preNone:
		return int(v.pre)
	case v.post == "" && v.dev != "":
		return 0
	default:
		return int(preRC) + 1
	}
}

// Divergence reports where two versions first differ: 0 when the epochs or
// the first release number differ (major), 1 for the second (minor), 2 for
// the third (patch), 3 for anything finer (later release numbers,
// pre/post/dev/local), and -1 when a.Compare(b) == 0. Missing release numbers
// count as zero, so 1.0 and 1.0.0 are equal.
func Divergence(a, b Version) int {
	if cmpNum(a.epoch, b.epoch) != 0 {
		return 0
	}
	for i := 0; i < max(len(a.release), len(b.release)); i++ {
		if cmpNum(releaseAt(a.release, i), releaseAt(b.release, i)) != 0 {
			return min(i, 3)
		}
	}
	if a.Compare(b) == 0 {
		return -1
	}
	return 3
}

func releaseAt(r []string, i int) string {
	if i < len(r) {
		return r[i]
	}
	return "0"
}

func cmpRelease(a, b []string) int {
	for i := 0; i < max(len(a), len(b)); i++ {
		if c := cmpNum(releaseAt(a, i), releaseAt(b, i)); c != 0 {
			return c
		}
	}
	return 0
}

// cmpLocal orders local labels: no label first, then label by label, numbers
// above words, numbers by value, words by bytes, a shorter label list first
// when it is a prefix of the longer.
func cmpLocal(a, b []string) int {
	for i := 0; i < min(len(a), len(b)); i++ {
		an, bn := isNumeric(a[i]), isNumeric(b[i])
		var c int
		switch {
		case an && bn:
			c = cmpNum(a[i], b[i])
		case an:
			c = 1
		case bn:
			c = -1
		default:
			c = strings.Compare(a[i], b[i])
		}
		if c != 0 {
			return c
		}
	}
	return cmpInt(len(a), len(b))
}

// cmpNum compares two decimal digit strings without leading zeros; the
// empty string counts as zero.
func cmpNum(a, b string) int {
	if a == "" {
		a = "0"
	}
	if b == "" {
		b = "0"
	}
	if len(a) != len(b) {
		return cmpInt(len(a), len(b))
	}
	return strings.Compare(a, b)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// incDecimal adds one to a decimal digit string.
func incDecimal(d string) string {
	b := []byte(d)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}
