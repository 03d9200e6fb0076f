package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"inspecta/internal/exiffixture"
	"inspecta/schema"
	"inspecta/server"
	"inspecta/store"
)

func shaHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// announce posts a photo's record as who.
func (f *fixture) announce(who, id, location string, data []byte, extra map[string]any) (int, map[string]any) {
	body := map[string]any{"id": id, "visit_id": f.visit, "location_id": location, "caption": "Window of cell 12",
		"taken_at": "2026-11-26T10:00:00Z", "sha256": shaHex(data), "bytes": len(data)}
	for k, v := range extra {
		body[k] = v
	}
	return f.api("POST", "/api/v1/photos", who, body)
}

// chunk sends bytes of a photo as who at offset; cutAfter >= 0 makes the
// connection fail after that many bytes of the body (a cut link).
func (f *fixture) chunk(who, id string, offset int, data []byte, cutAfter int) (int, map[string]any, error) {
	var body io.Reader = bytes.NewReader(data)
	if cutAfter >= 0 {
		body = &cutReader{r: bytes.NewReader(data), left: cutAfter}
	}
	req, _ := http.NewRequest("PUT", f.hs.URL+"/api/v1/photos/"+id+"/content?offset="+strconv.Itoa(offset), body)
	req.ContentLength = int64(len(data))
	req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out := map[string]any{}
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, nil
}

type cutReader struct {
	r    io.Reader
	left int
}

func (c *cutReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errors.New("link cut")
	}
	if len(p) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= n
	return n, err
}

// upload sends a whole photo in the server's chunks and returns the last answer.
func (f *fixture) upload(who, id string, data []byte) (int, map[string]any) {
	f.t.Helper()
	off := 0
	for {
		end := min(off+store.PhotoChunkBytes, len(data))
		status, body, err := f.chunk(who, id, off, data[off:end], -1)
		if err != nil {
			f.t.Fatal(err)
		}
		if status != http.StatusOK || body["complete"] == true || end == len(data) {
			return status, body
		}
		off = int(body["received"].(float64))
	}
}

func (f *fixture) storedFile(id string) []byte {
	f.t.Helper()
	var p *store.Photo
	if err := f.db.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		p, err = tx.Photo(id)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	data, err := os.ReadFile(f.db.Blobs().Path(p.StoredSHA256))
	if err != nil {
		f.t.Fatalf("stored photo file: %v", err)
	}
	return data
}

