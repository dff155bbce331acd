package build

import (
	"fmt"
	"io"
	"strings"
)

// The shell parser recurses once per level of nesting, and a goroutine whose stack passes
// Go's 1 GB limit kills the process: 200,000 nested ( in 400 KB of text would. So the
// parser reads its text through shellBudget, which charges every byte handed over with
// the most parser stack it can add (measured in BenchmarkShellNesting) and stops the parse
// with an error, which unwinds it, once the text read since the last complete top-level
// command could take more than maxShellCost. The parser cannot be deeper than the text
// it has read, and it is at the top whenever a top-level command is complete, so the
// budget starts again there. It also bounds the syntax tree of one top-level command.

const (
	// maxShellCost is the budget in units of 512 bytes of parser stack: 64 MiB.
	maxShellCost = 1 << 17
	// maxShellNodes bounds the syntax tree of one top-level command (about 100 bytes a
	// node): its words count one each, $ two (an expansion and the literal after it),
	// quotes one.
	maxShellNodes = 1 << 19
	// keywordCost is the charge for a reserved word that opens a compound command.
	keywordCost = 4
)

// byteCost is the charge for each byte: ( and [ open subshells, arithmetic, functions
// and array indexes (up to 4 KiB of stack a level), { blocks and ${ … } expansions,
// ` substitutions, and operators the arithmetic and [[ ]] parsers recurse on. The stack
// each construct takes at the deepest nesting the budget accepts is measured in
// BenchmarkShellNesting.
var byteCost = func() (t [256]uint8) {
	for _, c := range "([" {
		t[c] = 16
	}
	t['`'] = 8
	t['{'] = 4
	for _, c := range "!-+~" { // unary operators: about 1 KiB a level
		t[c] = 3
	}
	for _, c := range "&|=?:<>*/%^,\"" {
		t[c] = 1
	}
	return t
}()

// nodeCost is the number of syntax tree nodes a byte may start besides its word's.
var nodeCost = func() (t [256]uint8) {
	t['$'] = 2
	t['\''], t['"'], t['`'] = 1, 1, 1
	return t
}()

// compoundKeywords open a compound command the parser recurses into.
var compoundKeywords = map[string]bool{
	"if": true, "then": true, "elif": true, "else": true, "while": true, "until": true, "do": true,
	"for": true, "case": true, "select": true, "function": true, "time": true, "coproc": true,
}

// shellBudget is an io.Reader of src that charges what it hands over.
type shellBudget struct {
	src       string
	off       int // bytes handed over
	costFrom  int // start of the text charged to cost: the end of the last complete command
	cost      int
	nodes     int // of the text since the commands not yet converted
	wordStart int // start of the word being read, or -1
	err       error
}

func (b *shellBudget) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.off >= len(b.src) {
		return 0, io.EOF
	}
	n := copy(p, b.src[b.off:])
	cost, nodes := b.measure(b.off, b.off+n, &b.wordStart)
	b.cost += cost
	b.nodes += nodes
	b.off += n
	switch {
	case b.cost > maxShellCost:
		b.err = fmt.Errorf("the shell text is too deeply nested to check: its brackets, substitutions, operators and keywords before the end of its top-level command could take the parser more than %d MiB of stack. Split it: define the inner parts as functions, or move them into scripts of their own", maxShellCost/2048)
	case b.nodes > maxShellNodes:
		b.err = fmt.Errorf("the shell command is too large to check: it has more than %d words, expansions and quotes. Split it into several commands", maxShellNodes)
	}
	if b.err != nil {
		return 0, b.err
	}
	return n, nil
}

// measure returns the cost and the nodes of src[from:to]; wordStart carries the word
// being read across calls.
func (b *shellBudget) measure(from, to int, wordStart *int) (cost, nodes int) {
	for i := from; i < to; i++ {
		c := b.src[i]
		cost += int(byteCost[c])
		nodes += int(nodeCost[c])
		if strings.IndexByte(" \t\r\n;&|()<>", c) < 0 {
			if *wordStart < 0 {
				*wordStart = i
			}
			continue
		}
		if *wordStart >= 0 {
			nodes++
			if compoundKeywords[b.src[*wordStart:i]] {
				cost += keywordCost
			}
			*wordStart = -1
		}
	}
	return cost, nodes
}

// settleCost starts the cost again at end, where a top-level command ends and the parser
// is back at the top: only the text handed over after it is charged.
func (b *shellBudget) settleCost(end int) {
	word := -1
	b.costFrom = end
	b.cost, _ = b.measure(end, b.off, &word)
}

// settleNodes starts the count of nodes again at end, where the commands converted end.
func (b *shellBudget) settleNodes(end int) {
	word := -1
	_, b.nodes = b.measure(end, b.off, &word)
}
