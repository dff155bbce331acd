package testhub

import (
	"testing"
	"time"
)

// TestHub starts a hub whose servers are broken and one whose servers
// work, starts a server on each, and reads the outcome from the hubs'
// metrics.
func TestHub(t *testing.T) {
	for _, tt := range []struct {
		name             string
		image            Image
		success, failure int
	}{{"broken", Broken, 0, 1}, {"working", Working, 1, 0}} {
		t.Run(tt.name, func(t *testing.T) {
			h := Start(t, tt.image)
			if v, err := h.Version(); err != nil || v != "3.0.0" {
				t.Errorf("version %q, %v", v, err)
			}
			h.Spawn(t, "alice")
			deadline := time.Now().Add(time.Minute)
			for {
				success, failure := h.Spawns(t)
				if success == tt.success && failure == tt.failure {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("spawns: %d succeeded, %d failed; want %d and %d", success, failure, tt.success, tt.failure)
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
}
