// Command webhookload sends the webhook traffic that the memory benchmarks
// of `imagebot serve` need (see scripts/bench-webhook-memory.sh):
//
//   - flood: -n concurrent unsigned bodies of -size bytes each, streamed
//     (never held here), while one signed ordinary pull_request delivery is
//     timed;
//   - labels: -n signed pull_request deliveries of about -size bytes each,
//     the real example payload with its labels array grown to fill them.
//
// It prints what the server answered, one line per status, and the signed
// delivery's latency. It is a benchmark tool, not part of imagebot.
package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080/api/github/webhooks", "the webhook endpoint")
	mode := flag.String("mode", "flood", "flood or labels")
	n := flag.Int("n", 200, "how many deliveries at once")
	size := flag.Int("size", 25<<20, "bytes per large delivery")
	secret := flag.String("secret", "", "the webhook secret")
	examples := flag.String("examples", ".cache/npm/octokit-webhooks-examples-7.6.1/api.github.com/index.json", "@octokit/webhooks-examples' index.json")
	flag.Parse()
	opened, err := pullRequestOpened(*examples)
	if err != nil {
		fmt.Fprintln(os.Stderr, "webhookload:", err)
		os.Exit(1)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *n}, Timeout: 5 * time.Minute}
	counts := map[string]int{}
	var mu sync.Mutex
	count := func(what string) {
		mu.Lock()
		counts[what]++
		mu.Unlock()
	}
	var wg sync.WaitGroup
	start := time.Now()
	for i := range *n {
		wg.Go(func() {
			var req *http.Request
			switch *mode {
			case "flood":
				req, _ = http.NewRequest(http.MethodPost, *url, io.LimitReader(filler{}, int64(*size)))
				req.ContentLength = int64(*size)
				req.Header.Set("X-Hub-Signature-256", "sha256="+strings.Repeat("0", 64))
			case "labels":
				body := withLabels(opened, *size, i)
				req, _ = http.NewRequest(http.MethodPost, *url, bytes.NewReader(body))
				req.Header.Set("X-Hub-Signature-256", sign(*secret, body))
			default:
				fmt.Fprintln(os.Stderr, "webhookload: -mode is flood or labels")
				os.Exit(2)
			}
			req.Header.Set("X-GitHub-Event", "pull_request")
			req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("load-%d-%d", start.UnixNano(), i))
			resp, err := client.Do(req)
			if err != nil {
				count("connection closed while sending")
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			count(resp.Status)
		})
	}
	signedStatus, signedLatency := "", time.Duration(0)
	if *mode == "flood" {
		time.Sleep(200 * time.Millisecond) // the flood is under way
		body := bytes.Replace(opened, []byte(`"sha":"`), []byte(fmt.Sprintf(`"sha":"%d`, start.UnixNano())), 1)
		req, _ := http.NewRequest(http.MethodPost, *url, bytes.NewReader(body))
		req.Header.Set("X-GitHub-Event", "pull_request")
		req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("signed-%d", start.UnixNano()))
		req.Header.Set("X-Hub-Signature-256", sign(*secret, body))
		t0 := time.Now()
		resp, err := client.Do(req)
		signedLatency = time.Since(t0)
		if err != nil {
			signedStatus = err.Error()
		} else {
			resp.Body.Close()
			signedStatus = resp.Status
		}
	}
	wg.Wait()
	var lines []string
	for k, v := range counts {
		lines = append(lines, fmt.Sprintf("%5d  %s", v, k))
	}
	sort.Strings(lines)
	fmt.Printf("%d %s deliveries of %d MiB in %s:\n%s\n", *n, *mode, *size>>20, time.Since(start).Round(time.Millisecond), strings.Join(lines, "\n"))
	if signedStatus != "" {
		fmt.Printf("signed ordinary delivery during the flood: %s in %s\n", signedStatus, signedLatency.Round(time.Millisecond))
	}
}

// pullRequestOpened returns the real pull_request.opened example that has an
// installation.
func pullRequestOpened(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the webhook examples (run scripts/fetch-npm-fixtures.sh): %w", err)
	}
	var events []struct {
		Name     string            `json:"name"`
		Examples []json.RawMessage `json:"examples"`
	}
	if err := json.Unmarshal(data, &events); err != nil {
		return nil, err
	}
	for _, e := range events {
		if e.Name != "pull_request" {
			continue
		}
		for _, raw := range e.Examples {
			var head struct {
				Action       string          `json:"action"`
				Installation json.RawMessage `json:"installation"`
			}
			if json.Unmarshal(raw, &head) == nil && head.Action == "opened" && len(head.Installation) > 0 {
				var compact bytes.Buffer
				json.Compact(&compact, raw)
				return compact.Bytes(), nil
			}
		}
	}
	return nil, fmt.Errorf("%s has no pull_request.opened example with an installation", path)
}

// withLabels grows the pull request's labels array until the payload is
// about size bytes, and gives it head SHA number i.
func withLabels(opened []byte, size, i int) []byte {
	var doc map[string]any
	json.Unmarshal(opened, &doc)
	pr := doc["pull_request"].(map[string]any)
	pr["head"].(map[string]any)["sha"] = fmt.Sprintf("%040d", i)
	label := map[string]any{"id": 208045946, "node_id": "MDU6TGFiZWwyMDgwNDU5NDY=", "url": "https://api.github.com/repos/Codertocat/Hello-World/labels/bug",
		"name": "bug", "description": "Something isn't working", "color": "d73a4a", "default": true}
	one, _ := json.Marshal(label)
	labels := make([]any, 0, size/len(one))
	for range size / (len(one) + 1) {
		labels = append(labels, label)
	}
	pr["labels"] = labels
	out, _ := json.Marshal(doc)
	return out
}

func sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// filler reads as an endless run of the letter a.
type filler struct{}

var letters = bytes.Repeat([]byte("a"), 32<<10)

func (filler) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], letters)
	}
	return n, nil
}
