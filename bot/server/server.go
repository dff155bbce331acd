// Package server is the App's HTTP front: the webhook endpoint, health
// and readiness probes, metrics and the status page, routed with gorilla/mux, with
// timeouts that a slow or hostile client cannot stretch, and a graceful
// shutdown.
//
// It knows routes and timeouts only; what a webhook means is the
// webhook package's business.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/mux"
)

// WebhookPath is where GitHub delivers webhooks; point the App's webhook
// URL at https://<host>/api/github/webhooks.
const WebhookPath = "/api/github/webhooks"

// Config wires the routes.
type Config struct {
	Webhooks http.Handler
	// Ready reports whether the App can do its work (database reachable,
	// job queue running); /readyz answers 503 with its error otherwise.
	Ready   func(ctx context.Context) error
	Metrics http.Handler
	// Status is the read-only status page, GET /status; nil serves none.
	Status http.Handler
	Logger *slog.Logger
}

// Handler returns the App's routes.
func Handler(cfg Config) http.Handler {
	r := mux.NewRouter()
	r.Handle(WebhookPath, cfg.Webhooks).Methods(http.MethodPost)
	r.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("ok\n"))
	}).Methods(http.MethodGet)
	r.HandleFunc("/readyz", func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := context.WithTimeout(req.Context(), 2*time.Second)
		defer cancel()
		if err := cfg.Ready(ctx); err != nil {
			cfg.Logger.Warn("not ready", "err", err)
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	}).Methods(http.MethodGet)
	if cfg.Status != nil {
		r.Handle("/status", cfg.Status).Methods(http.MethodGet)
	}
	if cfg.Metrics != nil {
		r.Handle("/metrics", cfg.Metrics).Methods(http.MethodGet)
	}
	return r
}

// Serve answers on ln until ctx is done, then stops accepting requests
// and waits up to grace for those in flight.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
