package hubapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Limits on what one request reads: a version answer is a few bytes, and a
// hub's metrics page a few tens of kilobytes.
const (
	maxVersionBody = 64 << 10
	maxMetricsBody = 16 << 20
	requestTimeout = 20 * time.Second
)

// Client reads hubs' REST APIs. The zero Client uses http.DefaultClient.
type Client struct {
	// HTTP carries every request; http.DefaultClient when nil.
	HTTP *http.Client
}

// get reads base+path, sending token when it is not "". The body is cut at
// limit bytes. Any answer but 200 is an error that says what the hub
// answered, without the token.
func (c *Client) get(ctx context.Context, base, path, token string, limit int64) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	url := base + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("the hub's address %q is not a URL", base)
	}
	req.Header.Set("User-Agent", "imagebot")
	if token != "" {
		req.Header.Set("Authorization", "token "+token)
	}
	client := c.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("the hub at %s did not answer: %w", base, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", url, err)
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		return body, nil
	case (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) && token != "":
		return nil, fmt.Errorf("the hub at %s refused imagebot's token for %s (HTTP %d): the token needs the scope read:metrics", base, path, resp.StatusCode)
	}
	return nil, fmt.Errorf("the hub at %s answered HTTP %d %s for %s", base, resp.StatusCode, http.StatusText(resp.StatusCode), path)
}
