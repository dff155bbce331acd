package checks

import (
	"fmt"
	"slices"
	"testing"
)

// recording is a tree that remembers what was read, in order.
type recording struct {
	Files
	read *[]string
}

func (r recording) ReadFile(p string) ([]byte, error) {
	*r.read = append(*r.read, p)
	return r.Files.ReadFile(p)
}

// TestReadsIsWhatCheckReads: Reads lists exactly the files Check reads,
// in its order, budget included, for the head and the base.
func TestReadsIsWhatCheckReads(t *testing.T) {
	head, base := Files{"Dockerfile": []byte("FROM python:3.12\n"), "README.md": []byte("x")}, Files{"environment.yml": []byte("dependencies: []\n")}
	for i := range maxFiles + 5 {
		head[fmt.Sprintf("a/env%04d/environment.yml", i)] = []byte("dependencies: []\n")
	}
	var headRead, baseRead []string
	h, b := recording{head, &headRead}, recording{base, &baseRead}
	wantHead, wantBase := Reads(h, WithBase(b))
	Check(h, WithBase(b))
	if !slices.Equal(headRead, wantHead) || len(wantHead) != maxFiles || wantHead[0] != "Dockerfile" {
		t.Errorf("head: Reads listed %d files starting %v, Check read %d", len(wantHead), wantHead[:2], len(headRead))
	}
	if !slices.Equal(baseRead, wantBase) || len(wantBase) != 0 {
		t.Errorf("base: Reads listed %v, Check read %v (the head spent the budget)", wantBase, baseRead)
	}
}