// A photo cut off mid-transfer resumes where the server's bytes end, arrives
// once, is kept without its EXIF (GPS, serial), and the same bytes sent as
// another photo are not sent or stored again.
func TestPhotoResumesStripsAndDeduplicates(t *testing.T) {
	f := newFixture(t)
	data := exiffixture.JPEG(1200, 900, 85, 60, 1)
	if !bytes.Contains(data, []byte(exiffixture.Serial)) || !bytes.Contains(data, []byte("Exif")) {
		t.Fatal("the fixture carries no EXIF")
	}
	id := newUUID()
	status, body := f.announce("aida", id, f.cell, data, nil)
	if status != http.StatusOK || body["received"].(float64) != 0 || body["chunk_bytes"].(float64) != store.PhotoChunkBytes {
		t.Fatalf("announce = %d %v", status, body)
	}
	// The first chunk is cut at 60 % of the photo's bytes.
	cut := len(data) * 60 / 100
	first := data[:min(store.PhotoChunkBytes, len(data))]
	if _, _, err := f.chunk("aida", id, 0, first, cut); err == nil {
		t.Fatal("the cut chunk did not fail")
	}
	// The server notices the cut when its read fails: wait for it.
	got := 0
	for deadline := time.Now().Add(10 * time.Second); got == 0 && time.Now().Before(deadline); {
		_, body = f.announce("aida", id, f.cell, data, nil)
		got = int(body["received"].(float64))
	}
	if got == 0 || got > cut {
		t.Fatalf("after a cut at %d bytes the server has %d: the upload does not resume from where it was cut", cut, got)
	}
	// A chunk that does not start where the server's bytes end is refused with
	// the offset. (The cut request may still be writing what it had read: the
	// server's bytes may have grown since, never beyond the cut.)
	status, body, _ = f.chunk("aida", id, 0, data[:10], -1)
	if received := int(body["received"].(float64)); status != http.StatusConflict || received < got || received > cut {
		t.Fatalf("chunk at a wrong offset = %d %v; want 409 with received between %d and %d", status, body, got, cut)
	}
	off := int(body["received"].(float64))
	for off < len(data) {
		end := min(off+store.PhotoChunkBytes, len(data))
		var err error
		status, body, err = f.chunk("aida", id, off, data[off:end], -1)
		if status == http.StatusConflict && err == nil && int(body["received"].(float64)) > off && int(body["received"].(float64)) <= cut {
			off = int(body["received"].(float64)) // the cut request wrote more meanwhile: resume from there, as the app does
			continue
		}
		if err != nil || status != http.StatusOK {
			t.Fatalf("chunk at %d = %d %v %v", off, status, body, err)
		}
		off = int(body["received"].(float64))
	}
	if body["complete"] != true {
		t.Fatalf("last chunk = %v; want complete", body)
	}
	stored := f.storedFile(id)
	for _, leak := range []string{"Exif", exiffixture.Serial, "DemoPhone", "DP-18"} {
		if bytes.Contains(stored, []byte(leak)) {
			t.Errorf("the stored photo still carries %q", leak)
		}
	}
	if bytes.Contains(stored, []byte{0xFF, 0xE1}) && bytes.Index(stored, []byte{0xFF, 0xE1}) < 40 {
		t.Error("the stored photo has an APP1 (EXIF) segment")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(stored))
	if err != nil || cfg.Width != 1200 || cfg.Height != 900 {
		t.Fatalf("stored photo: %v %v", cfg, err)
	}
	// The same bytes as another photo: complete at once, one file.
	id2 := newUUID()
	status, body = f.announce("aida", id2, f.cell, data, nil)
	if status != http.StatusOK || body["complete"] != true {
		t.Fatalf("announce of bytes already stored = %d %v; want complete", status, body)
	}
	// Announcing again (a re-send) changes nothing.
	f.announce("aida", id, f.cell, data, nil)
	if n := f.count("SELECT count(*) FROM photo_blobs"); n != 1 {
		t.Errorf("%d blobs stored; want 1", n)
	}
	if n := f.count("SELECT count(*) FROM photos"); n != 2 {
		t.Errorf("%d photo records; want 2", n)
	}
	entries, _ := os.ReadDir(f.db.Blobs().Dir)
	files := 0
	for _, e := range entries {
		if e.IsDir() && e.Name() != "partial" {
			sub, _ := os.ReadDir(f.db.Blobs().Dir + "/" + e.Name())
			files += len(sub)
		}
	}
	if files != 1 {
		t.Errorf("%d photo files; want 1", files)
	}
	info, _ := os.Stat(f.db.Blobs().Path(shaHex(stored)))
	if info == nil || info.Mode().Perm() != 0o600 {
		t.Errorf("photo file mode = %v; want 0600", info)
	}
	if dinfo, _ := os.Stat(f.db.Blobs().Dir); dinfo == nil || dinfo.Mode().Perm() != 0o700 {
		t.Errorf("blobs folder mode = %v; want 0700", dinfo)
	}
	// A deleted photo: its bytes stay while the other photo uses them, then go.
	if status, _ := f.api("DELETE", "/api/v1/photos/"+id, "aida", nil); status != http.StatusOK {
		t.Fatalf("delete = %d", status)
	}
	if _, err := os.Stat(f.db.Blobs().Path(shaHex(stored))); err != nil {
		t.Error("the file went while another photo has the same bytes")
	}
	f.api("DELETE", "/api/v1/photos/"+id2, "aida", nil)
	if _, err := os.Stat(f.db.Blobs().Path(shaHex(stored))); err == nil {
		t.Error("the file stayed after its last photo was deleted")
	}
	if status, body := f.announce("aida", id, f.cell, data, nil); status != http.StatusGone {
		t.Errorf("announcing a deleted photo again = %d %v; want 410", status, body)
	}
}

