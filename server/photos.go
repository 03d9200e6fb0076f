package server

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/mux"

	"inspecta/schema"
	"inspecta/store"
)

// Photos (issue 18; docs/protocol.md, "Photos"): a photo's record is
// announced with POST /photos, its bytes follow in chunks of at most
// store.PhotoChunkBytes that resume where the bytes received end, and the
// server keeps them, re-encoded, in the blobs folder beside the database.
// The routes are rows of server/routes.go.

// photoAnnouncement is the body of POST /api/v1/photos.
type photoAnnouncement struct {
	ID         string `json:"id"`
	VisitID    string `json:"visit_id"`
	LocationID string `json:"location_id"`
	Item       string `json:"item"`
	NoteID     string `json:"note_id"`
	Caption    string `json:"caption"`
	TakenAt    string `json:"taken_at"`
	SHA256     string `json:"sha256"`
	Bytes      int64  `json:"bytes"`
}

// photoStatus is the answer to an announcement and to every chunk.
type photoStatus struct {
	Photo      *store.Photo `json:"photo,omitempty"`
	Received   int64        `json:"received"`
	Complete   bool         `json:"complete"`
	ChunkBytes int64        `json:"chunk_bytes"`
}

func (a *photoAnnouncement) validate() (string, string) {
	switch {
	case uuid.Validate(a.ID) != nil:
		return "id", "id must be a UUID"
	case uuid.Validate(a.VisitID) != nil:
		return "visit_id", "visit_id must be a UUID"
	case a.LocationID != "" && uuid.Validate(a.LocationID) != nil:
		return "location_id", "location_id must be a UUID or empty"
	case a.NoteID != "" && uuid.Validate(a.NoteID) != nil:
		return "note_id", "note_id must be a UUID or empty"
	case len(a.Item) > 100:
		return "item", "item is at most 100 characters"
	case len([]rune(a.Caption)) > 300:
		return "caption", "a caption is at most 300 characters"
	case schema.TextFault(a.Caption) != "":
		return "caption", "caption " + schema.TextFault(a.Caption)
	case !isSHA256(a.SHA256):
		return "sha256", "sha256 must be 64 lowercase hexadecimal digits"
	case a.Bytes <= 0:
		return "bytes", "bytes must be the photo's size in bytes"
	}
	if a.TakenAt != "" {
		if _, err := time.Parse(time.RFC3339Nano, a.TakenAt); err != nil || len(a.TakenAt) > 40 {
			return "taken_at", "taken_at must be an RFC 3339 time"
		}
	}
	return "", ""
}

func isSHA256(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == 32 && hex.EncodeToString(b) == s
}

// canWriteVisit reports whether the principal may add to the visit: a member
// on its team or the coordinator of its region, while it is not approved.
// It returns the status, code and sentence to refuse with.
func canWriteVisit(p *Principal, v *store.Visit) (int, string, string) {
	switch {
	case p.User.Role != schema.RoleMember && p.User.Role != schema.RoleCoordinator:
		return http.StatusForbidden, "forbidden", "your role (" + p.User.Role + ") does not add photos"
	case v.Region != p.User.Region:
		return http.StatusForbidden, "forbidden", "this visit belongs to another region"
	case p.User.Role == schema.RoleMember && !slices.Contains(v.Team, p.User.ID):
		return http.StatusForbidden, "forbidden", "you are not on this visit's team"
	case v.Status == "approved":
		return http.StatusConflict, "locked", "this visit is approved and locked; ask the coordinator to reopen it"
	}
	return 0, "", ""
}

// handleAnnouncePhoto records a photo (idempotent by id) and answers how
// many of its bytes the server has: 0, some (an upload to resume) or all
// (the same bytes arrived before, for this photo or for another the
// announcer may see: see mayReuseBytes).
func (s *Server) handleAnnouncePhoto(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var a photoAnnouncement
	if !decodeJSON(w, r, 16<<10, &a) {
		return
	}
	if field, msg := a.validate(); field != "" {
		writeError(w, http.StatusBadRequest, "invalid", msg, field)
		return
	}
	if a.Bytes > store.MaxPhotoBytes {
		writeError(w, http.StatusRequestEntityTooLarge, "photo_too_large",
			"a photo may have at most "+humanBytes(store.MaxPhotoBytes)+"; this one has "+humanBytes(a.Bytes), "bytes")
		return
	}
	var photo *store.Photo
	var refused *refusal
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		var err error
		photo, refused, err = s.announcePhoto(tx, p, &a)
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if refused != nil {
		writeError(w, refused.status, refused.code, refused.message, refused.field)
		return
	}
	s.writePhotoStatus(w, photo)
}

