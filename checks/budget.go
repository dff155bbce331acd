package checks

import (
	"fmt"
	"strings"
)

// The most one run of Check reads, across the checked tree and its base:
// maxFiles files and maxBytes bytes. A file past either is left out, and
// every check it matters to fails naming it: what is not checked must not
// pass. Files are read shallowest first, so the files at the root of an
// image repository are read before anything nested.
const (
	maxFiles = 1000
	maxBytes = 96 << 20
)

// budget is what is left of one run's files and bytes.
type budget struct {
	files int
	bytes int64
}

func newBudget() *budget { return &budget{files: maxFiles, bytes: maxBytes} }

// admit reports whether a file of size bytes (-1: not known before
// reading; maxFileSize is then assumed to be readable) fits what is left.
func (b *budget) admit(size int64) bool {
	return b.files > 0 && size <= b.bytes && (size >= 0 || b.bytes > 0)
}

// spend takes a file that was read from the budget: its size as listed,
// or as read when that is more.
func (b *budget) spend(size int64, read int) {
	b.files--
	b.bytes -= max(size, int64(read))
}

// leftOutFindings makes one error per check that a left-out file matters
// to, naming the files; of is "" for the checked tree, " of the base" for
// the base of a change.
func leftOutFindings(leftOut []string, of string) map[string][]Finding {
	byCheck := map[string][]string{}
	for _, p := range leftOut {
		for _, id := range checksOf(classify(p)) {
			byCheck[id] = append(byCheck[id], p)
		}
	}
	out := map[string][]Finding{}
	for id, paths := range byCheck {
		out[id] = []Finding{leftOutFinding(paths, of)}
	}
	return out
}

// leftOutFinding is the error for files left out, naming them.
func leftOutFinding(paths []string, of string) Finding {
	return Finding{Severity: Error,
		Message: fmt.Sprintf("imagebot reads at most %d files and %d MiB per run, and %s%s %s not read, so this check cannot pass: %s.",
			maxFiles, maxBytes>>20, countFiles(len(paths)), of, wasWere(len(paths)), nameSome(paths, 5)),
		Fix: "List the directories that hold no image under ignore.paths in .github/imagebot.yml, so that every file that builds the image is checked."}
}

// checksOf names the checks a kind of file matters to.
func checksOf(k fileKind) []string {
	switch k {
	case lockFile, requirementsTxt:
		return []string{LockfilePresent, LockfileFresh, LockfileConsistent}
	case environmentFile, requirementsIn, pyprojectFile, pixiTOML:
		return []string{LockfilePresent, LockfileFresh}
	case dockerfile, appendix:
		return []string{LockfilePresent, ImagePinned}
	case workflow:
		return []string{ImagePinned}
	}
	return []string{LockfilePresent}
}

func countFiles(n int) string {
	if n == 1 {
		return "1 file it would check"
	}
	return fmt.Sprintf("%d files it would check", n)
}

func wasWere(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

// nameSome lists up to n paths, and how many more there are.
func nameSome(paths []string, n int) string {
	if len(paths) <= n {
		return "`" + strings.Join(paths, "`, `") + "`"
	}
	return fmt.Sprintf("`%s` and %d more", strings.Join(paths[:n], "`, `"), len(paths)-n)
}
