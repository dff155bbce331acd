// Package store keeps imagebot's state in SQL: webhook deliveries seen,
// installations and their repositories, the latest head of each pull request,
// caches of git blobs and trees, and the Check Runs and sticky comments that
// imagebot created on GitHub.
//
// The same code serves SQLite (one file, the default) and PostgreSQL (shared
// by replicas): queries use $1 placeholders and INSERT … ON CONFLICT, which
// both accept, and only the DDL differs where the types do.
//
// The store reads no clock and no environment: callers pass times in, and
// times are kept as unix milliseconds. It must not depend on GitHub types,
// HTTP, the job queue or the checks engine; it stores what the App hands it.
package store