// refusal is an answer that refuses a request: status, code, message, field.
type refusal struct {
	status               int
	code, message, field string
}

func (s *Server) announcePhoto(tx *store.Tx, p *Principal, a *photoAnnouncement) (*store.Photo, *refusal, error) {
	old, err := tx.Photo(a.ID)
	if err == nil {
		switch {
		case old.AuthorID != p.User.ID || old.SHA256 != a.SHA256:
			return nil, &refusal{http.StatusConflict, "id_taken", "another photo already has this id; make a new one", "id"}, nil
		case old.DeletedAt != "":
			return nil, &refusal{http.StatusGone, "deleted", "this photo was deleted", "id"}, nil
		}
		return old, nil, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, nil, err
	}
	v, err := tx.Visit(a.VisitID)
	if errors.Is(err, store.ErrNotFound) {
		deleted, err := visitDeleted(tx, a.VisitID)
		if err != nil {
			return nil, nil, err
		}
		if deleted {
			return nil, deletedVisitPhoto(a.VisitID), nil
		}
		return nil, &refusal{http.StatusConflict, "missing_parent", "no visit " + a.VisitID + " on the server yet; send the photo after the visit", "visit_id"}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if st, code, msg := canWriteVisit(p, v); st != 0 {
		return nil, &refusal{st, code, msg, "visit_id"}, nil
	}
	if a.LocationID != "" {
		rec, err := tx.PeekRecord("location", a.LocationID)
		if err != nil {
			return nil, nil, err
		}
		if rec.Exists && rec.Deleted && rec.VisitID == v.ID {
			return nil, &refusal{http.StatusConflict, "parent_deleted", "the place " + a.LocationID + " was deleted on the server; the photo was not stored in it", "location_id"}, nil
		}
		if !rec.Exists || rec.Deleted || rec.VisitID != v.ID {
			return nil, &refusal{http.StatusConflict, "missing_parent", "no place " + a.LocationID + " of this visit on the server yet", "location_id"}, nil
		}
	}
	if a.NoteID != "" {
		rec, err := tx.PeekRecord("confidential_note", a.NoteID)
		if err != nil {
			return nil, nil, err
		}
		if rec.Exists && rec.Deleted && rec.VisitID == v.ID {
			return nil, &refusal{http.StatusConflict, "parent_deleted", "the note " + a.NoteID + " was deleted on the server; the photo was not stored with it", "note_id"}, nil
		}
		if !rec.Exists || rec.Deleted || rec.VisitID != v.ID {
			return nil, &refusal{http.StatusConflict, "missing_parent", "no note " + a.NoteID + " of this visit on the server yet", "note_id"}, nil
		}
		if rec.AuthorID != p.User.ID && p.User.Role != schema.RoleCoordinator {
			return nil, &refusal{http.StatusForbidden, "forbidden", "this confidential note belongs to another member", "note_id"}, nil
		}
	}
	used, err := tx.VisitPhotoBytes(v.ID)
	if err != nil {
		return nil, nil, err
	}
	if used+a.Bytes > store.MaxVisitPhotoBytes {
		return nil, &refusal{http.StatusRequestEntityTooLarge, "visit_photos_full",
			"the photos of one visit may have at most " + humanBytes(store.MaxVisitPhotoBytes) + " together; this visit has " + humanBytes(used), "bytes"}, nil
	}
	reuse, err := s.mayReuseBytes(tx, p, a)
	if err != nil {
		return nil, nil, err
	}
	photo := &store.Photo{ID: a.ID, VisitID: v.ID, Region: v.Region, LocationID: a.LocationID, Item: a.Item, NoteID: a.NoteID,
		Caption: a.Caption, TakenAt: a.TakenAt, SHA256: a.SHA256, Bytes: a.Bytes, AuthorID: p.User.ID, DeviceID: p.Device.ID}
	if err := tx.InsertPhoto(photo, reuse); err != nil {
		return nil, nil, err
	}
	photo, err = tx.Photo(a.ID)
	return photo, nil, err
}

// mayReuseBytes reports whether the announced photo is complete at once
// because the server has its bytes: only when the announcer may already see
// the picture of a live photo with those bytes, announced with the same
// size. Anyone else sends the bytes (checked against the SHA-256 at the
// end): knowing a photo's SHA-256 (say, of a confidential note's photo)
// never gives its picture, and the size counted against the visit's limit
// is the size of the bytes.
func (s *Server) mayReuseBytes(tx *store.Tx, p *Principal, a *photoAnnouncement) (bool, error) {
	same, err := tx.ReceivedPhotosWithBytes(a.SHA256)
	if err != nil {
		return false, err
	}
	for _, other := range same {
		if other.Bytes != a.Bytes {
			continue
		}
		view, err := s.viewPhoto(tx, p, other)
		if err != nil {
			return false, err
		}
		if view != nil && view.Image == "visible" {
			return true, nil
		}
	}
	return false, nil
}

// writePhotoStatus answers how much of the photo's bytes the server has.
func (s *Server) writePhotoStatus(w http.ResponseWriter, photo *store.Photo) {
	st := photoStatus{Photo: photo, ChunkBytes: store.PhotoChunkBytes, Complete: photo.ReceivedAt != ""}
	if st.Complete {
		st.Received = photo.Bytes
	} else {
		// Under the upload's lock: a chunk still being written (its
		// connection cut but not yet noticed) is counted once it ends.
		unlock := s.DB.Blobs().Lock(photo.SHA256)
		st.Received = s.DB.Blobs().Received(photo.ID)
		unlock()
	}
	writeJSON(w, http.StatusOK, st)
}

// loadPhoto loads a photo by the route's id, answering 404 itself.
func (s *Server) loadPhoto(w http.ResponseWriter, r *http.Request) (*store.Photo, bool) {
	var photo *store.Photo
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		photo, err = tx.Photo(mux.Vars(r)["id"])
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "not_found", "no photo with that id", "id")
		return nil, false
	}
	if err != nil {
		s.internalError(w, r, err)
		return nil, false
	}
	return photo, true
}

