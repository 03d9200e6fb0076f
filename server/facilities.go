package server

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/gorilla/mux"

	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

// visibleRegion is the region a principal's reads are limited to ("" for all).
func visibleRegion(p *Principal) string {
	if schema.RoleNeedsRegion(p.User.Role) {
		return p.User.Region
	}
	return ""
}

func (s *Server) handleListFacilities(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	q := r.URL.Query()
	filter := store.FacilityFilter{Region: q.Get("region"), Type: q.Get("type"), Query: q.Get("q")}
	if own := visibleRegion(p); own != "" {
		if filter.Region != "" && filter.Region != own {
			writeError(w, http.StatusForbidden, "forbidden", "you can list facilities of "+own+" only", "region")
			return
		}
		filter.Region = own
	}
	var list []*store.Facility
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		list, err = tx.Facilities(filter)
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"facilities": list})
}

// loadFacility loads a facility the principal may see, answering 404/403 itself.
func (s *Server) loadFacility(w http.ResponseWriter, r *http.Request, id string) (*store.Facility, bool) {
	var f *store.Facility
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		f, err = tx.Facility(id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "not_found", "no facility with that id", "id")
		return nil, false
	}
	if err != nil {
		s.internalError(w, r, err)
		return nil, false
	}
	if own := visibleRegion(principal(r)); own != "" && f.Region != own {
		writeError(w, http.StatusForbidden, "forbidden", "this facility belongs to another region", "id")
		return nil, false
	}
	return f, true
}

func (s *Server) handleGetFacility(w http.ResponseWriter, r *http.Request) {
	if f, ok := s.loadFacility(w, r, mux.Vars(r)["id"]); ok {
		writeJSON(w, http.StatusOK, f)
	}
}

// handleCreateFacility adds a facility: POST /api/v1/facilities. Coordinators
// and admins add verified facilities; a member's stays unverified until a
// coordinator confirms it; staff cannot add.
func (s *Server) handleCreateFacility(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var fields map[string]json.RawMessage
	if !decodeJSON(w, r, MaxBodyBytes, &fields) {
		return
	}
	id := uuid.Must(uuid.NewV7()).String()
	if raw, ok := fields["id"]; ok {
		if err := json.Unmarshal(raw, &id); err != nil || uuid.Validate(id) != nil {
			writeError(w, http.StatusBadRequest, "invalid", "id must be a UUID", "id")
			return
		}
		delete(fields, "id")
	}
	s.applyFacilityOp(w, r, p, isync.Op{Type: schema.RecordFacility, ID: id, Action: isync.ActionUpsert, Fields: fields}, http.StatusCreated)
}

// handlePatchFacility changes named fields of a facility (coordinators and admins).
func (s *Server) handlePatchFacility(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	f, ok := s.loadFacility(w, r, mux.Vars(r)["id"])
	if !ok {
		return
	}
	var fields map[string]json.RawMessage
	if !decodeJSON(w, r, MaxBodyBytes, &fields) {
		return
	}
	base := map[string]int64{}
	for name := range fields {
		base[name] = f.Seq // an edit made at the screen reflects the latest version
	}
	s.applyFacilityOp(w, r, p, isync.Op{Type: schema.RecordFacility, ID: f.ID, Action: isync.ActionUpsert, Base: base, Fields: fields}, http.StatusOK)
}

func (s *Server) applyFacilityOp(w http.ResponseWriter, r *http.Request, p *Principal, op isync.Op, status int) {
	var res isync.Result
	var f *store.Facility
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		var err error
		if res, err = s.Engine.ApplyServerOp(tx, p.Actor(), op); err != nil || res.Status == isync.StatusRejected {
			return err
		}
		f, err = tx.Facility(op.ID)
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if res.Status == isync.StatusRejected {
		code, httpStatus := "invalid", http.StatusBadRequest
		if res.Error.Code == isync.CodeForbidden {
			code, httpStatus = "forbidden", http.StatusForbidden
		}
		writeError(w, httpStatus, code, res.Error.Message, res.Error.Field)
		return
	}
	writeJSON(w, status, f)
}
