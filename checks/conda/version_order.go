package conda

// Compare orders v and w as conda's VersionOrder does, returning -1, 0 or +1.
//
// The epoch is compared first, then the release components, then the local
// parts; a missing component counts as 0, so "1.1" == "1.1.0". Within a
// component, sub-components are compared pairwise, a missing one counting as
// 0: numbers numerically, letter runs case-insensitively and below numbers,
// "dev" below every letter run, and "post" above everything. A component that
// starts with a letter has an implicit 0 in front ("1.1.a1" == "1.1.0a1"). A
// trailing '_' sorts as a letter run just above "dev" ("1.1dev1" < "1.1_" <
// "1.1a1").
func (v Version) Compare(w Version) int {
	if c := compareComponents(v.text, v.release(), w.text, w.release()); c != 0 {
		return c
	}
	return compareComponents(v.text, v.localPart(), w.text, w.localPart())
}

// Divergence reports where two versions first differ: 0 when the epochs or
// the first release component differ (a major change), 1 for the second
// (minor), 2 for the third (patch), 3 for anything finer (a later component
// or the local part), and -1 when they compare equal.
func Divergence(a, b Version) int {
	ra, rb := a.release(), b.release()
	for n, i, j := 0, 0, 0; i < len(ra) || j < len(rb); n++ {
		ie, je := componentEnd(ra, i), componentEnd(rb, j)
		if compareComponent(a.text, ra[i:ie], b.text, rb[j:je]) != 0 {
			// Component 0 is the epoch, component 1 the major version.
			return min(max(n-1, 0), 3)
		}
		i, j = ie, je
	}
	if compareComponents(a.text, a.localPart(), b.text, b.localPart()) != 0 {
		return 3
	}
	return -1
}

// hasPrefix reports whether v starts with p component-wise, as conda's
// VersionOrder.startswith does for "=1.2" and "1.2.*": every component of p
// but the last must equal v's, and in the last one every sub-component but
// the last must equal v's, while the last must equal v's number or, for
// letters, be a prefix of v's letters. So "3.12.20" does not start with
// "3.12.2", "3.12.2a1" and "3.12" start with "3.12", and "1.1alpha" starts
// with "1.1a". A p with a local part requires v's release to equal p's and
// applies the rule to the local parts.
func (v Version) hasPrefix(p Version) bool {
	t1, t2 := v.release(), p.release()
	if p.hasLocal() {
		if compareComponents(v.text, t1, p.text, t2) != 0 {
			return false
		}
		t1, t2 = v.localPart(), p.localPart()
	}
	i, j := 0, 0
	for {
		ie, je := componentEnd(t1, i), componentEnd(t2, j)
		if je == len(t2) {
			return lastComponentHasPrefix(v.text, t1[i:ie], p.text, t2[j:je])
		}
		if compareComponent(v.text, t1[i:ie], p.text, t2[j:je]) != 0 {
			return false
		}
		i, j = ie, je
	}
}

func lastComponentHasPrefix(vt string, c1 []atom, pt string, c2 []atom) bool {
	n := len(c2) - 1
	for k := 0; k < n; k++ {
		if compareAtom(vt, atomAt(c1, k), pt, c2[k]) != 0 {
			return false
		}
	}
	x, y := atomAt(c1, n), c2[n]
	if y.kind == kindStr {
		return x.kind == kindStr && hasPrefixFold(vt[x.off:x.end], pt[y.off:y.end])
	}
	return compareAtom(vt, x, pt, y) == 0
}

func (v Version) release() []atom   { return v.atoms[:v.local] }
func (v Version) localPart() []atom { return v.atoms[v.local:] }
func (v Version) hasLocal() bool    { return int(v.local) < len(v.atoms) }

// componentEnd returns the end of the component that starts at atoms[i], or
// i itself when there is none (a missing component, which counts as 0).
func componentEnd(atoms []atom, i int) int {
	if i >= len(atoms) {
		return i
	}
	i++
	for i < len(atoms) && !atoms[i].first {
		i++
	}
	return i
}

// compareComponents compares two lists of components, a missing component
// counting as 0.
func compareComponents(at string, a []atom, bt string, b []atom) int {
	for i, j := 0, 0; i < len(a) || j < len(b); {
		ie, je := componentEnd(a, i), componentEnd(b, j)
		if c := compareComponent(at, a[i:ie], bt, b[j:je]); c != 0 {
			return c
		}
		i, j = ie, je
	}
	return 0
}

// compareComponent compares two components, a missing sub-component counting
// as 0.
func compareComponent(at string, a []atom, bt string, b []atom) int {
	for k := 0; k < len(a) || k < len(b); k++ {
		if c := compareAtom(at, atomAt(a, k), bt, atomAt(b, k)); c != 0 {
			return c
		}
	}
	return 0
}

// atomAt returns atoms[k], or the number 0 past the end.
func atomAt(atoms []atom, k int) atom {
	if k < len(atoms) {
		return atoms[k]
	}
	return atom{kind: kindNum}
}

func compareAtom(at string, x atom, bt string, y atom) int {
	if x.kind != y.kind {
		if x.kind < y.kind {
			return -1
		}
		return 1
	}
	switch x.kind {
	case kindNum:
		return compareDigits(at[x.off:x.end], bt[y.off:y.end])
	case kindStr:
		return compareFold(at[x.off:x.end], bt[y.off:y.end])
	}
	return 0 // two "dev"s or two "post"s
}

// compareDigits compares two runs of digits as unbounded integers; the empty
// run is 0.
func compareDigits(a, b string) int {
	a, b = trimZeros(a), trimZeros(b)
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func trimZeros(s string) string {
	for len(s) > 0 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

// compareFold compares letter runs as conda does after lower-casing them and
// turning a trailing '-' into '_'.
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if x, y := fold(a[i]), fold(b[i]); x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

func hasPrefixFold(s, prefix string) bool {
	if len(prefix) > len(s) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if fold(s[i]) != fold(prefix[i]) {
			return false
		}
	}
	return true
}

func fold(c byte) byte {
	switch {
	case 'A' <= c && c <= 'Z':
		return c + 'a' - 'A'
	case c == '-':
		return '_'
	}
	return c
}
