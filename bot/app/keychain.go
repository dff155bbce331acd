package app

import (
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/bot/rollout/registry"
)

// operatorResolver resolves tags with what the operator configured for
// each registry: the credentials in the environment variables it named, and
// plain HTTP for the registries it marked insecure. opts come after, for
// tests that reach registries of their own.
func operatorResolver(ops *operator.Config, opts ...registry.Option) *registry.Resolver {
	base := []registry.Option{
		registry.WithKeychain(operatorKeychain{ops}),
		registry.WithInsecureRegistries(ops.InsecureRegistries()...),
	}
	return registry.NewResolver(append(base, opts...)...)
}

// operatorKeychain gives the registry credentials the operator configured,
// read from the environment variables it named; other registries, and
// those configured without credentials, are read anonymously.
type operatorKeychain struct {
	cfg *operator.Config
}

// Resolve implements authn.Keychain.
func (k operatorKeychain) Resolve(target authn.Resource) (authn.Authenticator, error) {
	reg, ok := k.cfg.Registry(strings.ToLower(target.RegistryStr()))
	if !ok || reg.UsernameEnv == "" {
		return authn.Anonymous, nil
	}
	return &authn.Basic{Username: os.Getenv(reg.UsernameEnv), Password: os.Getenv(reg.PasswordEnv)}, nil
}
