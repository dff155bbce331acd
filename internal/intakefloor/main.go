// Command intakefloor is the floor of the intake benchmark
// (scripts/bench-intake.sh): an HTTP server that reads each webhook body,
// checks its HMAC-SHA256 signature and answers 202, doing nothing else. No
// receiver that verifies deliveries can be faster on the same machine. It
// is a benchmark tool, not part of imagebot.
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"io"
	"log"
	"net/http"
	"strings"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:18091", "address to listen on")
	secret := flag.String("secret", "", "the webhook secret")
	flag.Parse()
	http.HandleFunc("POST /api/github/webhooks", func(w http.ResponseWriter, r *http.Request) {
		mac := hmac.New(sha256.New, []byte(*secret))
		if _, err := io.Copy(mac, io.LimitReader(r.Body, 25<<20)); err != nil {
			http.Error(w, "cannot read the body", http.StatusBadRequest)
			return
		}
		got, err := hex.DecodeString(strings.TrimPrefix(r.Header.Get("X-Hub-Signature-256"), "sha256="))
		if err != nil || !hmac.Equal(got, mac.Sum(nil)) {
			http.Error(w, "signature missing or wrong", http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, "accepted\n")
	})
	http.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ready\n") })
	log.Fatal(http.ListenAndServe(*listen, nil))
}
