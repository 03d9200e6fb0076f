package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"inspecta/review"
	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

// canReadVisit reports whether the principal may read the visit, and the
// sentence to answer 403 with when not: a coordinator reads the visits of
// their region, a member the visits they are on, staff and admins every visit.
func canReadVisit(p *Principal, v *store.Visit) (bool, string) {
	switch p.User.Role {
	case schema.RoleCoordinator:
		if v.Region != p.User.Region {
			return false, "this visit belongs to another region"
		}
	case schema.RoleMember:
		if v.Region != p.User.Region {
			return false, "this visit belongs to another region"
		}
		if !slices.Contains(v.Team, p.User.ID) {
			return false, "you are not on this visit's team"
		}
	}
	return true, ""
}

// loadVisit loads a visit the principal may read, answering 404/403 itself.
func (s *Server) loadVisit(w http.ResponseWriter, r *http.Request, id string) (*store.Visit, bool) {
	var v *store.Visit
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		v, err = tx.Visit(id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "not_found", "no visit with that id", "id")
		return nil, false
	}
	if err != nil {
		s.internalError(w, r, err)
		return nil, false
	}
	if ok, why := canReadVisit(principal(r), v); !ok {
		writeError(w, http.StatusForbidden, "forbidden", why, "id")
		return nil, false
	}
	return v, true
}

// loadVisitToDecide loads a visit for a decision (consolidate, resolve,
// clear for publication, approve, reopen): only the coordinator of the
// visit's region may; others get 403. The route table refuses other roles
// first; the check here keeps a route added without "decider" closed.
func (s *Server) loadVisitToDecide(w http.ResponseWriter, r *http.Request) (*Principal, *store.Visit, bool) {
	p := principal(r)
	if p.User.Role != schema.RoleCoordinator {
		writeError(w, http.StatusForbidden, "forbidden", "only the region's coordinator consolidates, approves or reopens a visit", "")
		return nil, nil, false
	}
	v, ok := s.loadVisit(w, r, mux.Vars(r)["id"])
	return p, v, ok
}

// templateFor returns the checklist version a visit was recorded with (the
// default checklist for a visit that names none the catalog knows).
func templateFor(tx *store.Tx, v *store.Visit) (*schema.Template, error) {
	cat, err := tx.Checklists()
	if err != nil {
		return nil, err
	}
	if t := cat.Template(v.Checklist); t != nil {
		return t, nil
	}
	if t := cat.Default(); t != nil {
		return t, nil
	}
	return nil, fmt.Errorf("visit %s: no checklist %q and no default", v.ID, v.Checklist)
}

// visitConsolidation consolidates a visit with its own checklist version.
func visitConsolidation(tx *store.Tx, v *store.Visit) (*review.VisitConsolidation, error) {
	tmpl, err := templateFor(tx, v)
	if err != nil {
		return nil, err
	}
	return review.ConsolidateVisit(tx, v.ID, tmpl)
}

// handleListVisits lists visits: GET /api/v1/visits?facility_id=&status=&region=.
func (s *Server) handleListVisits(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	q := r.URL.Query()
	filter := store.VisitFilter{FacilityID: q.Get("facility_id"), Status: q.Get("status"), Region: q.Get("region")}
	if filter.Status != "" && !slices.Contains([]string{"draft", "submitted", "approved"}, filter.Status) {
		writeError(w, http.StatusBadRequest, "invalid", "status must be draft, submitted or approved", "status")
		return
	}
	if own := visibleRegion(p); own != "" {
		if filter.Region != "" && filter.Region != own {
			writeError(w, http.StatusForbidden, "forbidden", "you can list visits of "+own+" only", "region")
			return
		}
		filter.Region = own
	}
	if p.User.Role == schema.RoleMember {
		filter.MemberID = p.User.ID
	}
	if filter.FacilityID != "" {
		if _, ok := s.loadFacility(w, r, filter.FacilityID); !ok {
			return
		}
	}
	var list []*store.Visit
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		list, err = tx.Visits(filter)
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"visits": list})
}

