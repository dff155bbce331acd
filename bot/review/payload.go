package review

import "encoding/json"

// payload is what the review reads of pull_request, check_suite and
// check_run deliveries. Decoding into it skips every other field without
// keeping it, so a payload with a huge labels array or body costs no more
// than its bytes (go-github's full event types would hold all of it).
type payload struct {
	Action  string `json:"action"`
	Changes *struct {
		Base json.RawMessage `json:"base"`
	} `json:"changes"`
	Installation struct {
		ID int64 `json:"id"`
	} `json:"installation"`
	Repository struct {
		Name  string `json:"name"`
		Owner struct {
			Login string `json:"login"`
		} `json:"owner"`
	} `json:"repository"`
	PullRequest *pullRef `json:"pull_request"`
	CheckSuite  *suite   `json:"check_suite"`
	CheckRun    *suite   `json:"check_run"`
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
