// Package settings reads the App's configuration from the environment:
// the GitHub App's identity and secrets, where to listen, where state
// lives, and the operator's configuration file. It refuses to produce
// settings without a webhook secret or with a database URL it cannot
// tell, and it never prints a secret.
//
// It must not depend on the rest of the App.
package settings

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/imagebot/imagebot/bot/dburl"
)

// Settings is the App's configuration.
type Settings struct {
	AppID         int64
	PrivateKey    []byte // PEM
	WebhookSecret []byte
	APIURL        string // GitHub's REST API base URL, ending in "/"
	Listen        string // address for the HTTP server
	DatabaseURL   string // a SQLite file or sqlite: URL, or a postgres:// URL or libpq key=value string (see dburl.Parse)
	ConfigPath    string // the operator's configuration file; "" when none
	LogLevel      slog.Level
	// Job tuning; the defaults suit production.
	JobTimeout   time.Duration // one attempt's limit
	RescueAfter  time.Duration // a job running this long is taken to be orphaned by a dead process and run again
	PollInterval time.Duration // how often idle workers look for jobs (SQLite has no notifications)
	// WebhookBuffer bounds the bytes that webhook bodies hold at once, in
	// bytes; deliveries beyond it are answered 503 with Retry-After.
	WebhookBuffer int64
	// MaxPendingJobs bounds the job backlog: past it, deliveries that would
	// add jobs are answered 503 with Retry-After (the redelivery sweep
	// recovers them later).
	MaxPendingJobs int
	// Warnings are settings that work but should change (a short webhook
	// secret); serve logs them at start.
	Warnings []string
}

// minSecretLength is the webhook secret length below which Load warns.
const minSecretLength = 16

// The environment variables, documented in the README.
const (
	EnvAppID          = "GITHUB_APP_ID"
	EnvPrivateKey     = "GITHUB_APP_PRIVATE_KEY"
	EnvPrivateKeyFile = "GITHUB_APP_PRIVATE_KEY_FILE"
	EnvWebhookSecret  = "GITHUB_WEBHOOK_SECRET"
	EnvAPIURL         = "GITHUB_API_URL"
	EnvListen         = "IMAGEBOT_LISTEN"
	EnvDatabaseURL    = "IMAGEBOT_DATABASE_URL"
	EnvConfig         = "IMAGEBOT_CONFIG"
	EnvLogLevel       = "IMAGEBOT_LOG_LEVEL"
	EnvJobTimeout     = "IMAGEBOT_JOB_TIMEOUT"
	EnvRescueAfter    = "IMAGEBOT_JOB_RESCUE_AFTER"
	EnvPollInterval   = "IMAGEBOT_JOB_POLL_INTERVAL"
	EnvWebhookBuffer  = "IMAGEBOT_WEBHOOK_BUFFER_MB"
	EnvMaxPendingJobs = "IMAGEBOT_MAX_PENDING_JOBS"
)

// defaultMaxPendingJobs is the job backlog bound unless set.
const defaultMaxPendingJobs = 10000

// Webhook buffer bounds, in MiB: the default, and the least that holds a
// 25 MB delivery beside the reserve kept for small ones.
const (
	defaultWebhookBufferMB = 64
	minWebhookBufferMB     = 32
)

