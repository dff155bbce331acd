package checks

import (
	"os"
	"testing"

	"github.com/imagebot/imagebot/checks/config"
)

// TestBOMPipCompileIsALock: a requirements.txt written by pip-compile and
// saved with a byte order mark is a lock, so the requirements.in next to it
// has its lock and lockfile-present passes.
func TestBOMPipCompileIsALock(t *testing.T) {
	locked, err := os.ReadFile("lock/testdata/requirements-pip-compile.txt")
	if err != nil {
		t.Fatal(err)
	}
	tree := Files{
		"requirements.txt": append([]byte("\ufeff"), locked...),
		"requirements.in":  []byte("numpy\n"),
	}
	r := scan(tree, config.Default(), newBudget())
	if r.locks["requirements.txt"] == nil || r.specs["requirements.txt"] != nil {
		t.Fatalf("requirements.txt read as lock %v, spec %v; want a lock", r.locks["requirements.txt"] != nil, r.specs["requirements.txt"] != nil)
	}
}
