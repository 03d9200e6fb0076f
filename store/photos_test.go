package store_test

import (
	"context"
	"strings"
	"testing"

	"inspecta/store"
)

// Bytes stored for one photo belong to another photo with the same SHA-256
// only through that photo's own upload: the other stays waiting, has no
// file, is not offered for reuse, and the file goes with the last photo of
// those bytes even when that one never arrived.
func TestPhotoBytesBelongToTheirOwnUpload(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	sha := "ab" + "00000000000000000000000000000000000000000000000000000000000000"[:62]
	blob := &store.StoredBlob{SHA256: sha, StoredSHA256: "cd" + sha[2:], ContentType: "image/jpeg", Bytes: 900, Width: 30, Height: 20}
	photo := func(tx *store.Tx, id string) *store.Photo {
		t.Helper()
		p, err := tx.Photo(id)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	err := db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(`INSERT INTO facilities (id, name, region) VALUES ('f1', 'F', 'KZ-KAR')`); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO visits (id, facility_id) VALUES ('v1', 'f1')`); err != nil {
			return err
		}
		for _, id := range []string{"note-photo", "copy"} {
			if err := tx.InsertPhoto(&store.Photo{ID: id, VisitID: "v1", Region: "KZ-KAR", SHA256: sha, Bytes: 1000, AuthorID: "u-" + id}, false); err != nil {
				return err
			}
		}
		return tx.AddBlob(blob, "note-photo")
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		if p := photo(tx, "note-photo"); p.ReceivedAt == "" || p.StoredSHA256 != blob.StoredSHA256 {
			t.Errorf("the uploading photo: received %q, file %q; want received, with the file", p.ReceivedAt, p.StoredSHA256)
		}
		if p := photo(tx, "copy"); p.ReceivedAt != "" || p.StoredSHA256 != "" || p.ContentType != "" {
			t.Errorf("the other photo of the same hash: received %q, file %q; want waiting, no file", p.ReceivedAt, p.StoredSHA256)
		}
		same, err := tx.ReceivedPhotosWithBytes(sha)
		if err != nil {
			return err
		}
		if len(same) != 1 || same[0].ID != "note-photo" {
			t.Errorf("photos offered for reuse = %v; want the received one only", same)
		}
		if file, err := tx.DeletePhoto("note-photo", "u-note-photo"); err != nil || file != "" {
			t.Errorf("delete while another photo of the bytes is live = %q %v; want the file kept", file, err)
		}
		file, err := tx.DeletePhoto("copy", "u-copy")
		if err != nil || file != blob.StoredSHA256 {
			t.Errorf("delete of the last photo of the bytes (still waiting) = %q %v; want the file %s removed", file, err, blob.StoredSHA256)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The sweep of uploads under way removes the orphans (an upload named by
// the SHA-256 of its bytes by an earlier version, of an unknown photo, of a
// deleted or received photo, of a deleted visit's photo) and never the
// upload of a photo still waiting for its bytes, which its device resumes.
func TestSweepUploadsRemovesOrphansOnly(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	sha := strings.Repeat("ab", 32)
	err := db.Write(ctx, func(tx *store.Tx) error {
		for _, q := range []string{
			`INSERT INTO facilities (id, name, region) VALUES ('f1', 'F', 'KZ-KAR')`,
			`INSERT INTO visits (id, facility_id) VALUES ('v1', 'f1')`,
			`INSERT INTO visits (id, facility_id, deleted) VALUES ('v-gone', 'f1', 1)`,
		} {
			if _, err := tx.Exec(q); err != nil {
				return err
			}
		}
		for _, p := range []struct{ id, visit string }{{"waiting", "v1"}, {"deleted", "v1"}, {"received", "v1"}, {"of-deleted-visit", "v-gone"}} {
			if err := tx.InsertPhoto(&store.Photo{ID: p.id, VisitID: p.visit, Region: "KZ-KAR", SHA256: sha, Bytes: 1000, AuthorID: "u1"}, p.id == "received"); err != nil {
				return err
			}
		}
		_, err := tx.DeletePhoto("deleted", "u1")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	blobs := db.Blobs()
	keys := []string{"waiting", "deleted", "received", "of-deleted-visit", "unknown", sha}
	for _, key := range keys {
		if _, err := blobs.Append(key, 0, strings.NewReader("\xff\xd8\xffpart"), 100); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := db.SweepUploads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range keys {
		want := int64(0)
		if key == "waiting" {
			want = 7
		}
		if got := blobs.Received(key); got != want {
			t.Errorf("after the sweep, upload %q has %d bytes; want %d", key, got, want)
		}
	}
	if removed != len(keys)-1 {
		t.Errorf("SweepUploads removed %d; want %d", removed, len(keys)-1)
	}
	// The upload that was kept goes on where it was.
	if n, err := blobs.Append("waiting", 7, strings.NewReader("more"), 100); err != nil || n != 11 {
		t.Errorf("resume after the sweep = %d, %v; want 11", n, err)
	}
}
