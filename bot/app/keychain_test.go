package app

import (
	"context"
	"net"
	"net/http"
	"testing"

	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/bot/rollout/registry"
	"github.com/imagebot/imagebot/internal/testregistry"
)

// TestInsecureRegistry reaches a plain-HTTP registry by a name that is
// neither loopback nor private, as an in-cluster registry is: only the
// operator's insecure: true lets imagebot resolve its tags.
func TestInsecureRegistry(t *testing.T) {
	addr := testregistry.InProcess(t)
	const host = "registry.jhub.svc:5000"
	testregistry.PushImage(t, addr+"/community/image:0123456789ab", testregistry.RandomImage(t))
	every := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr) // every host name is the test registry
	}}
	t.Cleanup(every.CloseIdleConnections)
	tests := []struct {
		name   string
		config string
		ok     bool
	}{
		{"no entry: HTTPS only", "", false},
		{"credentials only: HTTPS only", "registries:\n  - {host: " + host + ", usernameEnv: U, passwordEnv: P}\n", false},
		{"insecure: true", "registries:\n  - {host: " + host + ", insecure: true}\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ops, err := operator.Parse([]byte(tt.config))
			if err != nil {
				t.Fatal(err)
			}
			d, err := operatorResolver(ops, registry.WithTransport(every)).Resolve(context.Background(), host+"/community/image:0123456789ab")
			if tt.ok != (err == nil) {
				t.Fatalf("Resolve: digest %q, error %v; want success %v", d.Digest, err, tt.ok)
			}
		})
	}
}