// visitDetail is the answer of GET /api/v1/visits/{id}.
type visitDetail struct {
	Visit         *store.Visit              `json:"visit"`
	Team          []store.TeamMember        `json:"team"`
	Locations     []store.Location          `json:"locations"`
	StatusHistory []store.VisitStatusChange `json:"status_history"`
	// Obstructions: each refusal or delay of access (the note withheld from
	// readers the rule does not let see personal text).
	Obstructions []store.VisitObstruction `json:"obstructions"`
	// Interviews: counts of the visit's interviews, for readers who may see
	// the interviews themselves (the region's coordinator); absent otherwise.
	Interviews *store.InterviewCounts `json:"interviews,omitempty"`
	// Unset: those of the visit's yes/no fields (store.VisitYesNoFields)
	// nobody ever answered; the desk says "not recorded" for them.
	Unset []string `json:"unset"`
}

func (s *Server) visitDetail(tx *store.Tx, id string) (*visitDetail, error) {
	d := &visitDetail{}
	var err error
	if d.Visit, err = tx.Visit(id); err != nil {
		return nil, err
	}
	if d.Team, err = tx.VisitTeam(id); err != nil {
		return nil, err
	}
	if d.Locations, err = tx.Locations(id); err != nil {
		return nil, err
	}
	if d.StatusHistory, err = tx.VisitStatusHistory(id); err != nil {
		return nil, err
	}
	if d.Obstructions, err = tx.VisitObstructions(id); err != nil {
		return nil, err
	}
	if d.Interviews, err = tx.InterviewCounts(id); err != nil {
		return nil, err
	}
	if d.Unset, err = tx.UnsetVisitFields(id); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) handleGetVisit(w http.ResponseWriter, r *http.Request) {
	v, ok := s.loadVisit(w, r, mux.Vars(r)["id"])
	if !ok {
		return
	}
	var d *visitDetail
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		if d, err = s.visitDetail(tx, v.ID); err != nil {
			return err
		}
		reader, err := s.readerFor(tx, principal(r))
		if err != nil {
			return err
		}
		return redactVisitDetail(tx, reader, d)
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// handleGetConsolidation answers GET /api/v1/visits/{id}/consolidation: every
// item side by side, the consolidated values, the queue and the indicators.
func (s *Server) handleGetConsolidation(w http.ResponseWriter, r *http.Request) {
	v, ok := s.loadVisit(w, r, mux.Vars(r)["id"])
	if !ok {
		return
	}
	var vc *review.VisitConsolidation
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		if vc, err = visitConsolidation(tx, v); err != nil {
			return err
		}
		reader, err := s.readerFor(tx, principal(r))
		if err != nil {
			return err
		}
		return redactConsolidation(tx, reader, v, vc)
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"visit": v, "consolidation": vc})
}

// consolidationRequest is the body of POST /api/v1/visits/{id}/consolidations.
type consolidationRequest struct {
	LocationID    string          `json:"location_id"`
	Item          string          `json:"item"`
	Value         json.RawMessage `json:"value"`
	Reason        string          `json:"reason"`
	ObservationID string          `json:"observation_id"`
	// Version is the version of the item the screen showed (its
	// consolidation's sequence, 0 if none): the decision is made from it.
	Version int64 `json:"version"`
}

