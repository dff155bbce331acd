// Package hubapi reads what imagebot needs from a JupyterHub's REST API:
// the hub's version (GET /hub/api/, which needs no token), for the
// hub-compatible check, and the outcomes of its spawns (GET /hub/metrics,
// Prometheus text format, with a token that has the scope read:metrics), for
// the rollout's healthy stage.
//
// Hub addresses and tokens come only from the operator's configuration, which
// is the caller's business. A token travels in the Authorization header only:
// it never appears in an error, and this package logs nothing.
//
// It depends on the standard library and prometheus/common's text parser
// only; it knows nothing of GitHub, rollouts or the operator's file.
package hubapi
