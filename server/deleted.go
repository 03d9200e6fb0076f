package server

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/gorilla/mux"

	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

// handleListDeleted lists the region's deleted visits and places (the
// region's coordinator): a member's change inside one is refused
// parent_deleted until the coordinator restores it here.
func (s *Server) handleListDeleted(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var list []store.DeletedRecord
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		list, err = tx.DeletedInRegion(p.User.Region)
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if list == nil {
		list = []store.DeletedRecord{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"deleted": list})
}

// handleRestoreDeleted brings back a deleted visit or place of the
// coordinator's region with everything inside it: an upsert whose base is
// the deletion's version (docs/protocol.md, "Deletes"), so phones receive
// it back on their next pull.
func (s *Server) handleRestoreDeleted(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	typ, id := schema.RecordType(mux.Vars(r)["type"]), mux.Vars(r)["id"]
	if typ != schema.RecordVisit && typ != schema.RecordLocation {
		writeError(w, http.StatusNotFound, "not_found", "only a visit or a place is restored here", "type")
		return
	}
	var res isync.Result
	found, deleted := false, false
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		rec, err := tx.LoadRecord(typ, id)
		if err != nil || !rec.Exists || rec.Region != p.User.Region {
			return err
		}
		found, deleted = true, rec.Deleted
		if !rec.Deleted {
			return nil
		}
		op := isync.Op{OpID: uuid.Must(uuid.NewV7()).String(), Type: typ, ID: id, Action: isync.ActionUpsert,
			Base: map[string]int64{"_deleted": rec.Versions["_deleted"].Seq}}
		res, err = s.Engine.ApplyServerOp(tx, p.Actor(), op)
		return err
	})
	switch {
	case err != nil:
		s.internalError(w, r, err)
	case !found:
		writeError(w, http.StatusNotFound, "not_found", "no such "+string(typ)+" in your region", "id")
	case !deleted:
		writeJSON(w, http.StatusOK, map[string]any{"restored": false, "type": typ, "id": id})
	case res.Status == isync.StatusRejected && res.Error.Code == isync.CodeParentDeleted:
		// A place of a visit that is deleted itself: the visit comes back first.
		writeError(w, http.StatusConflict, "parent_deleted", res.Error.Message, res.Error.Field)
	case res.Status == isync.StatusRejected:
		writeError(w, http.StatusConflict, "invalid", res.Error.Message, res.Error.Field)
	default:
		writeJSON(w, http.StatusOK, map[string]any{"restored": true, "type": typ, "id": id})
	}
}