// handlePostConsolidation records the coordinator's decision on one item as an
// ordinary consolidation operation (the same a device would push), so that it
// is in the op log with its author and time.
func (s *Server) handlePostConsolidation(w http.ResponseWriter, r *http.Request) {
	p, v, ok := s.loadVisitToDecide(w, r)
	if !ok {
		return
	}
	var req consolidationRequest
	if !decodeJSON(w, r, MaxBodyBytes, &req) {
		return
	}
	req.Reason = strings.TrimSpace(req.Reason)
	switch {
	case req.Item == "":
		writeError(w, http.StatusBadRequest, "invalid", "name the checklist item to consolidate", "item")
		return
	case req.Reason == "":
		writeError(w, http.StatusBadRequest, "invalid", "give a short reason for the decision", "reason")
		return
	case len(req.Value) == 0 && req.ObservationID == "":
		writeError(w, http.StatusBadRequest, "invalid", "give the consolidated value, or the observation_id of the member's value chosen", "value")
		return
	}
	var res isync.Result
	var item *review.ConsolidatedItem
	var open int
	var fe *fieldProblem
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		value := req.Value
		if req.ObservationID != "" {
			chosen, err := tx.LoadRecord(schema.RecordObservation, req.ObservationID)
			if err != nil {
				return err
			}
			if !chosen.Exists || chosen.Deleted || chosen.Fields["visit_id"] != v.ID ||
				chosen.Fields["location_id"] != req.LocationID || chosen.Fields["item"] != req.Item {
				fe = &fieldProblem{http.StatusBadRequest, "invalid", "observation_id is not an observation of this item in this visit", "observation_id"}
				return nil
			}
			if len(value) == 0 {
				if value, err = json.Marshal(chosen.Fields["value"]); err != nil {
					return err
				}
			}
		}
		op, err := isync.ConsolidationOp(tx, v.ID, req.LocationID, req.Item, value, req.Reason, req.ObservationID, req.Version)
		if err != nil {
			return err
		}
		if res, err = s.Engine.ApplyServerOp(tx, p.Actor(), op); err != nil || res.Status == isync.StatusRejected {
			return err
		}
		vc, err := visitConsolidation(tx, v)
		if err != nil {
			return err
		}
		open = len(vc.ToResolve)
		item = findItem(vc, req.LocationID, req.Item)
		return nil
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if fe != nil {
		writeError(w, fe.status, fe.code, fe.message, fe.field)
		return
	}
	if res.Status == isync.StatusRejected {
		writeRejection(w, res.Error)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": res, "item": item, "open_items": open})
}

// fieldProblem is a client mistake found inside a transaction, answered after it.
type fieldProblem struct {
	status               int
	code, message, field string
}

func findItem(vc *review.VisitConsolidation, locationID, item string) *review.ConsolidatedItem {
	scopes := append([]review.ScopeConsolidation{vc.Visit}, vc.Locations...)
	for i := range scopes {
		if scopes[i].LocationID != locationID {
			continue
		}
		for j := range scopes[i].Items {
			if scopes[i].Items[j].Item == item {
				return &scopes[i].Items[j]
			}
		}
	}
	return nil
}

// writeRejection answers an operation the engine rejected: 403 outside the
// user's scope, 409 on an approved (locked) visit, 400 otherwise.
func writeRejection(w http.ResponseWriter, fe *isync.FieldError) {
	switch fe.Code {
	case isync.CodeForbidden:
		writeError(w, http.StatusForbidden, "forbidden", fe.Message, fe.Field)
	case isync.CodeLocked:
		writeError(w, http.StatusConflict, "locked", fe.Message, fe.Field)
	default:
		writeError(w, http.StatusBadRequest, "invalid", fe.Message, fe.Field)
	}
}

// resolveRequest is the body of POST /api/v1/visits/{id}/conflicts/{conflict_id}/resolve.
type resolveRequest struct {
	Keep   isync.Keep      `json:"keep"`  // "winner" or "loser"
	Value  json.RawMessage `json:"value"` // or another value
	Reason string          `json:"reason"`
	// Version is the conflict's version as the screen showed it (the
	// conflict's "version"): the decision is made from it.
	Version int64 `json:"version"`
}

// handleResolveConflict settles a sync conflict of the visit: the policy is
// the sync engine's (isync.Engine.ResolveConflict).
func (s *Server) handleResolveConflict(w http.ResponseWriter, r *http.Request) {
	p, v, ok := s.loadVisitToDecide(w, r)
	if !ok {
		return
	}
	var req resolveRequest
	if !decodeJSON(w, r, MaxBodyBytes, &req) {
		return
	}
	req.Reason = strings.TrimSpace(req.Reason)
	if (req.Keep == "") == (len(req.Value) == 0) || (req.Keep != "" && req.Keep != isync.KeepWinner && req.Keep != isync.KeepLoser) {
		writeError(w, http.StatusBadRequest, "invalid", `give either "keep": "winner" or "loser", or a "value"`, "keep")
		return
	}
	var res isync.Result
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		var err error
		res, err = s.Engine.ResolveConflict(tx, p.Actor(), v.ID, mux.Vars(r)["conflict_id"],
			isync.ConflictDecision{Keep: req.Keep, Value: req.Value, Reason: req.Reason, Version: req.Version})
		return err
	})
	if errors.Is(err, isync.ErrNoOpenConflict) {
		writeError(w, http.StatusNotFound, "not_found", err.Error(), "conflict_id")
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if res.Status == isync.StatusRejected {
		writeRejection(w, res.Error)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": res})
}

// reopenRequest is the body of POST /api/v1/visits/{id}/reopen.
type reopenRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) handleApproveVisit(w http.ResponseWriter, r *http.Request) {
	p, v, ok := s.loadVisitToDecide(w, r)
	if !ok {
		return
	}
	var body struct {
		// PublicationCheck is the digest of the publication check the
		// coordinator had on screen (GET …/publication-check); an approval
		// that names no digest, or one of a list that has changed since,
		// is refused (publication_check_stale) with the list as it is.
		PublicationCheck string `json:"publication_check"`
	}
	if r.ContentLength != 0 {
		var fields map[string]json.RawMessage
		if !decodeJSON(w, r, MaxBodyBytes, &fields) {
			return
		}
		if raw, ok := fields["publication_check"]; ok {
			if err := json.Unmarshal(raw, &body.PublicationCheck); err != nil {
				writeError(w, http.StatusBadRequest, "invalid", "publication_check must be the check's digest, a string", "publication_check")
				return
			}
		}
	}
	s.setVisitStatus(w, r, p, v, "approved", "", body.PublicationCheck)
}

