package main

import "testing"

func TestServeProcs(t *testing.T) {
	tests := []struct {
		name        string
		gomaxprocs  string
		databaseURL string
		want        int
		wantOK      bool
	}{
		{"SQLite file: one spare", "", "imagebot.db", 3, true},
		{"sqlite: URL: one spare", "", "sqlite:/data/imagebot.db", 3, true},
		{"PostgreSQL: as the runtime chose", "", "postgres://imagebot@db/imagebot", 2, false},
		{"libpq string: as the runtime chose", "", "host=db dbname=imagebot", 2, false},
		{"GOMAXPROCS set: it wins", "4", "imagebot.db", 2, false},
		{"unparsable URL: as the runtime chose", "", "mysql://db/imagebot", 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok := serveProcs(tt.gomaxprocs, tt.databaseURL, 2)
			if n != tt.want || ok != tt.wantOK {
				t.Errorf("serveProcs(%q, %q, 2) = %d, %v; want %d, %v", tt.gomaxprocs, tt.databaseURL, n, ok, tt.want, tt.wantOK)
			}
		})
	}
}
