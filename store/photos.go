package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Photo is a photo's record: what it is attached to and where its bytes are.
type Photo struct {
	ID         string `json:"id"`
	VisitID    string `json:"visit_id"`
	Region     string `json:"-"`
	LocationID string `json:"location_id"`
	Item       string `json:"item"`
	NoteID     string `json:"note_id,omitempty"`
	Caption    string `json:"caption"`
	TakenAt    string `json:"taken_at"`
	SHA256     string `json:"sha256"`
	Bytes      int64  `json:"bytes"`
	AuthorID   string `json:"author_id"`
	DeviceID   string `json:"-"`
	CreatedAt  string `json:"created_at"`
	ReceivedAt string `json:"received_at,omitempty"`
	MayPublish bool   `json:"may_publish"`
	ClearedBy  string `json:"cleared_by,omitempty"`
	ClearedAt  string `json:"cleared_at,omitempty"`
	DeletedAt  string `json:"deleted_at,omitempty"`
	// From the blob, once received.
	ContentType  string `json:"content_type,omitempty"`
	Width        int    `json:"width,omitempty"`
	Height       int    `json:"height,omitempty"`
	StoredSHA256 string `json:"-"`
}

const photoColumns = `p.id, p.visit_id, p.region, p.location_id, p.item, p.note_id, p.caption, p.taken_at, p.sha256, p.bytes,
	p.author_id, p.device_id, p.created_at, p.received_at, p.may_publish, p.cleared_by, p.cleared_at, p.deleted_at,
	COALESCE(b.content_type, ''), COALESCE(b.width, 0), COALESCE(b.height, 0), COALESCE(b.stored_sha256, '')`

// photoFrom joins a photo to its stored file once its own bytes arrived
// (received_at): a photo still waiting for its upload has no file, even
// when the same bytes are stored for another photo.
const photoFrom = ` FROM photos p LEFT JOIN photo_blobs b ON b.sha256 = p.sha256 AND p.received_at != ''`

func scanPhoto(row interface{ Scan(...any) error }) (*Photo, error) {
	var p Photo
	err := row.Scan(&p.ID, &p.VisitID, &p.Region, &p.LocationID, &p.Item, &p.NoteID, &p.Caption, &p.TakenAt, &p.SHA256,
		&p.Bytes, &p.AuthorID, &p.DeviceID, &p.CreatedAt, &p.ReceivedAt, &p.MayPublish, &p.ClearedBy, &p.ClearedAt,
		&p.DeletedAt, &p.ContentType, &p.Width, &p.Height, &p.StoredSHA256)
	return &p, err
}

