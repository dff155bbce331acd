package store_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestBlobs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		puts     [][]byte // put in order under the SHA "b1"
		wantData []byte
		wantOK   bool
	}{
		{name: "not cached"},
		{name: "text", puts: [][]byte{[]byte("name: base\n")}, wantData: []byte("name: base\n"), wantOK: true},
		{name: "binary, not UTF-8", puts: [][]byte{{0x00, 0xff, 0xfe, 0x00}}, wantData: []byte{0x00, 0xff, 0xfe, 0x00}, wantOK: true},
		{name: "empty", puts: [][]byte{{}}, wantData: []byte{}, wantOK: true},
		{name: "nil is stored as empty", puts: [][]byte{nil}, wantData: []byte{}, wantOK: true},
		{name: "content is immutable per SHA", puts: [][]byte{[]byte("first"), []byte("second")}, wantData: []byte("first"), wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				ctx := context.Background()
				if err := st.PutBlob(ctx, "other", []byte("not this one")); err != nil {
					t.Fatal(err)
				}
				for _, data := range tt.puts {
					if err := st.PutBlob(ctx, "b1", data); err != nil {
						t.Fatalf("PutBlob: %v", err)
					}
				}
				data, ok, err := st.Blob(ctx, "b1")
				if err != nil {
					t.Fatalf("Blob: %v", err)
				}
				if ok != tt.wantOK || !bytes.Equal(data, tt.wantData) || (data == nil) != (tt.wantData == nil) {
					t.Errorf("Blob = (%#v, %v), want (%#v, %v)", data, ok, tt.wantData, tt.wantOK)
				}
			})
		})
	}
}
