package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/settings"
)

// setupOptions are the flags of `imagebot setup`.
type setupOptions struct {
	org        string
	githubURL  string
	webhookURL string
	listen     string
	out        string
	bumpPRs    bool
}

var (
	orgPattern  = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,38})$`)
	codePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)
	shellSafe   = regexp.MustCompile(`^[A-Za-z0-9_./:=@%+-]+$`)
)

// runSetup is `imagebot setup`: GitHub's App Manifest flow. It serves a
// page whose form posts app.yml (as JSON) to GitHub; GitHub creates the App
// and redirects back to /callback with a code, which setup exchanges for
// the App's id, private key and webhook secret. It writes them to --out
// (mode 0600), prints the next steps, and exits.
func runSetup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseSetupFlags(args, stdout)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(o.out); err == nil {
		return usagef("%s already exists; move it away or choose another --out, so that no App's keys are overwritten", o.out)
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return usagef("cannot listen on %s: %v", o.listen, err)
	}
	defer ln.Close()
	base := "http://" + browserAddr(ln.Addr().(*net.TCPAddr))
	state, err := randomState()
	if err != nil {
		return err
	}
	manifest, err := setupManifest(o.webhookURL, base+"/callback", o.bumpPRs)
	if err != nil {
		return err
	}
	flow := &manifestFlow{
		opts: o, state: state, manifest: manifest, api: apiBaseURL(o.githubURL),
		done: make(chan setupResult, 1),
	}
	srv := &http.Server{Handler: flow.routes(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer func() {
		// Let the callback's page reach the browser before exiting.
		stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(stop)
	}()

	fmt.Fprintf(stdout, "Open %s/ in a browser where you are signed in to %s, and create the App there.\n", base, o.githubURL)
	select {
	case <-ctx.Done():
		return errors.New("setup interrupted before GitHub sent the App back; nothing was written")
	case r := <-flow.done:
		if r.err != nil {
			return r.err
		}
		return setupNextStepsTemplate.Execute(stdout, r.steps)
	}
}

func parseSetupFlags(args []string, stdout io.Writer) (setupOptions, error) {
	var o setupOptions
	cmd := newCommand("setup", "imagebot setup [--org ORG] [--github-url URL] [--webhook-url URL] [--listen ADDR] [--out FILE] [--bump-prs]",
		`Registers imagebot as a GitHub App in one click (GitHub's App Manifest flow):
it serves a page at --listen whose button creates the App from app.yml, then
writes the App's id, private key and webhook secret to --out (mode 0600) and
prints the next steps.`)
	fs := cmd.flags
	fs.StringVar(&o.org, "org", "", "register the App under this organization (default: your personal account)")
	fs.StringVar(&o.githubURL, "github-url", "https://github.com", "GitHub's address; GitHub Enterprise Server's for an App there")
	fs.StringVar(&o.webhookURL, "webhook-url", "", "where GitHub delivers webhooks: https://HOST/api/github/webhooks")
	fs.StringVar(&o.listen, "listen", "127.0.0.1:3000", "address of setup's page in your browser")
	fs.StringVar(&o.out, "out", "imagebot-app.env", "file to write the App's id, private key and webhook secret to")
	fs.BoolVar(&o.bumpPRs, "bump-prs", false, "let imagebot open the pull requests that bump hub values files (contents: write)")
	operands, err := cmd.parse(args, stdout)
	if err != nil {
		return o, err
	}
	if len(operands) > 0 {
		return o, usagef("setup takes only flags; got %q", operands[0])
	}
	if o.org != "" && !orgPattern.MatchString(o.org) {
		return o, usagef("--org %q is not a GitHub organization name", o.org)
	}
	gh, err := url.Parse(o.githubURL)
	if err != nil || (gh.Scheme != "https" && gh.Scheme != "http") || gh.Host == "" || gh.User != nil || gh.RawQuery != "" {
		return o, usagef("--github-url must be GitHub's address, such as https://github.com or https://github.example.org")
	}
	o.githubURL = strings.TrimSuffix(o.githubURL, "/")
	hook, err := url.Parse(o.webhookURL)
	switch {
	case o.webhookURL == "":
		return o, usagef("setup needs --webhook-url, the address where GitHub will deliver events to imagebot, such as https://imagebot.example.org/api/github/webhooks (the chart's Ingress host)")
	case err != nil || (hook.Scheme != "https" && hook.Scheme != "http") || hook.Host == "" || hook.User != nil:
		return o, usagef("--webhook-url must be an https:// URL such as https://imagebot.example.org/api/github/webhooks")
	}
	return o, nil
}

// apiBaseURL is the REST API that exchanges the code: GITHUB_API_URL when
// set (as for serve); else api.github.com for github.com, and /api/v3/ on
// a GitHub Enterprise Server.
func apiBaseURL(githubURL string) string {
	if v := os.Getenv(settings.EnvAPIURL); v != "" {
		return strings.TrimSuffix(v, "/") + "/"
	}
	if githubURL == "https://github.com" {
		return "https://api.github.com/"
	}
	return githubURL + "/api/v3/"
}

// browserAddr is the listener's address as a browser on this machine
// reaches it.
func browserAddr(a *net.TCPAddr) string {
	if a.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", a.Port)
	}
	return a.String()
}

func randomState() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// manifestFlow serves the two pages of the App Manifest flow.
type manifestFlow struct {
	opts     setupOptions
	state    string
	manifest appManifest
	api      string
	done     chan setupResult
}

type setupResult struct {
	steps nextSteps
	err   error
}

// nextSteps is what setup prints once the App exists.
type nextSteps struct {
	Name, HTMLURL string
	ID            int64
	Out           string // the --out file
	Source        string // the --out file as the shell's "." reads it
	SecretName    string
	Namespace     string
	IngressHost   string // the webhook URL's host
	InstallURL    string
}

// The Helm chart reads the App from this Secret by default
// (github.existingSecret), with the keys app-id, private-key and
// webhook-secret; the install guide puts it in this namespace.
const (
	chartSecret    = "imagebot-github"
	chartNamespace = "imagebot"
)

// sourcePath is path as the shell's "." command reads it: a bare file
// name would be looked up in $PATH.
func sourcePath(path string) string {
	if strings.Contains(path, "/") {
		return path
	}
	return "./" + path
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
func (f *manifestFlow) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", f.form)
	mux.HandleFunc("GET /callback", f.callback)
	return mux
}

// form serves the page whose button posts the manifest to GitHub.
func (f *manifestFlow) form(w http.ResponseWriter, r *http.Request) {
	manifest, err := json.Marshal(f.manifest)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	action := f.opts.githubURL + "/settings/apps/new"
	if f.opts.org != "" {
		action = f.opts.githubURL + "/organizations/" + url.PathEscape(f.opts.org) + "/settings/apps/new"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	setupPageTemplate.Execute(w, map[string]any{
		"Action": action + "?state=" + url.QueryEscape(f.state), "Manifest": string(manifest),
		"Org": f.opts.org, "GitHub": f.opts.githubURL, "Name": f.manifest.Name, "Permissions": f.manifest.permissionList(),
	})
}

// callback exchanges GitHub's code for the App's credentials, once.
func (f *manifestFlow) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.state)) != 1 {
		http.Error(w, "this callback does not belong to this setup (its state does not match); start again from setup's page", http.StatusBadRequest)
		return
	}
	code := q.Get("code")
	if !codePattern.MatchString(code) {
		http.Error(w, "GitHub's code is missing or malformed", http.StatusBadRequest)
		return
	}
	steps, err := f.convert(r.Context(), code)
	if err != nil {
		http.Error(w, "imagebot could not fetch the App's credentials from GitHub: "+err.Error(), http.StatusBadGateway)
		f.finish(setupResult{err: fmt.Errorf("GitHub created the App, but imagebot could not get or save its credentials: %w; delete the App on GitHub (its settings page, Advanced) and run setup again", err)})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "The GitHub App %s is registered, and its credentials are in %s. The next steps are in your terminal; you can close this page.\n", steps.Name, f.opts.out)
	f.finish(setupResult{steps: steps})
}

func (f *manifestFlow) finish(r setupResult) {
	select {
	case f.done <- r:
	default: // a second callback after the first was handled
	}
}

// convert calls POST /app-manifests/{code}/conversions and writes the
// credentials to the --out file.
func (f *manifestFlow) convert(ctx context.Context, code string) (nextSteps, error) {
	base, err := url.Parse(f.api)
	if err != nil {
		return nextSteps{}, fmt.Errorf("%s %q: %w", settings.EnvAPIURL, f.api, err)
	}
	client := github.NewClient(nil)
	client.BaseURL, client.UserAgent = base, "imagebot-setup"
	cfg, _, err := client.Apps.CompleteAppManifest(ctx, code)
	if err != nil {
		return nextSteps{}, err
	}
	if cfg.GetID() == 0 || cfg.GetPEM() == "" || cfg.GetWebhookSecret() == "" {
		return nextSteps{}, errors.New("GitHub's answer lacks the App's id, private key or webhook secret")
	}
	if err := writeAppEnv(f.opts.out, cfg); err != nil {
		return nextSteps{}, err
	}
	hook, _ := url.Parse(f.opts.webhookURL) // parsed when the flags were read
	return nextSteps{
		Name: cfg.GetName(), HTMLURL: cfg.GetHTMLURL(), ID: cfg.GetID(),
		Out: f.opts.out, Source: shellQuote(sourcePath(f.opts.out)),
		SecretName: chartSecret, Namespace: chartNamespace, IngressHost: hook.Hostname(),
		InstallURL: cfg.GetHTMLURL() + "/installations/new",
	}, nil
}
