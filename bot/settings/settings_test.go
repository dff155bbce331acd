package settings

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"

func TestLoad(t *testing.T) {
	files := map[string]string{"/keys/app.pem": pem}
	readFile := func(p string) ([]byte, error) {
		if d, ok := files[p]; ok {
			return []byte(d), nil
		}
		return nil, errors.New("no such file")
	}
	tests := []struct {
		name    string
		env     map[string]string
		want    *Settings
		wantErr []string
	}{
		{
			name: "minimal",
			env:  map[string]string{EnvAppID: "42", EnvPrivateKey: pem, EnvWebhookSecret: "s3cret"},
			want: &Settings{AppID: 42, PrivateKey: []byte(pem), WebhookSecret: []byte("s3cret"),
				APIURL: "https://api.github.com/", Listen: ":8080", DatabaseURL: "imagebot.db",
				JobTimeout: 2 * time.Minute, RescueAfter: 150 * time.Second, PollInterval: time.Second, WebhookBuffer: 64 << 20, MaxPendingJobs: 10000},
		},
		{
			name: "everything, key from a file, enterprise URL without slash",
			env: map[string]string{EnvAppID: "7", EnvPrivateKeyFile: "/keys/app.pem", EnvWebhookSecret: "x",
				EnvAPIURL: "https://ghe.example/api/v3", EnvListen: "127.0.0.1:9000",
				EnvDatabaseURL: "postgres://bot:pw@db/imagebot", EnvConfig: "/etc/imagebot.yml",
				EnvLogLevel: "debug", EnvJobTimeout: "10s", EnvRescueAfter: "15s", EnvPollInterval: "50ms", EnvWebhookBuffer: "128", EnvMaxPendingJobs: "500"},
			want: &Settings{AppID: 7, PrivateKey: []byte(pem), WebhookSecret: []byte("x"),
				APIURL: "https://ghe.example/api/v3/", Listen: "127.0.0.1:9000",
				DatabaseURL: "postgres://bot:pw@db/imagebot", ConfigPath: "/etc/imagebot.yml", LogLevel: slog.LevelDebug,
				JobTimeout: 10 * time.Second, RescueAfter: 15 * time.Second, PollInterval: 50 * time.Millisecond, WebhookBuffer: 128 << 20, MaxPendingJobs: 500},
		},
		{
			name:    "blank webhook secret: refuse to start",
			env:     map[string]string{EnvAppID: "42", EnvPrivateKey: pem, EnvWebhookSecret: " \t\n "},
			wantErr: []string{"GITHUB_WEBHOOK_SECRET is required and must not be blank", "openssl rand -hex 32"},
		},
		{
			name: "libpq key=value database",
			env: map[string]string{EnvAppID: "42", EnvPrivateKey: pem, EnvWebhookSecret: "s3cret",
				EnvDatabaseURL: "host=db dbname=imagebot user=bot password=pw"},
			want: &Settings{AppID: 42, PrivateKey: []byte(pem), WebhookSecret: []byte("s3cret"),
				APIURL: "https://api.github.com/", Listen: ":8080", DatabaseURL: "host=db dbname=imagebot user=bot password=pw",
				JobTimeout: 2 * time.Minute, RescueAfter: 150 * time.Second, PollInterval: time.Second, WebhookBuffer: 64 << 20, MaxPendingJobs: 10000},
		},
		{
			name: "sqlite URL database",
			env: map[string]string{EnvAppID: "42", EnvPrivateKey: pem, EnvWebhookSecret: "s3cret",
				EnvDatabaseURL: "sqlite:///data/imagebot.db"},
			want: &Settings{AppID: 42, PrivateKey: []byte(pem), WebhookSecret: []byte("s3cret"),
				APIURL: "https://api.github.com/", Listen: ":8080", DatabaseURL: "sqlite:///data/imagebot.db",
				JobTimeout: 2 * time.Minute, RescueAfter: 150 * time.Second, PollInterval: time.Second, WebhookBuffer: 64 << 20, MaxPendingJobs: 10000},
		},
		{
			name:    "database URL with an unknown scheme",
			env:     map[string]string{EnvAppID: "42", EnvPrivateKey: pem, EnvWebhookSecret: "s3cret", EnvDatabaseURL: "mysql://bot:hunter2@db/x"},
			wantErr: []string{`IMAGEBOT_DATABASE_URL: the database URL has the scheme "mysql", which imagebot does not know`},
		},
		{
			name:    "no webhook secret: refuse to start",
			env:     map[string]string{EnvAppID: "42", EnvPrivateKey: pem},
			wantErr: []string{"GITHUB_WEBHOOK_SECRET is required"},
		},
		{
			name: "everything missing is reported at once",
			env:  map[string]string{},
			wantErr: []string{"GITHUB_WEBHOOK_SECRET is required", "GITHUB_APP_ID is required",
				"GITHUB_APP_PRIVATE_KEY (the PEM text) or GITHUB_APP_PRIVATE_KEY_FILE (its path) is required"},
		},
		{
			name:    "bad app id",
			env:     map[string]string{EnvAppID: "abc", EnvPrivateKey: pem, EnvWebhookSecret: "x"},
			wantErr: []string{`GITHUB_APP_ID must be a positive number, got "abc"`},
		},
		{
			name:    "both key variables",
			env:     map[string]string{EnvAppID: "1", EnvPrivateKey: pem, EnvPrivateKeyFile: "/keys/app.pem", EnvWebhookSecret: "x"},
			wantErr: []string{"set only one of"},
		},
		{
			name:    "unreadable key file",
			env:     map[string]string{EnvAppID: "1", EnvPrivateKeyFile: "/nope", EnvWebhookSecret: "x"},
			wantErr: []string{"GITHUB_APP_PRIVATE_KEY_FILE: cannot read the key file"},
		},
		{
			name:    "bad duration",
			env:     map[string]string{EnvAppID: "1", EnvPrivateKey: pem, EnvWebhookSecret: "x", EnvJobTimeout: "soon"},
			wantErr: []string{`IMAGEBOT_JOB_TIMEOUT must be a positive duration such as 90s or 5m, got "soon"`},
		},
		{
			name:    "rescue before the timeout",
			env:     map[string]string{EnvAppID: "1", EnvPrivateKey: pem, EnvWebhookSecret: "x", EnvJobTimeout: "1m", EnvRescueAfter: "30s"},
			wantErr: []string{"IMAGEBOT_JOB_RESCUE_AFTER (30s) must be longer than IMAGEBOT_JOB_TIMEOUT (1m0s)"},
		},
		{
			name:    "webhook buffer too small for a delivery",
			env:     map[string]string{EnvAppID: "1", EnvPrivateKey: pem, EnvWebhookSecret: "x", EnvWebhookBuffer: "16"},
			wantErr: []string{`IMAGEBOT_WEBHOOK_BUFFER_MB must be a whole number of MiB, at least 32 (one 25 MB delivery and the reserve for small ones), got "16"`},
		},
		{
			name:    "max pending jobs not a number",
			env:     map[string]string{EnvAppID: "1", EnvPrivateKey: pem, EnvWebhookSecret: "x", EnvMaxPendingJobs: "lots"},
			wantErr: []string{`IMAGEBOT_MAX_PENDING_JOBS must be a positive number of jobs, such as 10000, got "lots"`},
		},
		{
			name:    "bad log level",
			env:     map[string]string{EnvAppID: "1", EnvPrivateKey: pem, EnvWebhookSecret: "x", EnvLogLevel: "loud"},
			wantErr: []string{`IMAGEBOT_LOG_LEVEL must be debug, info, warn or error, got "loud"`},
		},
		{
			name:    "key that is not PEM",
			env:     map[string]string{EnvAppID: "1", EnvPrivateKey: "hunter2", EnvWebhookSecret: "x"},
			wantErr: []string{"is not PEM text"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Load(func(k string) string { return tt.env[k] }, readFile)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("Load accepted it: %v", got)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not contain %q", err, w)
					}
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Error("the error repeats the secret")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want.String() || string(got.PrivateKey) != string(tt.want.PrivateKey) ||
				string(got.WebhookSecret) != string(tt.want.WebhookSecret) || got.ConfigPath != tt.want.ConfigPath ||
				got.LogLevel != tt.want.LogLevel || got.PollInterval != tt.want.PollInterval {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestShortSecretWarns(t *testing.T) {
	tests := []struct {
		secret string
		warns  bool
	}{
		{"~", true},
		{"fifteen-chars!!", true},
		{"sixteen-chars!!!", false},
		{"0123456789abcdef0123456789abcdef", false},
	}
	for _, tt := range tests {
		env := map[string]string{EnvAppID: "1", EnvPrivateKey: pem, EnvWebhookSecret: tt.secret}
		s, err := Load(func(k string) string { return env[k] }, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(s.Warnings) == 1; got != tt.warns {
			t.Errorf("secret of %d characters: warnings %q, want a warning: %v", len(tt.secret), s.Warnings, tt.warns)
		}
		for _, w := range s.Warnings {
			if !strings.Contains(w, EnvWebhookSecret) || !strings.Contains(w, "openssl rand -hex 32") || strings.Contains(w, tt.secret) {
				t.Errorf("warning %q should name %s and how to fix it, without the secret", w, EnvWebhookSecret)
			}
		}
	}
}

func TestDatabaseRedactedInLogs(t *testing.T) {
	tests := []struct{ url, want string }{
		{"postgres://bot:dbpass@db/x", "postgres://bot:xxxxx@db/x"},
		{"host=db user=bot password=dbpass dbname=x", "host=db user=bot password=xxxxx dbname=x"},
		{"host=db user=bot password='db pass' dbname=x", "host=db user=bot password=xxxxx dbname=x"},
	}
	for _, tt := range tests {
		s := &Settings{AppID: 1, DatabaseURL: tt.url}
		var b strings.Builder
		slog.New(slog.NewTextHandler(&b, nil)).Info("starting", "settings", s)
		out := b.String()
		if strings.Contains(out, "dbpass") || strings.Contains(out, "db pass") {
			t.Errorf("log shows the password: %s", out)
		}
		if !strings.Contains(out, tt.want) {
			t.Errorf("log lacks %q: %s", tt.want, out)
		}
	}
}

func TestNoSecretsInLogs(t *testing.T) {
	s := &Settings{AppID: 1, PrivateKey: []byte(pem), WebhookSecret: []byte("s3cret"), DatabaseURL: "postgres://bot:dbpass@db/x"}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("starting", "settings", s)
	out := b.String() + s.String()
	for _, secret := range []string{"s3cret", "PRIVATE KEY", "dbpass"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q: %s", secret, out)
		}
	}
	if !strings.Contains(out, "postgres://bot:xxxxx@db/x") {
		t.Errorf("log lacks the redacted database URL: %s", out)
	}
}