func (s *Server) handleReopenVisit(w http.ResponseWriter, r *http.Request) {
	p, v, ok := s.loadVisitToDecide(w, r)
	if !ok {
		return
	}
	var req reopenRequest
	if !decodeJSON(w, r, MaxBodyBytes, &req) {
		return
	}
	s.setVisitStatus(w, r, p, v, "submitted", strings.TrimSpace(req.Reason), "")
}

// errStaleCheck ends an approval whose publication check is not the list of
// printable texts as it is (setVisitStatus); its transaction is rolled back.
var errStaleCheck = errors.New("the publication check shown is out of date")

// setVisitStatus approves or reopens a visit. Approval is refused with 409 and
// the open items while the visit's queue is not empty.
func (s *Server) setVisitStatus(w http.ResponseWriter, r *http.Request, p *Principal, v *store.Visit, status, reason, seenCheck string) {
	var fe *isync.FieldError
	var open []review.OpenItem
	var d *visitDetail
	var stale *publicationCheck
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		var items []string
		if status == "approved" {
			vc, err := visitConsolidation(tx, v)
			if err != nil {
				return err
			}
			open, items = vc.ToResolve, vc.OpenItemMessages()
		}
		var err error
		if fe, err = s.Engine.SetVisitStatus(tx, p.Actor(), v.ID, status, reason, items); err != nil || fe != nil {
			return err
		}
		if status == "approved" {
			// Nothing is approved for printing unless the coordinator had
			// the list of printable texts on screen as it is now: a phone
			// may have synced a label since the check was shown. Checked in
			// the approval's own transaction, so nothing can slip between.
			pc, err := s.buildPublicationCheck(tx, v.ID)
			if err != nil {
				return err
			}
			if pc.Digest != seenCheck {
				stale = pc
				return errStaleCheck
			}
			if err := tx.RecordPublicationCheck(v.ID, p.User.ID, seenCheck); err != nil {
				return err
			}
		}
		d, err = s.visitDetail(tx, v.ID)
		return err
	})
	if errors.Is(err, errStaleCheck) {
		writeJSON(w, http.StatusConflict, map[string]any{
			"error": APIError{Code: "publication_check_stale", Message: "the visit was not approved: the publication check named " +
				"is not the list of printable texts as it is now (it changed since it was shown, or none was named); " +
				"show publication_check and approve with its digest"},
			"publication_check": stale,
		})
		return
	}
	var eo *isync.ErrOpenItems
	if errors.As(err, &eo) {
		writeJSON(w, http.StatusConflict, map[string]any{
			"error": APIError{Code: "open_items", Message: fmt.Sprintf(
				"the visit cannot be approved: %d item(s) are still to resolve (members disagree or a sync conflict is open); "+
					"consolidate them first", len(open))},
			"open_items": open,
		})
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if fe != nil {
		switch {
		case fe.Code == isync.CodeForbidden:
			writeError(w, http.StatusForbidden, "forbidden", fe.Message, fe.Field)
		case fe.Field == "status":
			writeError(w, http.StatusConflict, "wrong_status", fe.Message, fe.Field)
		default:
			writeError(w, http.StatusBadRequest, "invalid", fe.Message, fe.Field)
		}
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// historyVisit is one visit of a facility's history.
type historyVisit struct {
	Visit      *store.Visit              `json:"visit"`
	Indicators []review.IndicatorSummary `json:"indicators"`
	Values     map[string]any            `json:"values"` // consolidated visit-level values by item
	Locations  []historyLocation         `json:"locations"`
	OpenItems  int                       `json:"open_items"`
}

// historyLocation is one location of a visit in a facility's history: its
// consolidated values and indicators, compactly.
type historyLocation struct {
	LocationID string             `json:"location_id"`
	Label      string             `json:"label"`
	Kind       string             `json:"kind"`
	Values     map[string]any     `json:"values"`
	Indicators []historyIndicator `json:"indicators"`
}

type historyIndicator struct {
	ID         string   `json:"id"`
	Value      *float64 `json:"value"`
	Band       string   `json:"band"`
	Applicable bool     `json:"applicable"`
}

// handleFacilityHistory answers GET /api/v1/facilities/{id}/history: the
// facility's visits oldest first, with the consolidated values and
// indicators of each, and its recommendations with their status history.
func (s *Server) handleFacilityHistory(w http.ResponseWriter, r *http.Request) {
	f, ok := s.loadFacility(w, r, mux.Vars(r)["id"])
	if !ok {
		return
	}
	status := r.URL.Query().Get("status")
	visits := []historyVisit{}
	var recs []*store.Recommendation
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		reader, err := s.readerFor(tx, principal(r))
		if err != nil {
			return err
		}
		list, err := tx.Visits(store.VisitFilter{FacilityID: f.ID, Status: status})
		if err != nil {
			return err
		}
		slices.Reverse(list) // oldest first: a history reads forwards
		for _, v := range list {
			vc, err := visitConsolidation(tx, v)
			if err != nil {
				return err
			}
			if err := redactConsolidation(tx, reader, v, vc); err != nil {
				return err
			}
			hv := historyVisit{Visit: v, Indicators: vc.Indicators, Values: consolidatedValues(vc.Visit),
				Locations: []historyLocation{}, OpenItems: len(vc.ToResolve)}
			for _, l := range vc.Locations {
				hl := historyLocation{LocationID: l.LocationID, Label: l.Label, Kind: l.Kind,
					Values: consolidatedValues(l), Indicators: []historyIndicator{}}
				for _, ind := range l.Indicators {
					hl.Indicators = append(hl.Indicators, historyIndicator{ID: ind.ID, Value: ind.Value, Band: ind.Band, Applicable: ind.Applicable})
				}
				hv.Locations = append(hv.Locations, hl)
			}
			visits = append(visits, hv)
		}
		if recs, err = tx.Recommendations(f.ID, ""); err != nil {
			return err
		}
		return redactRecommendations(tx, reader, f, recs)
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"facility": f, "visits": visits, "recommendations": recs})
}

