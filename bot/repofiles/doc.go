// Package repofiles reads the files of a pull request, its merge base and its
// head, from GitHub's REST API with as few calls as it can: one comparison
// that lists what the pull request changes, the merge base's tree, the
// head's tree when the pull request writes a file the checks read (only the
// tree tells a symbolic link from a file), and one blob per file the checks
// actually read and per link on its way, each only when it is read and only
// when the cache does not already hold it. Git objects are immutable, so the
// cache (the App's store) keeps them by SHA for good.
//
// It serves trees to the checks engine (checks.Tree) and knows GitHub only
// through go-github; it holds no state of its own between calls.
package repofiles
