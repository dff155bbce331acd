package pep440

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pre-release kinds, in PEP 440 order.
const (
	preNone  byte = iota
	preAlpha      // a, alpha
	preBeta       // b, beta
	preRC         // rc, c, pre, preview
)

// Version is a parsed PEP 440 version. The zero Version is not a version;
// obtain one from ParseVersion.
//
// Numbers are held as decimal digit strings without leading zeros, so a
// version compares correctly however large its numbers are.
type Version struct {
	text    string   // as written, surrounding white space removed; "===" compares it
	epoch   string   // "0" when absent
	release []string // at least one number
	pre     byte     // preNone, preAlpha, preBeta or preRC
	preN    string   // set when pre != preNone
	post    string   // "" when absent
	dev     string   // "" when absent
	local   []string // lower-cased labels, numeric ones without leading zeros
}

// preLabels lists the spellings of pre-release labels, longest first where
// one is a prefix of another, so that the first match is the right one.
var preLabels = []struct {
	word string
	kind byte
}{
	{"alpha", preAlpha},
	{"beta", preBeta},
	{"preview", preRC},
	{"pre", preRC},
	{"rc", preRC},
	{"a", preAlpha},
	{"b", preBeta},
	{"c", preRC},
}

// postLabels lists the spellings of the post-release label, longest first.
var postLabels = []string{"post", "rev", "r"}

// ParseVersion parses a PEP 440 version. It accepts every spelling PEP 440
// normalises: surrounding white space, a leading "v", any letter case,
// "alpha"/"beta"/"c"/"pre"/"preview", "rev"/"r", implicit post releases
// ("1.0-1"), implicit numbers ("1.0a" is 1.0a0), "-", "_" or "." as
// separators, and leading zeros. String returns the normalised form.
func ParseVersion(s string) (Version, error) {
	if err := checkInput("version", s); err != nil {
		return Version{}, err
	}
	v, offset, reason := scanVersion(s)
	if reason != "" {
		return Version{}, syntaxError("version", s, offset, reason)
	}
	return v, nil
}

// scanVersion parses in as a version. On failure it returns the byte offset
// in in where parsing stopped and a non-empty reason.
func scanVersion(in string) (v Version, offset int, reason string) {
	start := len(in) - len(strings.TrimLeftFunc(in, unicode.IsSpace))
	s := strings.TrimRightFunc(in[start:], unicode.IsSpace)
	if s == "" {
		return Version{}, start, "empty version"
	}
	v.text = s
	n := len(s)
	i := 0
	if s[i] == 'v' || s[i] == 'V' {
		i++
	}
	num, j := readDigits(s, i)
	if j == i {
		return Version{}, start + i, "expected a release number"
	}
	v.epoch = "0"
	if j < n && s[j] == '!' {
		v.epoch = num
		i = j + 1
		num, j = readDigits(s, i)
		if j == i {
			return Version{}, start + i, "expected a release number after the epoch"
		}
	}
	v.release = append(v.release, num)
	i = j
	for i+1 < n && s[i] == '.' && isDigit(s[i+1]) {
		num, i = readDigits(s, i+1)
		v.release = append(v.release, num)
	}

	// Pre-release: [sep] label [sep] [number].
	p := i
	if p < n && isSep(s[p]) {
		p++
	}
	for _, l := range preLabels {
		if hasWordFold(s, p, l.word) {
			v.pre = l.kind
			v.preN, i = readLabelNumber(s, p+len(l.word))
			break
		}
	}

	// Post release: "-" number, or [sep] label [sep] [number].
	p = i
	if p+1 < n && s[p] == '-' && isDigit(s[p+1]) {
		v.post, i = readDigits(s, p+1)
	} else {
		if p < n && isSep(s[p]) {
			p++
		}
		for _, word := range postLabels {
			if hasWordFold(s, p, word) {
				v.post, i = readLabelNumber(s, p+len(word))
				break
			}
		}
	}

	// Development release: [sep] "dev" [sep] [number].
	p = i
	if p < n && isSep(s[p]) {
		p++
	}
	if hasWordFold(s, p, "dev") {
		v.dev, i = readLabelNumber(s, p+len("dev"))
	}

	// Local label: "+" alphanumerics separated by single separators.
	if i < n && s[i] == '+' {
		i++
		for {
			j := i
			for j < n && isAlnum(s[j]) {
				j++
			}
			if j == i {
				return Version{}, start + i, "expected a local version label"
			}
			v.local = append(v.local, normalizeLocalLabel(s[i:j]))
			i = j
			if i+1 < n && isSep(s[i]) && isAlnum(s[i+1]) {
				i++
				continue
			}
			break
		}
	}

	if i < n {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return Version{}, start + i, fmt.Sprintf("unexpected %q", r)
	}
	return v, 0, ""
}