func TestPhotoLimits(t *testing.T) {
	f := newFixture(t)
	// One photo over the per-photo limit.
	status, body := f.api("POST", "/api/v1/photos", "aida", map[string]any{"id": newUUID(), "visit_id": f.visit,
		"sha256": shaHex([]byte("x")), "bytes": store.MaxPhotoBytes + 1})
	if status != http.StatusRequestEntityTooLarge || errorField(body, "code") != "photo_too_large" {
		t.Errorf("announce over the per-photo limit = %d %v; want 413 photo_too_large", status, body)
	}
	// A chunk over the chunk limit.
	data := exiffixture.JPEG(800, 600, 90, 200, 2)
	id := newUUID()
	f.announce("aida", id, f.cell, data, nil)
	big := bytes.Repeat([]byte{0xFF}, store.PhotoChunkBytes+1)
	if status, body, _ := f.chunk("aida", id, 0, big, -1); status != http.StatusRequestEntityTooLarge {
		t.Errorf("chunk over the limit = %d %v; want 413", status, body)
	}
	// More pixels than 1,600 on the long side: refused when complete.
	wide := exiffixture.JPEG(1700, 100, 80, 0, 3)
	wid := newUUID()
	f.announce("aida", wid, f.cell, wide, nil)
	if status, body := f.upload("aida", wid, wide); status != http.StatusRequestEntityTooLarge || errorField(body, "code") != "photo_too_large" {
		t.Errorf("photo of 1,700 px = %d %v; want 413 photo_too_large", status, body)
	}
	// The per-visit limit counts every photo announced for the visit.
	n := store.MaxVisitPhotoBytes / store.MaxPhotoBytes
	for i := 0; i < n-1; i++ {
		status, body := f.api("POST", "/api/v1/photos", "aida", map[string]any{"id": newUUID(), "visit_id": f.visit,
			"sha256": shaHex([]byte{byte(i)}), "bytes": store.MaxPhotoBytes})
		if status != http.StatusOK {
			t.Fatalf("photo %d under the visit limit = %d %v", i, status, body)
		}
	}
	status, body = f.api("POST", "/api/v1/photos", "bolat", map[string]any{"id": newUUID(), "visit_id": f.visit,
		"sha256": shaHex([]byte("last")), "bytes": store.MaxPhotoBytes})
	if status != http.StatusRequestEntityTooLarge || errorField(body, "code") != "visit_photos_full" {
		t.Errorf("photo over the visit limit = %d %v; want 413 visit_photos_full", status, body)
	}
}

func TestPhotoRefusesNonImageBytes(t *testing.T) {
	f := newFixture(t)
	for name, data := range map[string][]byte{
		"a PDF":                  []byte("%PDF-1.7\n1 0 obj << >> endobj\n"),
		"HTML":                   []byte("<html><script>alert(1)</script></html>"),
		"a JPEG header, no JPEG": append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte("not a photo "), 50)...),
	} {
		id := newUUID()
		if status, body := f.announce("aida", id, f.cell, data, map[string]any{"caption": name}); status != http.StatusOK {
			t.Fatalf("%s: announce = %d %v", name, status, body)
		}
		status, body := f.upload("aida", id, data)
		if status != http.StatusUnsupportedMediaType || errorField(body, "code") != "not_an_image" {
			t.Errorf("%s: upload = %d %v; want 415 not_an_image", name, status, body)
		}
	}
	if n := f.count("SELECT count(*) FROM photo_blobs"); n != 0 {
		t.Errorf("%d blobs stored from bytes that are no image", n)
	}
	// A PNG is accepted, and stored as a plain PNG.
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 40, 30)))
	id := newUUID()
	f.announce("aida", id, f.cell, buf.Bytes(), nil)
	if status, body := f.upload("aida", id, buf.Bytes()); status != http.StatusOK || body["complete"] != true {
		t.Errorf("PNG upload = %d %v", status, body)
	}
	// Bytes other than those announced are refused and must be sent again.
	id = newUUID()
	good := exiffixture.JPEG(100, 100, 80, 0, 4)
	f.announce("aida", id, f.cell, good, nil)
	other := append([]byte{}, good...)
	other[len(other)/2] ^= 0xFF
	if status, body := f.upload("aida", id, other); status != http.StatusUnprocessableEntity || errorField(body, "code") != "hash_mismatch" {
		t.Errorf("bytes with another hash = %d %v; want 422 hash_mismatch", status, body)
	}
}

