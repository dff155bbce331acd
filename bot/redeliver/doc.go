// Package redeliver recovers the webhook deliveries imagebot missed. GitHub
// never redelivers a failed delivery by itself: when imagebot was down, slow,
// or answered 503 because its job queue was full, the event is lost unless
// someone asks for it again. A periodic sweep (one replica runs it, see
// queue.PeriodicJob) lists the App's failed deliveries of the last three
// days, the window in which GitHub accepts a redelivery, and asks GitHub to
// deliver again each one whose X-GitHub-Delivery id imagebot never recorded,
// once.
//
// It depends on go-github (through githubapp's App client, which signs its
// JWTs with ghinstallation), the store's records and River; it holds no
// state of its own.
package redeliver