// consolidatedValues maps each item with a consolidated value to that value,
// leaving out the values withheld from the reader (redactConsolidation).
func consolidatedValues(sc review.ScopeConsolidation) map[string]any {
	out := map[string]any{}
	for _, it := range sc.Items {
		if it.Status != review.ItemAgreed && it.Status != review.ItemDecided || it.Redacted {
			continue
		}
		out[it.Item] = it.Value
	}
	return out
}

// handleFacilityRecommendations answers GET /api/v1/facilities/{id}/recommendations?status=:
// what a team checks during its visit. Every role that may see the facility may list them.
func (s *Server) handleFacilityRecommendations(w http.ResponseWriter, r *http.Request) {
	f, ok := s.loadFacility(w, r, mux.Vars(r)["id"])
	if !ok {
		return
	}
	status := r.URL.Query().Get("status")
	if status != "" && !slices.Contains([]string{"open", "in_progress", "implemented", "not_implemented", "superseded"}, status) {
		writeError(w, http.StatusBadRequest, "invalid", "status must be open, in_progress, implemented, not_implemented or superseded", "status")
		return
	}
	var recs []*store.Recommendation
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		reader, err := s.readerFor(tx, principal(r))
		if err != nil {
			return err
		}
		if recs, err = tx.Recommendations(f.ID, status); err != nil {
			return err
		}
		return redactRecommendations(tx, reader, f, recs)
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"facility_id": f.ID, "recommendations": recs})
}