// A photo is scoped like its record: another region gets 403, the team and
// the region's coordinator see it, staff do not see an uncleared picture,
// and a photo of a confidential note only its author and the coordinator.
func TestPhotoScope(t *testing.T) {
	f := newFixture(t)
	f.signUp("dana", schema.RoleMember, "KZ-AKM")
	f.signUp("dcoord", schema.RoleCoordinator, "KZ-AKM")
	f.signUp("sam", schema.RoleStaff, "")
	data := exiffixture.JPEG(300, 200, 80, 30, 5)
	id := newUUID()
	f.announce("aida", id, f.cell, data, nil)
	f.upload("aida", id, data)

	for _, who := range []string{"dana", "dcoord"} {
		for _, path := range []string{"/api/v1/photos/" + id + "/image", "/api/v1/photos/" + id, "/api/v1/photos?visit_id=" + f.visit} {
			if status, body := f.api("GET", path, who, nil); status != http.StatusForbidden {
				t.Errorf("GET %s as %s of another region = %d %v; want 403", path, who, status, body)
			}
		}
		if status, _ := f.announce(who, newUUID(), f.cell, data, nil); status != http.StatusForbidden {
			t.Errorf("announce to another region's visit as %s = %d; want 403", who, status)
		}
		if status, _ := f.api("DELETE", "/api/v1/photos/"+id, who, nil); status != http.StatusForbidden {
			t.Errorf("delete as %s = %d; want 403", who, status)
		}
	}
	for _, who := range []string{"aida", "bolat", "coord"} {
		if status, _ := f.api("GET", "/api/v1/photos/"+id+"/image", who, nil); status != http.StatusOK {
			t.Errorf("image as %s = %d; want 200", who, status)
		}
	}
	if status, _ := f.api("GET", "/api/v1/photos/"+id+"/image", "sam", nil); status != http.StatusForbidden {
		t.Errorf("uncleared image as staff = %d; want 403", status)
	}
	if status, _, _ := f.chunk("bolat", id, 0, data[:10], -1); status != http.StatusForbidden {
		t.Errorf("bytes sent by a teammate for aida's photo = %d; want 403", status)
	}

	// A confidential note's photo.
	note := newUUID()
	f.mustPush("aida", f.op("aida", "confidential_note", note, map[string]any{"visit_id": f.visit, "text": "said in confidence"}, nil))
	nid := newUUID()
	ndata := exiffixture.JPEG(300, 200, 80, 30, 6)
	if status, body := f.announce("aida", nid, "", ndata, map[string]any{"note_id": note}); status != http.StatusOK {
		t.Fatalf("announce note photo = %d %v", status, body)
	}
	f.upload("aida", nid, ndata)
	for who, want := range map[string]int{"aida": 200, "coord": 200, "bolat": 403, "sam": 403, "dana": 403} {
		if status, _ := f.api("GET", "/api/v1/photos/"+nid+"/image", who, nil); status != want {
			t.Errorf("note photo image as %s = %d; want %d", who, status, want)
		}
	}
	// A teammate does not learn of the note's photo at all (no note id,
	// author, time or hash of its bytes); the coordinator sees it.
	_, list := f.api("GET", "/api/v1/photos?visit_id="+f.visit, "bolat", nil)
	if js := mustJSON(list); strings.Contains(js, "said in confidence") || strings.Contains(js, nid) || strings.Contains(js, note) ||
		strings.Contains(js, shaHex(ndata)) || len(list["photos"].([]any)) != 1 {
		t.Errorf("bolat's list = %v; want aida's place photo only", list)
	}
	if status, body := f.api("GET", "/api/v1/photos/"+nid, "bolat", nil); status != http.StatusForbidden {
		t.Errorf("note photo's record as bolat = %d %v; want 403", status, body)
	}
	_, list = f.api("GET", "/api/v1/photos?visit_id="+f.visit, "coord", nil)
	if !strings.Contains(mustJSON(list), nid) || !strings.Contains(mustJSON(list), shaHex(ndata)) {
		t.Errorf("the coordinator's list = %v; want the note photo with its hash", list)
	}
	// Staff see the place photo's record but neither its picture nor the
	// hash of its bytes.
	_, list = f.api("GET", "/api/v1/photos?visit_id="+f.visit, "sam", nil)
	if js := mustJSON(list); strings.Contains(js, shaHex(data)) || strings.Contains(js, nid) || !strings.Contains(js, id) {
		t.Errorf("staff's list = %v; want the place photo without its hash", list)
	}
}

