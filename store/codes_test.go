package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestRegionCodesWriteBack: a record's region is stored as a number of
// region_codes (migration 0021). Written by the server (saveIndex) or by the
// view's trigger (a test or a tool), each record reads back its own region
// through record_index, codes that differ only in case kept apart.
func TestRegionCodesWriteBack(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := map[string]string{"r1": "KZ-KAR", "r2": "KZ-ALA", "r3": "kz-kar", "r4": "", "s1": "KZ-AKM", "s2": "KZ-KAR", "s3": "KZ-ALA"}
	err = db.Write(ctx, func(tx *Tx) error {
		for i, id := range []string{"r1", "r2", "r3", "r4"} {
			if _, err := tx.Exec(`INSERT INTO record_index (type, id, seq, region) VALUES ('location', ?, ?, ?)`, id, -1-i, want[id]); err != nil {
				return err
			}
		}
		for i, id := range []string{"s1", "s2", "s3"} {
			if err := tx.saveIndex(&Record{Type: "location", ID: id, Seq: int64(-10 - i), Region: want[id]}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Read(ctx, func(tx *Tx) error {
		for id, region := range want {
			var got string
			if err := tx.QueryRow("SELECT region FROM record_index WHERE type = 'location' AND id = ?", id).Scan(&got); err != nil {
				t.Errorf("%s: %v", id, err)
				continue
			}
			if got != region {
				t.Errorf("record %s reads region %q; want %q", id, got, region)
			}
		}
		var codes int
		if err := tx.QueryRow("SELECT count(*) FROM region_codes").Scan(&codes); err != nil {
			return err
		}
		if codes != 5 {
			t.Errorf("%d region codes stored; want 5, each once", codes)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
