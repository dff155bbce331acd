package app

import (
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/imagebot/imagebot/bot/rollout/operator"
)

// operatorKeychain gives the registry credentials the operator configured,
// read from the environment variables it named; other registries are read
// anonymously.
type operatorKeychain struct {
	cfg *operator.Config
}

// Resolve implements authn.Keychain.
func (k operatorKeychain) Resolve(target authn.Resource) (authn.Authenticator, error) {
	reg, ok := k.cfg.Registry(strings.ToLower(target.RegistryStr()))
	if !ok {
		return authn.Anonymous, nil
	}
	return &authn.Basic{Username: os.Getenv(reg.UsernameEnv), Password: os.Getenv(reg.PasswordEnv)}, nil
}
