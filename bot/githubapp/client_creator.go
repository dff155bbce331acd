package githubapp

import (
	"cmp"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
)

// ClientCreator makes GitHub clients. Installation clients are cached per
// installation id and reused; ghinstallation caches and refreshes
// installation tokens.
type ClientCreator interface {
	// NewAppClient returns the client that authenticates as the App itself
	// (for the /app endpoints).
	NewAppClient() (*github.Client, error)
	// NewInstallationClient returns the client that acts as installation
	// installationID; every call with the same id returns the same client.
	NewInstallationClient(installationID int64) (*github.Client, error)
}

// DefaultBaseURL is GitHub.com's REST API root.
const DefaultBaseURL = "https://api.github.com/"

// DefaultTimeout bounds a request when Config.Timeout is zero.
const DefaultTimeout = time.Minute

// defaultUserAgent names the App in requests when Config.UserAgent is empty.
const defaultUserAgent = "imagebot"

// Config says which App the clients act for and how they reach GitHub.
type Config struct {
	// AppID is the App's numeric id.
	AppID int64
	// PrivateKey is the App's private key, PEM-encoded, as GitHub hands it out.
	PrivateKey []byte
	// BaseURL is the REST API root, used as given: DefaultBaseURL (the
	// default) or, for GitHub Enterprise Server, https://HOST/api/v3/; the
	// GITHUB_API_URL of a workflow is exactly this. A missing trailing slash
	// is added.
	BaseURL string
	// UserAgent is sent with every API call; default "imagebot".
	UserAgent string
	// Middleware wraps the transport beneath the rate-limit classification,
	// so each sees every response as GitHub sent it, installation-token
	// requests included; Middleware[0] is the outermost. Typical entries are
	// NewMetrics(reg).Middleware and Logging(logger).
	Middleware []func(http.RoundTripper) http.RoundTripper
	// Timeout bounds one call, from sending the request to reading the last
	// byte of the response, including any token refresh and retries it needs;
	// zero means DefaultTimeout.
	Timeout time.Duration
	// Retry says how a failed call is made again where it failed (see
	// Retry.Middleware); the zero value takes its defaults.
	Retry Retry
	// Limits, when set, keeps each installation's pause and write log where
	// every replica sees them, and makes each installation's calls one at a
	// time across replicas (see installationLimits). Without it the
	// installation clients apply no limits of their own: a rate limit fails
	// only the call that met it.
	Limits Limits
	// WriteLimits pace each installation's content-creating requests when
	// Limits is set; nil means GitHubWriteLimits.
	WriteLimits []WriteLimit
	// Now is the clock the limits read; default time.Now.
	Now func() time.Time
}

// clientCreator is the ClientCreator NewClientCreator returns. All its clients
// share one transport, so they share connections.
type clientCreator struct {
	appID     int64
	key       *rsa.PrivateKey
	baseURL   *url.URL
	userAgent string
	timeout   time.Duration
	transport http.RoundTripper // the composed middleware over one http.Transport
	app       *github.Client
	retry     Retry
	limits    Limits
	writes    []WriteLimit
	now       func() time.Time
	turns     localTurns

	mu            sync.Mutex
	installations map[int64]*github.Client
}

// NewClientCreator checks cfg (the App id, the private key, which it parses
// up front, the base URL and the timeout) and returns a ClientCreator. The
// transport it composes, from the client down, is: the retries of a failed
// call (cfg.Retry), for an installation client its limits (cfg.Limits),
// ghinstallation's authentication, the rate-limit classification (see
// RetryAfter), the scrubbing of error bodies (see errorBodies),
// cfg.Middleware in order, then a clone of http.DefaultTransport. The cache of installation clients is not bounded:
// it holds one client per installation the App has served.
func NewClientCreator(cfg Config) (ClientCreator, error) {
	if cfg.AppID <= 0 {
		return nil, fmt.Errorf("githubapp: the App id must be positive, got %d", cfg.AppID)
	}
	key, err := parsePrivateKey(cfg.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("githubapp: %w", err)
	}
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("githubapp: %w", err)
	}
	if cfg.Timeout < 0 {
		return nil, fmt.Errorf("githubapp: the timeout must not be negative, got %s", cfg.Timeout)
	}
	c := &clientCreator{
		appID:         cfg.AppID,
		key:           key,
		baseURL:       base,
		userAgent:     cmp.Or(cfg.UserAgent, defaultUserAgent),
		timeout:       cmp.Or(cfg.Timeout, DefaultTimeout),
		installations: map[int64]*github.Client{},
		retry:         cfg.Retry,
		limits:        cfg.Limits,
		writes:        cfg.WriteLimits,
		now:           cfg.Now,
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.writes == nil {
		c.writes = GitHubWriteLimits
	}
	var rt http.RoundTripper = http.DefaultTransport.(*http.Transport).Clone()
	for i := len(cfg.Middleware) - 1; i >= 0; i-- {
		rt = cfg.Middleware[i](rt)
	}
	c.transport = rateLimits(errorBodies(rt))
	c.app = c.client(c.retry.Middleware(c.appsTransport()))
	return c, nil
}

// NewAppClient returns the App's client; it is made once and shared.
func (c *clientCreator) NewAppClient() (*github.Client, error) { return c.app, nil }

// NewInstallationClient returns the installation's client, making it on the
// first call for installationID. Its token is minted on its first API call
// and refreshed by ghinstallation a minute before it expires.
func (c *clientCreator) NewInstallationClient(installationID int64) (*github.Client, error) {
	if installationID <= 0 {
		return nil, fmt.Errorf("githubapp: installation ids are positive, got %d", installationID)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gh, ok := c.installations[installationID]; ok {
		return gh, nil
	}
	// Each installation gets its own AppsTransport: ghinstallation's token
	// refresh writes to the AppsTransport it was made from.
	itr := ghinstallation.NewFromAppsTransport(c.appsTransport(), installationID)
	itr.BaseURL = c.apiRoot()
	var rt http.RoundTripper = itr
	if c.limits != nil {
		rt = installationLimits(installationID, c.limits, c.writes, &c.turns, c.now, rt)
	}
	gh := c.client(forInstallation(installationID, c.retry.Middleware(rt)))
	c.installations[installationID] = gh
	return gh, nil
}

// appsTransport authenticates requests with a fresh App JWT each.
func (c *clientCreator) appsTransport() *ghinstallation.AppsTransport {
	atr := ghinstallation.NewAppsTransportFromPrivateKey(c.transport, c.appID, c.key)
	atr.BaseURL = c.apiRoot()
	return atr
}

// client is a go-github client over rt that calls the configured API root.
func (c *clientCreator) client(rt http.RoundTripper) *github.Client {
	gh := github.NewClient(&http.Client{Transport: rt, Timeout: c.timeout})
	base := *c.baseURL
	gh.BaseURL = &base
	gh.UserAgent = c.userAgent
	return gh
}

// apiRoot is the base URL as ghinstallation wants it: without the trailing slash.
func (c *clientCreator) apiRoot() string { return strings.TrimSuffix(c.baseURL.String(), "/") }

// parseBaseURL checks that raw (or DefaultBaseURL when empty) is an absolute
// http or https URL, and gives it a trailing slash.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(cmp.Or(raw, DefaultBaseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, errors.New("the base URL must be an absolute http or https URL without credentials, such as " + DefaultBaseURL)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}