// handlePhotoContent takes one chunk of a photo's bytes:
// PUT /api/v1/photos/{id}/content?offset=N. The chunk must start where the
// bytes received end (else 409 offset_mismatch with "received"); bytes of a
// chunk cut off mid-way are kept, so the next chunk starts there.
func (s *Server) handlePhotoContent(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	photo, ok := s.loadPhoto(w, r)
	if !ok {
		return
	}
	if photo.AuthorID != p.User.ID {
		writeError(w, http.StatusForbidden, "forbidden", "only the member who took a photo sends its bytes", "id")
		return
	}
	if photo.DeletedAt != "" {
		writeError(w, http.StatusGone, "deleted", "this photo was deleted", "id")
		return
	}
	if photo.ReceivedAt != "" {
		s.writePhotoStatus(w, photo)
		return
	}
	if !s.visitLive(w, r, photo) {
		return
	}
	offset, err := strconv.ParseInt(r.URL.Query().Get("offset"), 10, 64)
	if err != nil || offset < 0 {
		writeError(w, http.StatusBadRequest, "invalid", "offset must be the number of bytes the server has", "offset")
		return
	}
	if r.ContentLength > store.PhotoChunkBytes {
		writeError(w, http.StatusRequestEntityTooLarge, "too_large",
			"a chunk may have at most "+humanBytes(store.PhotoChunkBytes), "")
		return
	}
	blobs := s.DB.Blobs()
	body := http.MaxBytesReader(w, r.Body, store.PhotoChunkBytes)
	received, err := blobs.Append(photo.ID, offset, body, photo.Bytes-offset+1)
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, store.ErrOffset):
		// Refused before reading the body: no bytes wasted on a weak link.
		writeOffsetMismatch(w, received)
		return
	case errors.Is(err, store.ErrSuperseded):
		return // the device went on with a newer chunk
	case errors.As(err, &mbe):
		blobs.Discard(photo.ID) // what a chunk over the limit brought is not trusted
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", "a chunk may have at most "+humanBytes(store.PhotoChunkBytes), "")
		return
	case err != nil:
		// The connection was cut: what arrived is kept for the next chunk.
		s.Log.Info("photo chunk cut off", "photo", photo.ID, "received", received, "err", err)
		return
	}
	// Held until the blob is recorded: a delete of the last other photo
	// with the same bytes does not remove the file meanwhile. (Bytes
	// arrived meanwhile for another photo are no shortcut: this photo's
	// own upload completes it; see mayReuseBytes.)
	defer blobs.Lock(photo.SHA256)()
	if received != blobs.Received(photo.ID) {
		// Another chunk took over meanwhile; its answer tells the device.
		return
	}
	if !store.StartsLikeImage(blobs.Head(photo.ID, 8)) {
		blobs.Discard(photo.ID)
		writeError(w, http.StatusUnsupportedMediaType, "not_an_image", store.ErrNotImage.Error(), "")
		return
	}
	if received > photo.Bytes {
		blobs.Discard(photo.ID)
		writeError(w, http.StatusBadRequest, "invalid", "more bytes arrived than the photo was announced with; send it again from the start", "")
		return
	}
	if received < photo.Bytes {
		writeJSON(w, http.StatusOK, photoStatus{Received: received, ChunkBytes: store.PhotoChunkBytes})
		return
	}
	blob, err := blobs.Finish(photo.ID, photo.SHA256)
	switch {
	case errors.Is(err, store.ErrNotImage):
		writeError(w, http.StatusUnsupportedMediaType, "not_an_image", err.Error(), "")
		return
	case errors.Is(err, store.ErrPhotoTooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, "photo_too_large", err.Error(), "")
		return
	case errors.Is(err, store.ErrHashMismatch):
		writeError(w, http.StatusUnprocessableEntity, "hash_mismatch", err.Error(), "sha256")
		return
	case err != nil:
		s.internalError(w, r, err)
		return
	}
	s.markReceived(w, r, photo, blob)
}