// Knowing the SHA-256 of a photo one may not see gives nothing: a teammate
// who announces a photo of their own with the hash of a confidential note's
// photo is asked for the bytes (the server never reuses them for him), does
// not learn how much of an upload under way arrived, and is not completed
// when the note's photo arrives; the announced size must be the bytes'.
func TestPhotoBytesAreReusedOnlyForThoseWhoMaySeeThem(t *testing.T) {
	f := newFixture(t)
	note := newUUID()
	f.mustPush("aida", f.op("aida", "confidential_note", note, map[string]any{"visit_id": f.visit, "text": "said in confidence"}, nil))
	ndata := exiffixture.JPEG(300, 200, 80, 30, 6)
	nid := newUUID()
	if status, body := f.announce("aida", nid, "", ndata, map[string]any{"note_id": note}); status != http.StatusOK {
		t.Fatalf("announce note photo = %d %v", status, body)
	}
	// Half of the note photo's bytes have arrived.
	half := len(ndata) / 2
	if status, body, err := f.chunk("aida", nid, 0, ndata[:half], -1); err != nil || status != http.StatusOK {
		t.Fatalf("first half = %d %v %v", status, body, err)
	}
	mine := newUUID()
	status, body := f.api("POST", "/api/v1/photos", "bolat", map[string]any{"id": mine, "visit_id": f.visit, "location_id": f.cell,
		"sha256": shaHex(ndata), "bytes": len(ndata)})
	if status != http.StatusOK || body["complete"] != false || body["received"].(float64) != 0 {
		t.Fatalf("bolat announces the note photo's hash during its upload = %d %v; want nothing received", status, body)
	}
	if status, body, _ := f.chunk("bolat", mine, half, ndata[half:], -1); status != http.StatusConflict || body["received"].(float64) != 0 {
		t.Errorf("bolat continues the note photo's upload = %d %v; want 409 with nothing received", status, body)
	}
	if status, body := f.upload("aida", nid, ndata[half:]); status == http.StatusOK {
		t.Fatalf("aida's second half sent from 0 = %d %v; want refused", status, body)
	}
	if status, body, err := f.chunk("aida", nid, half, ndata[half:], -1); err != nil || status != http.StatusOK || body["complete"] != true {
		t.Fatalf("aida's second half = %d %v %v; want complete", status, body, err)
	}
	if status, body := f.api("GET", "/api/v1/photos/"+mine, "bolat", nil); status != http.StatusOK || body["complete"] != false {
		t.Errorf("bolat's photo after the note photo arrived = %d %v; want not complete", status, body)
	}
	// Announced again once the note's photo is stored: still not complete.
	other := newUUID()
	status, body = f.api("POST", "/api/v1/photos", "bolat", map[string]any{"id": other, "visit_id": f.visit, "location_id": f.cell,
		"sha256": shaHex(ndata), "bytes": len(ndata)})
	if status != http.StatusOK || body["complete"] != false || body["received"].(float64) != 0 {
		t.Fatalf("bolat announces the stored note photo's hash = %d %v; want the bytes asked for", status, body)
	}
	for _, id := range []string{mine, other} {
		if status, body := f.api("GET", "/api/v1/photos/"+id+"/image", "bolat", nil); status != http.StatusNotFound {
			t.Errorf("bolat's photo %s image = %d %v; want 404 (not arrived)", id, status, body)
		}
	}
	// Whoever has the bytes may send them: the photo is then complete.
	if status, body := f.upload("bolat", other, ndata); status != http.StatusOK || body["complete"] != true {
		t.Errorf("bolat sends the bytes himself = %d %v; want complete", status, body)
	}
	if n := f.count("SELECT count(*) FROM photo_blobs"); n != 1 {
		t.Errorf("%d blobs; want 1", n)
	}
	// The file goes with the last photo of those bytes, even one still
	// waiting for its own upload.
	file := f.db.Blobs().Path(shaHex(f.storedFile(nid)))
	for who, id := range map[string]string{"aida": nid, "bolat": other} {
		if status, body := f.api("DELETE", "/api/v1/photos/"+id, who, nil); status != http.StatusOK {
			t.Fatalf("delete %s = %d %v", id, status, body)
		}
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("the file went while a photo of the same bytes is live: %v", err)
	}
	f.api("DELETE", "/api/v1/photos/"+mine, "bolat", nil)
	if _, err := os.Stat(file); err == nil || f.count("SELECT count(*) FROM photo_blobs") != 0 {
		t.Error("the note photo's file stayed after the last photo with its bytes was deleted")
	}

	// A teammate's place photo may be reused by the team, at its size only.
	data := exiffixture.JPEG(320, 240, 80, 30, 7)
	id := newUUID()
	f.announce("aida", id, f.cell, data, nil)
	if status, body := f.upload("aida", id, data); status != http.StatusOK || body["complete"] != true {
		t.Fatalf("place photo = %d %v", status, body)
	}
	status, body = f.api("POST", "/api/v1/photos", "bolat", map[string]any{"id": newUUID(), "visit_id": f.visit, "location_id": f.cell,
		"sha256": shaHex(data), "bytes": 1})
	if status != http.StatusOK || body["complete"] != false {
		t.Errorf("the place photo's hash announced with 1 byte = %d %v; want not complete", status, body)
	}
	if status, body := f.announce("bolat", newUUID(), f.cell, data, nil); status != http.StatusOK || body["complete"] != true {
		t.Errorf("the place photo's bytes announced by a teammate = %d %v; want complete at once", status, body)
	}
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

// Only the region's coordinator clears a photo, and only confirming that no
// person can be identified on it.
func TestPhotoPublicationClearance(t *testing.T) {
	f := newFixture(t)
	data := exiffixture.JPEG(300, 200, 80, 30, 7)
	id := newUUID()
	f.announce("aida", id, f.cell, data, nil)
	path := "/api/v1/photos/" + id + "/publication"
	if status, _ := f.api("POST", path, "coord", map[string]any{"may_publish": true, "no_person_identifiable": true}); status != http.StatusConflict {
		t.Errorf("clearing a photo not yet received = %d; want 409", status)
	}
	f.upload("aida", id, data)
	if status, _ := f.api("POST", path, "aida", map[string]any{"may_publish": true, "no_person_identifiable": true}); status != http.StatusForbidden {
		t.Errorf("a member clearing = %d; want 403", status)
	}
	if status, _ := f.api("POST", path, "coord", map[string]any{"may_publish": true}); status != http.StatusBadRequest {
		t.Errorf("clearing without the confirmation = %d; want 400", status)
	}
	status, body := f.api("POST", path, "coord", map[string]any{"may_publish": true, "no_person_identifiable": true})
	if status != http.StatusOK || body["photo"].(map[string]any)["may_publish"] != true {
		t.Fatalf("clearing = %d %v", status, body)
	}
	if n := f.count("SELECT count(*) FROM audit_events WHERE action = 'photo_publication'"); n != 1 {
		t.Errorf("%d audit events of the clearance; want 1", n)
	}
}

func TestStorageForAdminsAndCameraPolicy(t *testing.T) {
	f := newFixture(t)
	f.signUp("root", schema.RoleAdmin, "")
	data := exiffixture.JPEG(300, 200, 80, 30, 8)
	id := newUUID()
	f.announce("aida", id, f.cell, data, nil)
	f.upload("aida", id, data)
	if status, _ := f.api("GET", "/api/v1/storage", "coord", nil); status != http.StatusForbidden {
		t.Errorf("storage as coordinator = %d; want 403", status)
	}
	status, body := f.api("GET", "/api/v1/storage", "root", nil)
	if status != http.StatusOK || body["photos"].(float64) != 1 || body["stored_bytes"].(float64) <= 0 || body["database_bytes"].(float64) <= 0 {
		t.Errorf("storage = %d %v", status, body)
	}
	resp, err := http.Get(f.hs.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Permissions-Policy"); !strings.Contains(got, "camera=(self)") || strings.Contains(got, "camera=*") {
		t.Errorf("Permissions-Policy = %q; want the camera for this origin only", got)
	}
}

// inspecta backup copies the photo files beside the backup, inspecta check
// finds a missing or corrupt photo file, and a restore brings them back.
func TestPhotoBackupAndCheck(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	data := exiffixture.JPEG(300, 200, 80, 30, 9)
	id := newUUID()
	f.announce("aida", id, f.cell, data, nil)
	f.upload("aida", id, data)
	stored := f.storedFile(id)
	name := shaHex(stored)

	backups := t.TempDir() + "/backups"
	os.MkdirAll(backups, 0o700)
	out := backups + "/inspecta-Mon.db"
	if err := f.db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	backupBlobs := store.NewBlobs(store.BlobDir(out))
	if why := backupBlobs.Verify(name); why != "" {
		t.Fatalf("the backup's photo file is %s", why)
	}
	if info, _ := os.Stat(backupBlobs.Path(name)); info.Mode().Perm() != 0o600 {
		t.Errorf("backup photo file mode %v", info.Mode())
	}
	if problems, err := f.db.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("check of a sound database = %v %v", problems, err)
	}
	path := f.db.Blobs().Path(name)
	os.WriteFile(path, append([]byte{}, stored[:len(stored)/2]...), 0o600)
	os.Chmod(path, 0o644)
	problems, _ := f.db.Check(ctx)
	if len(problems) != 1 || !strings.Contains(problems[0], "corrupt") {
		t.Errorf("check with a damaged photo = %v; want it reported corrupt", problems)
	}
	if w := store.CheckFileModes(f.db.Path); !strings.Contains(strings.Join(w, "\n"), "photo file") {
		t.Errorf("file-mode warnings %v name no photo file of mode 0644", w)
	}
	os.Remove(path)
	problems, _ = f.db.Check(ctx)
	if len(problems) != 1 || !strings.Contains(problems[0], "missing") {
		t.Errorf("check with a missing photo = %v; want it reported missing", problems)
	}
	// Restoring the backup into an empty folder brings the photo back.
	restored := t.TempDir() + "/data/inspecta.db"
	if _, err := store.Restore(ctx, restored, out); err != nil {
		t.Fatal(err)
	}
	if why := store.NewBlobs(store.BlobDir(restored)).Verify(name); why != "" {
		t.Errorf("after restore the photo file is %s", why)
	}
}