// handleAudit answers GET /api/v1/audit?type=&id= (one record) or
// ?visit_id= (every record of a visit): who changed what and when, from the
// op log. Coordinators read their region's records, admins every record;
// confidential notes' contents are shown to coordinators only.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	q := r.URL.Query()
	filter := store.AuditFilter{Type: q.Get("type"), RecordID: q.Get("id"), VisitID: q.Get("visit_id")}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 5000 {
			writeError(w, http.StatusBadRequest, "invalid", "limit must be between 1 and 5000", "limit")
			return
		}
		filter.Limit = n
	}
	switch {
	case filter.VisitID != "":
		filter.Type, filter.RecordID = "", ""
	case filter.Type == "" || filter.RecordID == "":
		writeError(w, http.StatusBadRequest, "invalid", "name a record with type and id, or a visit with visit_id", "type")
		return
	case store.RecordTypes[schema.RecordType(filter.Type)] == nil:
		writeError(w, http.StatusBadRequest, "invalid", "unknown record type "+strconv.Quote(filter.Type), "type")
		return
	}
	var entries []store.AuditEntry
	var region string
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		if filter.VisitID != "" {
			region, err = tx.RecordRegion(schema.RecordVisit, filter.VisitID)
		} else {
			region, err = tx.RecordRegion(schema.RecordType(filter.Type), filter.RecordID)
		}
		if err != nil {
			return err
		}
		if p.User.Role == schema.RoleCoordinator && region != p.User.Region {
			return nil
		}
		if entries, err = tx.AuditTrail(filter); err != nil {
			return err
		}
		reader, err := s.readerFor(tx, p)
		if err != nil {
			return err
		}
		return redactAudit(tx, reader, entries)
	})
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "not_found", "no such record on the server", "id")
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if p.User.Role == schema.RoleCoordinator && region != p.User.Region {
		writeError(w, http.StatusForbidden, "forbidden", "this record belongs to another region", "id")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}
