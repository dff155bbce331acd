package app

import (
	"os"
	"testing"
)

// TestMain runs the package's tests, or, when the memory benchmark starts
// this test binary as its child (pollingChildEnv set), the App it measures.
func TestMain(m *testing.M) {
	if os.Getenv(pollingChildEnv) != "" {
		os.Exit(runPollingChild())
	}
	os.Exit(m.Run())
}
