package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestTrees(t *testing.T) {
	t.Parallel()
	listing := []store.TreeEntry{
		{Path: "environment.yml", SHA: "e1", Size: 120},
		{Path: "conda-lock.yml", SHA: "c1", Size: 1 << 33},
		{Path: ".github/workflows/build.yaml", SHA: "w1", Size: 0},
		{Path: "locks/conda-lock.yml", SHA: "l1", Size: 14, Link: true},
	}
	tests := []struct {
		name        string
		puts        [][]store.TreeEntry // put in order under the SHA "t1"
		wantEntries []store.TreeEntry
		wantOK      bool
	}{
		{name: "not cached"},
		{name: "listing in the order put", puts: [][]store.TreeEntry{listing}, wantEntries: listing, wantOK: true},
		{name: "empty", puts: [][]store.TreeEntry{{}}, wantEntries: []store.TreeEntry{}, wantOK: true},
		{name: "nil is stored as empty", puts: [][]store.TreeEntry{nil}, wantEntries: []store.TreeEntry{}, wantOK: true},
		{name: "listing is immutable per SHA", puts: [][]store.TreeEntry{listing, listing[:1]}, wantEntries: listing, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				ctx := context.Background()
				if err := st.PutTree(ctx, "other", listing[2:]); err != nil {
					t.Fatal(err)
				}
				for _, entries := range tt.puts {
					if err := st.PutTree(ctx, "t1", entries); err != nil {
						t.Fatalf("PutTree: %v", err)
					}
				}
				entries, ok, err := st.Tree(ctx, "t1")
				if err != nil {
					t.Fatalf("Tree: %v", err)
				}
				if ok != tt.wantOK || !reflect.DeepEqual(entries, tt.wantEntries) {
					t.Errorf("Tree = (%#v, %v), want (%#v, %v)", entries, ok, tt.wantEntries, tt.wantOK)
				}
			})
		})
	}
}
