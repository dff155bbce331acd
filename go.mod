module github.com/imagebot/imagebot

go 1.26.8

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/aquasecurity/go-pep440-version v0.0.1
	github.com/bradleyfalzon/ghinstallation/v2 v2.10.0
	github.com/google/go-github/v60 v60.0.0
	go.yaml.in/yaml/v3 v3.0.6
)

require (
	github.com/aquasecurity/go-version v0.0.1 // indirect
	github.com/golang-jwt/jwt/v4 v4.5.0 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/google/go-querystring v1.1.0 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	golang.org/x/xerrors v0.0.0-20231012003039-104605ab7028 // indirect
)