// Load reads the settings through getenv (os.Getenv in production) and
// readFile (os.ReadFile). Every problem is reported, one per line.
func Load(getenv func(string) string, readFile func(string) ([]byte, error)) (*Settings, error) {
	s := &Settings{
		APIURL:      orDefault(getenv(EnvAPIURL), "https://api.github.com/"),
		Listen:      orDefault(getenv(EnvListen), ":8080"),
		DatabaseURL: orDefault(getenv(EnvDatabaseURL), "imagebot.db"),
		ConfigPath:  getenv(EnvConfig),
	}
	if !strings.HasSuffix(s.APIURL, "/") {
		s.APIURL += "/"
	}
	var problems []string
	if err := s.LogLevel.UnmarshalText([]byte(orDefault(getenv(EnvLogLevel), "info"))); err != nil {
		problems = append(problems, fmt.Sprintf("%s must be debug, info, warn or error, got %q", EnvLogLevel, getenv(EnvLogLevel)))
	}
	for _, d := range []struct {
		env  string
		def  time.Duration
		into *time.Duration
	}{
		{EnvJobTimeout, 2 * time.Minute, &s.JobTimeout},
		{EnvRescueAfter, 150 * time.Second, &s.RescueAfter},
		{EnvPollInterval, time.Second, &s.PollInterval},
	} {
		*d.into = d.def
		if v := getenv(d.env); v != "" {
			parsed, err := time.ParseDuration(v)
			if err != nil || parsed <= 0 {
				problems = append(problems, fmt.Sprintf("%s must be a positive duration such as 90s or 5m, got %q", d.env, v))
				continue
			}
			*d.into = parsed
		}
	}
	s.WebhookBuffer = defaultWebhookBufferMB << 20
	if v := getenv(EnvWebhookBuffer); v != "" {
		mb, err := strconv.ParseInt(v, 10, 64)
		if err != nil || mb < minWebhookBufferMB || mb > 1<<20 {
			problems = append(problems, fmt.Sprintf("%s must be a whole number of MiB, at least %d (one 25 MB delivery and the reserve for small ones), got %q",
				EnvWebhookBuffer, minWebhookBufferMB, v))
		} else {
			s.WebhookBuffer = mb << 20
		}
	}
	s.MaxPendingJobs = defaultMaxPendingJobs
	if v := getenv(EnvMaxPendingJobs); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			problems = append(problems, fmt.Sprintf("%s must be a positive number of jobs, such as 10000, got %q", EnvMaxPendingJobs, v))
		} else {
			s.MaxPendingJobs = n
		}
	}
	if s.RescueAfter <= s.JobTimeout {
		problems = append(problems, fmt.Sprintf("%s (%s) must be longer than %s (%s)", EnvRescueAfter, s.RescueAfter, EnvJobTimeout, s.JobTimeout))
	}
	switch secret := getenv(EnvWebhookSecret); {
	case strings.TrimSpace(secret) == "":
		problems = append(problems, EnvWebhookSecret+" is required and must not be blank: imagebot refuses to accept webhooks it cannot verify; "+
			"set it to the secret configured for the App's webhook (generate one with `openssl rand -hex 32`)")
	default:
		s.WebhookSecret = []byte(secret)
		if len(secret) < minSecretLength {
			s.Warnings = append(s.Warnings, fmt.Sprintf("%s is only %d characters long: anyone who guesses it can send imagebot forged deliveries; "+
				"generate a longer one with `openssl rand -hex 32` and set it both in the App's webhook settings and here", EnvWebhookSecret, len(secret)))
		}
	}
	if _, _, err := dburl.Parse(s.DatabaseURL); err != nil {
		problems = append(problems, EnvDatabaseURL+": "+err.Error())
	}
	switch id := getenv(EnvAppID); {
	case id == "":
		problems = append(problems, EnvAppID+" is required: the numeric ID on the App's settings page")
	default:
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			problems = append(problems, fmt.Sprintf("%s must be a positive number, got %q", EnvAppID, id))
		}
		s.AppID = n
	}
	key, keyFile := getenv(EnvPrivateKey), getenv(EnvPrivateKeyFile)
	switch {
	case key != "" && keyFile != "":
		problems = append(problems, "set only one of "+EnvPrivateKey+" and "+EnvPrivateKeyFile)
	case key != "":
		s.PrivateKey = []byte(key)
	case keyFile != "":
		data, err := readFile(keyFile)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: cannot read the key file: %v", EnvPrivateKeyFile, err))
		}
		s.PrivateKey = data
	default:
		problems = append(problems, EnvPrivateKey+" (the PEM text) or "+EnvPrivateKeyFile+" (its path) is required: generate a private key on the App's settings page")
	}
	if len(s.PrivateKey) > 0 && !strings.Contains(string(s.PrivateKey), "PRIVATE KEY-----") {
		problems = append(problems, "the App private key is not PEM text (it should start with -----BEGIN RSA PRIVATE KEY-----)")
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	return s, nil
}

// FromEnvironment loads the settings of the running process.
func FromEnvironment() (*Settings, error) { return Load(os.Getenv, os.ReadFile) }

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// LogValue describes the settings for logs without their secrets.
func (s *Settings) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int64("app_id", s.AppID),
		slog.String("api_url", s.APIURL),
		slog.String("listen", s.Listen),
		slog.String("database", dburl.Redact(s.DatabaseURL)),
		slog.String("config", s.ConfigPath),
		slog.Duration("job_timeout", s.JobTimeout),
		slog.Duration("rescue_after", s.RescueAfter),
		slog.Int64("webhook_buffer_mb", s.WebhookBuffer>>20),
		slog.Int("max_pending_jobs", s.MaxPendingJobs),
	)
}

// String describes the settings without their secrets.
func (s *Settings) String() string { return s.LogValue().String() }
