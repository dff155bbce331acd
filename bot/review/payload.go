package review

// suites is what the review reads of check_suite and check_run deliveries
// beyond their webhook.Fields. Decoding into it skips every other field
// without keeping it, so a payload with a huge array costs no more than
// its bytes (go-github's full event types would hold all of it).
type suites struct {
	CheckSuite *suite `json:"check_suite"`
	CheckRun   *suite `json:"check_run"`
}

// pullRef is a pull request as far as a check needs it.
type pullRef struct {
	Number int  `json:"number"`
	Draft  bool `json:"draft"`
	Head   struct {
		SHA string `json:"sha"`
	} `json:"head"`
	Base struct {
		SHA string `json:"sha"`
	} `json:"base"`
}

// suite is a check suite or check run: its head and its pull requests.
type suite struct {
	HeadSHA      string    `json:"head_sha"`
	PullRequests []pullRef `json:"pull_requests"`
}