// Photo returns the photo with id (a deleted one too: see DeletedAt).
func (tx *Tx) Photo(id string) (*Photo, error) {
	p, err := scanPhoto(tx.QueryRow("SELECT "+photoColumns+photoFrom+" WHERE p.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("photo %s: %w", id, err)
	}
	return p, nil
}

// VisitPhotos lists the live photos of a visit, by place and time taken.
func (tx *Tx) VisitPhotos(visitID string) ([]*Photo, error) {
	return tx.photos("SELECT "+photoColumns+photoFrom+
		" WHERE p.visit_id = ? AND p.deleted_at = '' ORDER BY p.location_id, p.taken_at, p.id", visitID)
}

func (tx *Tx) photos(q string, args ...any) ([]*Photo, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("photos: %w", err)
	}
	defer rows.Close()
	var out []*Photo
	for rows.Next() {
		p, err := scanPhoto(rows)
		if err != nil {
			return nil, fmt.Errorf("photos: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// VisitPhotoBytes is the declared size of every live photo of a visit.
func (tx *Tx) VisitPhotoBytes(visitID string) (int64, error) {
	var n int64
	err := tx.QueryRow("SELECT COALESCE(SUM(bytes), 0) FROM photos WHERE visit_id = ? AND deleted_at = ''", visitID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("photo bytes of visit: %w", err)
	}
	return n, nil
}

// InsertPhoto records a new photo, its bytes already received when
// received is true (the server has them and the announcer may see a photo
// with them: see ReceivedPhotosWithBytes), else waiting for its upload.
func (tx *Tx) InsertPhoto(p *Photo, received bool) error {
	receivedAt := ""
	if received {
		receivedAt = tx.NowText()
	}
	_, err := tx.Exec(`INSERT INTO photos (id, visit_id, region, location_id, item, note_id, caption, taken_at, sha256, bytes,
		author_id, device_id, created_at, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.VisitID, p.Region, p.LocationID, p.Item, p.NoteID, p.Caption, p.TakenAt, p.SHA256, p.Bytes,
		p.AuthorID, p.DeviceID, tx.NowText(), receivedAt)
	if err != nil {
		return fmt.Errorf("insert photo: %w", err)
	}
	return nil
}

// ReceivedPhotosWithBytes lists the live photos whose bytes (with this
// SHA-256) arrived: whoever may see one of them may have another photo
// recorded with the same bytes without sending them.
func (tx *Tx) ReceivedPhotosWithBytes(sha string) ([]*Photo, error) {
	return tx.photos("SELECT "+photoColumns+photoFrom+
		" WHERE p.sha256 = ? AND p.deleted_at = '' AND p.received_at != '' AND b.sha256 IS NOT NULL ORDER BY p.id", sha)
}

// HasBlob reports whether the bytes with this SHA-256 are stored.
func (tx *Tx) HasBlob(sha string) (bool, error) {
	var n int
	if err := tx.QueryRow("SELECT count(*) FROM photo_blobs WHERE sha256 = ?", sha).Scan(&n); err != nil {
		return false, fmt.Errorf("photo blob: %w", err)
	}
	return n > 0, nil
}

// AddBlob records a stored blob (kept once: the same bytes may arrive again
// for another photo) and marks the photo whose upload brought it received.
// Other photos waiting for the same bytes stay waiting for their own upload.
func (tx *Tx) AddBlob(b *StoredBlob, photoID string) error {
	if _, err := tx.Exec(`INSERT INTO photo_blobs (sha256, stored_sha256, content_type, bytes, width, height, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`,
		b.SHA256, b.StoredSHA256, b.ContentType, b.Bytes, b.Width, b.Height, tx.NowText()); err != nil {
		return fmt.Errorf("record photo blob: %w", err)
	}
	if _, err := tx.Exec("UPDATE photos SET received_at = ? WHERE id = ? AND sha256 = ? AND received_at = ''",
		tx.NowText(), photoID, b.SHA256); err != nil {
		return fmt.Errorf("mark photo received: %w", err)
	}
	return nil
}

// DeletePhoto leaves a tombstone of the photo and forgets its blob when no
// other live photo has the same bytes; it returns the stored file to
// remove ("" when it is still used or was never received).
func (tx *Tx) DeletePhoto(id, by string) (string, error) {
	p, err := tx.Photo(id)
	if err != nil {
		return "", err
	}
	if p.DeletedAt != "" {
		return "", nil
	}
	if _, err := tx.Exec("UPDATE photos SET deleted_at = ?, deleted_by = ?, may_publish = 0 WHERE id = ?", tx.NowText(), by, id); err != nil {
		return "", fmt.Errorf("delete photo: %w", err)
	}
	var others int
	if err := tx.QueryRow("SELECT count(*) FROM photos WHERE sha256 = ? AND deleted_at = ''", p.SHA256).Scan(&others); err != nil {
		return "", fmt.Errorf("delete photo: %w", err)
	}
	if others > 0 {
		return "", nil
	}
	// The file of the bytes, whether or not this photo's own upload ended
	// (a photo still waiting may be the last one with bytes stored for a
	// photo deleted before it).
	var file string
	err = tx.QueryRow("SELECT stored_sha256 FROM photo_blobs WHERE sha256 = ?", p.SHA256).Scan(&file)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("delete photo blob: %w", err)
	}
	if _, err := tx.Exec("DELETE FROM photo_blobs WHERE sha256 = ?", p.SHA256); err != nil {
		return "", fmt.Errorf("delete photo blob: %w", err)
	}
	var sameFile int
	if err := tx.QueryRow("SELECT count(*) FROM photo_blobs WHERE stored_sha256 = ?", file).Scan(&sameFile); err != nil {
		return "", fmt.Errorf("delete photo blob: %w", err)
	}
	if sameFile > 0 {
		return "", nil
	}
	return file, nil
}

// ClearPhoto records a coordinator's decision whether the photo may be
// published (no person identifiable on it).
func (tx *Tx) ClearPhoto(id string, mayPublish bool, by string) error {
	at, who := tx.NowText(), by
	if !mayPublish {
		at, who = "", ""
	}
	if _, err := tx.Exec("UPDATE photos SET may_publish = ?, cleared_by = ?, cleared_at = ? WHERE id = ? AND deleted_at = ''",
		mayPublish, who, at, id); err != nil {
		return fmt.Errorf("clear photo: %w", err)
	}
	_, err := tx.Exec("INSERT INTO audit_events (at, user_id, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
		tx.NowText(), by, "photo_publication", "photo/"+id, fmt.Sprintf("may_publish=%t", mayPublish))
	if err != nil {
		return fmt.Errorf("audit photo clearance: %w", err)
	}
	return nil
}

// StoredBlobs lists the files the photo records need (each once).
func (tx *Tx) StoredBlobs() ([]string, error) {
	rows, err := tx.Query("SELECT DISTINCT stored_sha256 FROM photo_blobs ORDER BY stored_sha256")
	if err != nil {
		return nil, fmt.Errorf("photo blobs: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("photo blobs: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// PhotoStorage is what the photos take, for administrators.
type PhotoStorage struct {
	Photos        int   `json:"photos"`         // live photos recorded
	Waiting       int   `json:"waiting"`        // of which the bytes have not all arrived
	StoredBytes   int64 `json:"stored_bytes"`   // files in blobs/
	PartialBytes  int64 `json:"partial_bytes"`  // uploads under way
	DatabaseBytes int64 `json:"database_bytes"` // the database file with its WAL
}

// PhotoCounts fills the photo counts of s.
func (tx *Tx) PhotoCounts(s *PhotoStorage) error {
	err := tx.QueryRow("SELECT count(*), COALESCE(SUM(received_at = ''), 0) FROM photos WHERE deleted_at = ''").Scan(&s.Photos, &s.Waiting)
	if err != nil {
		return fmt.Errorf("photo counts: %w", err)
	}
	return nil
}

// liveUploads returns which of keys name a photo whose upload may still go
// on: recorded, not deleted, its bytes not yet arrived, its visit not
// deleted. Any other upload under way on disk is an orphan.
func (tx *Tx) liveUploads(keys []string) (map[string]bool, error) {
	live := map[string]bool{}
	for _, key := range keys {
		var n int
		err := tx.QueryRow(`SELECT count(*) FROM photos p JOIN visits v ON v.id = p.visit_id
			WHERE p.id = ? AND p.deleted_at = '' AND p.received_at = '' AND v.deleted = 0`, key).Scan(&n)
		if err != nil {
			return nil, fmt.Errorf("live uploads: %w", err)
		}
		live[key] = n > 0
	}
	return live, nil
}

// SweepUploads removes the uploads under way that no photo can finish any
// more (orphans): those of a photo deleted, received, unknown, or of a
// deleted visit, and those named by the SHA-256 of their bytes by an
// earlier version. It returns how many it removed. The files are listed
// before the photos are read: a file exists only after its photo's record
// was committed, so an upload that a device is resuming is always read as
// live and is never removed. (A device whose upload was removed because its
// visit was deleted, then restored, sends the photo again from its start.)
func (db *DB) SweepUploads(ctx context.Context) (int, error) {
	keys, err := db.blobs.partialKeys()
	if err != nil || len(keys) == 0 {
		return 0, err
	}
	var live map[string]bool
	if err := db.Read(ctx, func(tx *Tx) error {
		live, err = tx.liveUploads(keys)
		return err
	}); err != nil {
		return 0, err
	}
	removed := 0
	for _, key := range keys {
		if live[key] {
			continue
		}
		if err := db.blobs.discardOrphan(key); err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}
