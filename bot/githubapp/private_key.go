package githubapp

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
)

// parsePrivateKey reads the App's private key: a PEM block holding an RSA key
// in PKCS #1 form ("RSA PRIVATE KEY", as GitHub hands it out) or PKCS #8 form
// ("PRIVATE KEY"). Its errors never quote the key.
func parsePrivateKey(data []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("private key is not PEM-encoded")
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("private key: malformed PKCS #1 RSA key")
		}
		return key, nil
	case "PRIVATE KEY":
		parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("private key: malformed PKCS #8 key")
		}
		key, ok := parsed.(*rsa.PrivateKey)
		if !ok {
			return nil, errors.New("private key: GitHub Apps sign with RSA keys, and this key is not one")
		}
		return key, nil
	}
	return nil, errors.New("private key: the PEM block is a " + block.Type + ", not an RSA private key")
}
