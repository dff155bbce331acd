package store

import "testing"

func TestRowsFor(t *testing.T) {
	t.Parallel()
	tests := []struct{ n, want int }{
		{1, 1}, {7, 7}, {16, 16}, {17, 32}, {32, 32}, {33, 48}, {255, 256}, {256, 256},
	}
	for _, tt := range tests {
		if got := rowsFor(tt.n); got != tt.want {
			t.Errorf("rowsFor(%d) = %d, want %d", tt.n, got, tt.want)
		}
		if _, ok := sqliteInserts[rowsFor(tt.n)]; !ok {
			t.Errorf("no statement for %d rows", tt.n)
		}
	}
	if len(sqliteInserts) != 31 {
		t.Errorf("%d statements, want 31", len(sqliteInserts))
	}
}