// A report prints a photo the coordinator cleared, beside its place, and
// never one nobody cleared.
func TestReportPrintsClearedPhotosOnly(t *testing.T) {
	f := newFixture(t)
	cleared := exiffixture.JPEG(640, 480, 80, 30, 10)
	uncleared := exiffixture.JPEG(640, 480, 80, 30, 11)
	ids := map[string][]byte{newUUID(): cleared, newUUID(): uncleared}
	var clearedID, unclearedID string
	for id, data := range ids {
		if bytes.Equal(data, cleared) {
			clearedID = id
		} else {
			unclearedID = id
		}
		f.announce("aida", id, f.cell, data, map[string]any{"caption": "Broken window"})
		if status, body := f.upload("aida", id, data); status != http.StatusOK || body["complete"] != true {
			t.Fatalf("upload = %d %v", status, body)
		}
	}
	if status, body := f.api("POST", "/api/v1/photos/"+clearedID+"/publication", "coord",
		map[string]any{"may_publish": true, "no_person_identifiable": true}); status != http.StatusOK {
		t.Fatalf("clear = %d %v", status, body)
	}
	req, _ := http.NewRequest("GET", f.hs.URL+"/api/v1/facilities/"+f.facility+"/report.pdf?lang=en&unapproved=1", nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens["coord"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("report = %d %s", resp.StatusCode, pdf)
	}
	// JPEG photos are embedded in a PDF as they are (DCTDecode).
	if !bytes.Contains(pdf, f.storedFile(clearedID)) {
		t.Error("the report does not print the cleared photo")
	}
	if bytes.Contains(pdf, f.storedFile(unclearedID)) {
		t.Error("the report prints a photo nobody cleared")
	}
	if n := bytes.Count(pdf, []byte("/DCTDecode")); n != 1 {
		t.Errorf("%d JPEG images in the report; want 1", n)
	}
}

// The bytes of a photo whose visit was deleted are not taken, and its upload
// under way goes at the next sweep; the upload of a photo still waiting
// stays and resumes.
func TestPhotoUploadOfADeletedVisitIsRefusedAndSwept(t *testing.T) {
	f := newFixture(t)
	data := exiffixture.JPEG(300, 200, 90, 50, 5)
	other := f.newVisit("aida", "2026-11-27T09:00:00Z", f.users["aida"].ID)
	kept, gone := newUUID(), newUUID()
	f.announce("aida", kept, f.cell, data, nil)
	if status, body := f.announce("aida", gone, "", data, map[string]any{"visit_id": other}); status != http.StatusOK {
		t.Fatalf("announce = %d %v", status, body)
	}
	for _, id := range []string{kept, gone} {
		if status, body, _ := f.chunk("aida", id, 0, data[:100], -1); status != http.StatusOK {
			t.Fatalf("first chunk = %d %v", status, body)
		}
	}
	if err := f.db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec("UPDATE visits SET deleted = 1 WHERE id = ?", other)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if status, body, _ := f.chunk("aida", gone, 100, data[100:200], -1); status != http.StatusConflict || errorField(body, "code") != "parent_deleted" {
		t.Errorf("chunk of a deleted visit's photo = %d %v; want 409 parent_deleted (final: sending again cannot help)", status, body)
	}
	// A new photo of that visit is refused as final too, not as a visit that may still come.
	if status, body := f.announce("aida", newUUID(), "", data, map[string]any{"visit_id": other}); status != http.StatusConflict || errorField(body, "code") != "parent_deleted" {
		t.Errorf("announcing a photo of the deleted visit = %d %v; want 409 parent_deleted", status, body)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		server.New(f.db, nil).SweepUploads(ctx, time.Hour)
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for f.db.Blobs().Received(gone) != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if n := f.db.Blobs().Received(gone); n != 0 {
		t.Errorf("the deleted visit's upload still has %d bytes after the sweep", n)
	}
	if n := f.db.Blobs().Received(kept); n != 100 {
		t.Errorf("the waiting photo's upload has %d bytes after the sweep; want 100", n)
	}
	if status, body, _ := f.chunk("aida", kept, 100, data[100:], -1); status != http.StatusOK || body["complete"] != true {
		t.Errorf("the waiting photo after the sweep = %d %v; want complete", status, body)
	}
}

// TestPhotoCaptionKeepsTheTextRules: a caption is held to the characters of
// every synced text (schema.TextFault): no control character, no U+FFFD (a
// lone surrogate from a caption cut in the middle of an emoji).
func TestPhotoCaptionKeepsTheTextRules(t *testing.T) {
	f := newFixture(t)
	data := exiffixture.JPEG(80, 60, 90, 0, 4)
	for caption, want := range map[string]string{"Cut emoji \uFFFD": "broken character", "Cell\x0012": "control character"} {
		status, body := f.announce("aida", newUUID(), f.cell, data, map[string]any{"caption": caption})
		if msg := errorField(body, "message"); status != http.StatusBadRequest || errorField(body, "field") != "caption" || !strings.Contains(msg, want) {
			t.Errorf("caption %q = %d %v; want 400 naming caption, saying %q", caption, status, body, want)
		}
	}
	if status, body := f.announce("aida", newUUID(), f.cell, data, map[string]any{"caption": "Window 😀\tcell 12"}); status != http.StatusOK {
		t.Errorf("a caption with an emoji and a tab = %d %v; want 200", status, body)
	}
}
