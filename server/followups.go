package server

import (
	"net/http"

	"github.com/gorilla/mux"

	"inspecta/schema"
	"inspecta/store"
)

// handleFollowUps lists the interviews of a facility's earlier visits that
// were marked for follow-up, for the reprisal check at the next visit:
// GET /api/v1/facilities/{id}/followups[?except=VISIT_ID]. Each entry is the
// date and kind of its visit and what the complaint was about — no id, no
// author, no other answer (schema.FollowUpAccess decides who may read it:
// the region's monitors and coordinator).
func (s *Server) handleFollowUps(w http.ResponseWriter, r *http.Request) {
	f, ok := s.loadFacility(w, r, mux.Vars(r)["id"])
	if !ok {
		return
	}
	p := principal(r)
	viewer := schema.Viewer{UserID: p.User.ID, Role: p.User.Role, Region: p.User.Region}
	rel := schema.RelationOf(viewer, schema.Subject{Type: "interview", Region: f.Region})
	if schema.FollowUpAccess(rel) != schema.Visible {
		writeError(w, http.StatusForbidden, "forbidden", "the follow-up list is for the monitors and coordinator of the facility's region", "")
		return
	}
	var list []store.FollowUp
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		list, err = tx.FacilityFollowUps(f.ID, r.URL.Query().Get("except"))
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"follow_ups": list})
}