// readDigits reads the run of ASCII digits at s[i:] and returns it without
// leading zeros ("0" for zeros only), and the offset after it. num is empty
// when s[i] is not a digit.
func readDigits(s string, i int) (num string, end int) {
	end = i
	for end < len(s) && isDigit(s[end]) {
		end++
	}
	if end == i {
		return "", i
	}
	return trimZeros(s[i:end]), end
}

// readLabelNumber reads the optional number after a pre, post or dev label:
// an optional separator and digits. A separator not followed by digits is
// consumed too, as PEP 440's grammar allows ("1.0a." is 1.0a0). The number
// is "0" when absent.
func readLabelNumber(s string, i int) (num string, end int) {
	if i < len(s) && isSep(s[i]) {
		if i+1 < len(s) && isDigit(s[i+1]) {
			return readDigits(s, i+1)
		}
		return "0", i + 1
	}
	if i < len(s) && isDigit(s[i]) {
		return readDigits(s, i)
	}
	return "0", i
}

// hasWordFold reports whether s[i:] starts with word (lower case ASCII),
// ignoring ASCII case.
func hasWordFold(s string, i int, word string) bool {
	if len(s)-i < len(word) {
		return false
	}
	for k := 0; k < len(word); k++ {
		if lowerASCII(s[i+k]) != word[k] {
			return false
		}
	}
	return true
}

// normalizeLocalLabel lower-cases an alphanumeric label and strips leading
// zeros from a numeric one.
func normalizeLocalLabel(label string) string {
	if isNumeric(label) {
		return trimZeros(label)
	}
	for k := 0; k < len(label); k++ {
		if label[k] >= 'A' && label[k] <= 'Z' {
			return strings.ToLower(label)
		}
	}
	return label
}

// trimZeros strips leading zeros from a run of digits, keeping one digit.
func trimZeros(d string) string {
	k := 0
	for k < len(d)-1 && d[k] == '0' {
		k++
	}
	return d[k:]
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isSep(c byte) bool { return c == '.' || c == '-' || c == '_' }

func isAlnum(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// isNumeric reports whether s is a non-empty run of ASCII digits.
func isNumeric(s string) bool {
	if s == "" {
		return false
	}
	for k := 0; k < len(s); k++ {
		if !isDigit(s[k]) {
			return false
		}
	}
	return true
}

// String returns the normalised form PEP 440 defines: no "v", the epoch only
// when non-zero, numbers without leading zeros, "a"/"b"/"rc" directly after
// the release, ".postN", ".devN", and a local label joined with dots
// ("1!2.0rc1.post1.dev3+abc.5").
func (v Version) String() string {
	var b strings.Builder
	if v.epoch != "" && v.epoch != "0" {
		b.WriteString(v.epoch)
		b.WriteByte('!')
	}
	for i, r := range v.release {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(r)
	}
	switch v.pre {
	case preAlpha:
		b.WriteString("a")
	case preBeta:
		b.WriteString("b")
	case preRC:
		b.WriteString("rc")
	}
	b.WriteString(v.preN)
	if v.post != "" {
		b.WriteString(".post")
		b.WriteString(v.post)
	}
	if v.dev != "" {
		b.WriteString(".dev")
		b.WriteString(v.dev)
	}
	for i, l := range v.local {
		if i == 0 {
			b.WriteByte('+')
		} else {
			b.WriteByte('.')
		}
		b.WriteString(l)
	}
	return b.String()
}

// IsPrerelease reports whether v has a pre-release or a development release
// segment (1.0a1, 1.0.dev2, 1.0.post1.dev1).
func (v Version) IsPrerelease() bool {
	return v.pre != preNone || v.dev != ""
}
