// Package hubprobe reads what a JupyterHub's Kubernetes namespace says about
// its single-user image, for the rollout's "configured" and "live" stages.
//
// A hub deployed with the Zero to JupyterHub chart shows both facts in pods:
// user servers (label component=singleuser-server) run the image in their
// "notebook" container, and the image pullers (the hook-image-puller and
// continuous-image-puller DaemonSets) name the configured single-user image in
// their "image-pull-singleuser" init container, whose status says which digest
// each node pulled. Observe takes one look at both; Tally and ConfiguredFor
// interpret that look for one image. Failures lists the user servers whose
// container fails, with its waiting reason or exit code, for the healthy
// stage.
//
// The probe only lists pods, only in the hub's namespace and only with the
// hub's label selectors, page by page: it never reads secrets, never lists
// across namespaces and never writes. It must not depend on GitHub types, the
// store, the job queue or the checks engine.
package hubprobe