// visitLive reports whether the photo's visit is on the server (not
// deleted), answering 409 parent_deleted itself when it is not: the bytes
// of a deleted visit's photo are not taken (the sweep would remove them;
// see store.DB.SweepUploads), as its announcement is not, and sending
// them again cannot help.
func (s *Server) visitLive(w http.ResponseWriter, r *http.Request, photo *store.Photo) bool {
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		_, err := tx.Visit(photo.VisitID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusConflict, "parent_deleted", deletedVisitPhoto(photo.VisitID).message, "visit_id")
		return false
	}
	if err != nil {
		s.internalError(w, r, err)
		return false
	}
	return true
}

// SweepUploads removes the orphaned uploads under way at once and then
// every interval until ctx ends (store.DB.SweepUploads), logging what it
// removed; serve runs it.
func (s *Server) SweepUploads(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		n, err := s.DB.SweepUploads(ctx)
		if err != nil && ctx.Err() == nil {
			s.Log.Error("sweep photo uploads", "err", err)
		} else if n > 0 {
			s.Log.Info("removed orphaned photo uploads", "files", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// writeOffsetMismatch answers a chunk that does not start where the bytes
// received end, with how many there are.
func writeOffsetMismatch(w http.ResponseWriter, received int64) {
	writeJSON(w, http.StatusConflict, map[string]any{"error": APIError{Code: "offset_mismatch",
		Message: "the server has " + itoa(received) + " bytes of this photo; send from there", Field: "offset"},
		"received": received})
}

// markReceived records the stored blob that photo's upload brought and
// answers the photo complete.
func (s *Server) markReceived(w http.ResponseWriter, r *http.Request, photo *store.Photo, blob *store.StoredBlob) {
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		if err := tx.AddBlob(blob, photo.ID); err != nil {
			return err
		}
		var err error
		photo, err = tx.Photo(photo.ID)
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	s.writePhotoStatus(w, photo)
}

// photoView is a photo as a reader gets it: the record with what the
// reader may not see left out, and whether it may see the picture.
type photoView struct {
	*store.Photo
	Image    string   `json:"image"` // visible or redacted
	Redacted []string `json:"redacted,omitempty"`
}

// viewPhoto returns the reader's view of photo, nil when the reader may not
// know of it at all. A confidential note's photo is as confidential as the
// note: whoever may not see the note's text does not learn of the photo
// (its note, author, time, or the SHA-256 of its bytes), as pull and the
// visit's view withhold the note. A photo whose picture the reader may not
// see comes without its caption and the SHA-256 of its bytes.
func (s *Server) viewPhoto(tx *store.Tx, p *Principal, photo *store.Photo) (*photoView, error) {
	r, err := s.readerFor(tx, p)
	if err != nil {
		return nil, err
	}
	subject := r.Subject("photo", photo.Region, photo.VisitID, photo.AuthorID, "")
	noteAuthor := ""
	if photo.NoteID != "" {
		ns, err := tx.SubjectByID(r, "confidential_note", photo.NoteID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		noteAuthor = ns.AuthorID
	}
	s2, field := schema.PhotoSubject(subject, noteAuthor, photo.NoteID != "")
	if r.Access(subject) == schema.Absent || r.Access(s2) == schema.Absent {
		return nil, nil
	}
	visible := r.Field(s2, field) == schema.Visible
	if photo.NoteID != "" && !visible {
		return nil, nil
	}
	if visible && r.Field(subject, "caption") == schema.Visible {
		return &photoView{Photo: photo, Image: "visible"}, nil
	}
	cp := *photo
	cp.Caption = ""
	view := &photoView{Photo: &cp, Image: "visible", Redacted: []string{"caption"}}
	if !visible {
		cp.SHA256 = ""
		view.Image = "redacted"
		view.Redacted = []string{"image", "caption", "sha256"}
	}
	return view, nil
}

// handleListPhotos lists the live photos of a visit: GET /api/v1/photos?visit_id=.
func (s *Server) handleListPhotos(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	v, ok := s.loadVisit(w, r, r.URL.Query().Get("visit_id"))
	if !ok {
		return
	}
	views := []*photoView{}
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		photos, err := tx.VisitPhotos(v.ID)
		if err != nil {
			return err
		}
		for _, photo := range photos {
			view, err := s.viewPhoto(tx, p, photo)
			if err != nil {
				return err
			}
			if view != nil {
				views = append(views, view)
			}
		}
		return nil
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"photos": views})
}

// readablePhoto loads the route's photo and the reader's view of it,
// answering 404/403 itself.
func (s *Server) readablePhoto(w http.ResponseWriter, r *http.Request) (*photoView, bool) {
	photo, ok := s.loadPhoto(w, r)
	if !ok {
		return nil, false
	}
	var view *photoView
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		view, err = s.viewPhoto(tx, principal(r), photo)
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return nil, false
	}
	if view == nil {
		writeError(w, http.StatusForbidden, "forbidden", "this photo belongs to a record you may not see", "id")
		return nil, false
	}
	return view, true
}

// handleGetPhoto: GET /api/v1/photos/{id}, the record and how much arrived.
func (s *Server) handleGetPhoto(w http.ResponseWriter, r *http.Request) {
	view, ok := s.readablePhoto(w, r)
	if !ok {
		return
	}
	received := view.Bytes
	if view.ReceivedAt == "" {
		received = s.DB.Blobs().Received(view.ID)
	}
	writeJSON(w, http.StatusOK, map[string]any{"photo": view, "received": received, "complete": view.ReceivedAt != ""})
}

// handlePhotoImage: GET /api/v1/photos/{id}/image, the stored picture, to
// whoever may see it (403 to others, 404 until it arrived).
func (s *Server) handlePhotoImage(w http.ResponseWriter, r *http.Request) {
	view, ok := s.readablePhoto(w, r)
	if !ok {
		return
	}
	if view.Image != "visible" {
		writeError(w, http.StatusForbidden, "forbidden", "you may not see this photo", "id")
		return
	}
	if view.DeletedAt != "" || view.ReceivedAt == "" || view.StoredSHA256 == "" {
		writeError(w, http.StatusNotFound, "not_found", "this photo has not arrived or was deleted", "id")
		return
	}
	data, err := os.ReadFile(s.DB.Blobs().Path(view.StoredSHA256))
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", view.ContentType)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}

// handleDeletePhoto: DELETE /api/v1/photos/{id}, by the member who took it
// or the region's coordinator; an approved visit's photos only by the
// coordinator. Deleting twice answers the same.
func (s *Server) handleDeletePhoto(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	photo, ok := s.loadPhoto(w, r)
	if !ok {
		return
	}
	coordinator := p.User.Role == schema.RoleCoordinator && p.User.Region == photo.Region
	if photo.AuthorID != p.User.ID && !coordinator {
		writeError(w, http.StatusForbidden, "forbidden", "only the member who took a photo or the region's coordinator deletes it", "id")
		return
	}
	var file string
	var locked bool
	// The upload's lock first, then the writer, as an upload takes them.
	unlock := s.DB.Blobs().Lock(photo.SHA256)
	defer unlock()
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		v, err := tx.Visit(photo.VisitID)
		if err == nil && v.Status == "approved" && !coordinator {
			locked = true
			return nil
		}
		file, err = tx.DeletePhoto(photo.ID, p.User.ID)
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if locked {
		writeError(w, http.StatusConflict, "locked", "this visit is approved and locked; ask the coordinator", "id")
		return
	}
	if file != "" {
		if err := s.DB.Blobs().Remove(file); err != nil {
			s.Log.Error("remove photo file", "err", err)
		}
	}
	if photo.ReceivedAt == "" {
		s.DB.Blobs().Discard(photo.ID)
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": photo.ID, "deleted": true})
}

// handlePhotoPublication: POST /api/v1/photos/{id}/publication
// {"may_publish": bool, "no_person_identifiable": bool}, the region's
// coordinator only; clearing needs the confirmation that no person can be
// identified on the photo, and the photo must have arrived (seen).
func (s *Server) handlePhotoPublication(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var body struct {
		MayPublish           bool `json:"may_publish"`
		NoPersonIdentifiable bool `json:"no_person_identifiable"`
	}
	if !decodeJSON(w, r, 4<<10, &body) {
		return
	}
	photo, ok := s.loadPhoto(w, r)
	if !ok {
		return
	}
	if p.User.Role != schema.RoleCoordinator || p.User.Region != photo.Region {
		writeError(w, http.StatusForbidden, "forbidden", "only the region's coordinator clears a photo for publication", "id")
		return
	}
	switch {
	case photo.DeletedAt != "":
		writeError(w, http.StatusGone, "deleted", "this photo was deleted", "id")
		return
	case body.MayPublish && !body.NoPersonIdentifiable:
		writeError(w, http.StatusBadRequest, "invalid", "confirm that no person can be identified on the photo before clearing it", "no_person_identifiable")
		return
	case body.MayPublish && photo.ReceivedAt == "":
		writeError(w, http.StatusConflict, "not_received", "this photo has not arrived yet; look at it before clearing it", "id")
		return
	}
	locked := false
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		// An approved visit's reports print what its publication check
		// showed: a photo (and its caption) is withdrawn at any time but
		// cleared only before the approval, as a text is (handleClearText).
		if v, err := tx.Visit(photo.VisitID); err != nil {
			return err
		} else if body.MayPublish && v.Status == "approved" {
			locked = true
			return nil
		}
		if err := tx.ClearPhoto(photo.ID, body.MayPublish, p.User.ID); err != nil {
			return err
		}
		var err error
		photo, err = tx.Photo(photo.ID)
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if locked {
		writeError(w, http.StatusConflict, "locked", "this visit is approved and locked; reopen it to clear a photo for publication", "may_publish")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"photo": photo})
}

// handleStorage: GET /api/v1/storage, what the database and the photos
// take on disk, for administrators.
func (s *Server) handleStorage(w http.ResponseWriter, r *http.Request) {
	var st store.PhotoStorage
	if err := s.DB.Read(r.Context(), func(tx *store.Tx) error { return tx.PhotoCounts(&st) }); err != nil {
		s.internalError(w, r, err)
		return
	}
	st.StoredBytes, st.PartialBytes = s.DB.Blobs().Usage()
	for _, suffix := range []string{"", "-wal"} {
		if info, err := os.Stat(s.DB.Path + suffix); err == nil {
			st.DatabaseBytes += info.Size()
		}
	}
	writeJSON(w, http.StatusOK, st)
}

// visitDeleted reports whether the visit with id is on the server, deleted
// (tx.Visit, which finds live visits only, answered not found).
func visitDeleted(tx *store.Tx, id string) (bool, error) {
	var deleted bool
	err := tx.QueryRow("SELECT deleted FROM visits WHERE id = ?", id).Scan(&deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("visit %s: %w", id, err)
	}
	return deleted, nil
}

// deletedVisitPhoto is the refusal of a photo whose visit was deleted on
// the server: final (parent_deleted), not a parent that may still come.
func deletedVisitPhoto(visitID string) *refusal {
	return &refusal{http.StatusConflict, "parent_deleted", "the visit " + visitID + " was deleted on the server; the photo was not stored (the coordinator can restore the visit, then send it again)", "visit_id"}
}
