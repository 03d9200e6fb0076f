package server

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/gorilla/mux"

	"inspecta/schema"
	"inspecta/store"
	"inspecta/xlsform"
)

// checklistEntry is a checklist version as the app downloads it: the
// template, and whether it is the version new visits get.
type checklistEntry struct {
	*schema.Template
	Active  bool `json:"active"`
	Default bool `json:"default,omitempty"` // the checklist a new visit gets when none is chosen
}

// handleChecklists answers GET /api/v1/checklists: the active version of
// every checklist (the default first) and every other version a visit was
// recorded with, so that a phone shows each visit with its own version, and
// the list's signature. With ?known=SIGNATURE equal to the current one it
// answers {"unchanged": true, "signature": …} instead: the app asks at every
// sync at the cost of a few bytes.
//
// With ?region=CODE it answers what a new phone of that region needs before
// its first sync (each checklist is tens of kilobytes even compressed): the
// active checklists naming the type of a facility of the region, the general
// ones, and the versions the region's visits were recorded with. Its
// signature differs from the whole list's, so the app's next ask for the
// whole list brings the rest; it says "partial": true, and a phone does not
// take a checklist missing from it as no longer active.
func (s *Server) handleChecklists(w http.ResponseWriter, r *http.Request) {
	region := r.URL.Query().Get("region")
	var list []checklistEntry
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		cat, err := tx.Checklists()
		if err != nil {
			return err
		}
		if region != "" {
			types, used, err := tx.RegionChecklistNeeds(region)
			if err != nil {
				return err
			}
			list = regionEntries(checklistEntries(cat, used), types, used)
			return nil
		}
		used, err := tx.UsedChecklists()
		if err != nil {
			return err
		}
		list = checklistEntries(cat, used)
		return nil
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	sig := checklistsSignature(list)
	if r.URL.Query().Get("known") == sig {
		writeJSON(w, http.StatusOK, map[string]any{"unchanged": true, "signature": sig})
		return
	}
	answer := map[string]any{"checklists": list, "signature": sig}
	if region != "" {
		answer["partial"] = true // the phone keeps what it has beyond this list
	}
	writeJSONMaybeGzip(w, r, http.StatusOK, answer)
}

// checklistsSignature names the list: a stored version never changes, so
// its references and which are active say all.
func checklistsSignature(list []checklistEntry) string {
	h := sha256.New()
	for _, e := range list {
		active := "0"
		if e.Active {
			active = "1"
		}
		h.Write([]byte(e.Ref() + ":" + active + ";"))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func checklistEntries(cat *schema.Catalog, used map[string]bool) []checklistEntry {
	list := []checklistEntry{}
	for _, t := range cat.Active() {
		list = append(list, checklistEntry{Template: t, Active: true, Default: t == cat.Default()})
	}
	for _, t := range cat.All() {
		if used[t.Ref()] && !cat.IsActive(t) {
			list = append(list, checklistEntry{Template: t})
		}
	}
	return list
}

// regionEntries keeps of list the versions visits use, the general
// checklists and those naming one of types.
func regionEntries(list []checklistEntry, types []string, used map[string]bool) []checklistEntry {
	out := []checklistEntry{}
	for _, e := range list {
		keep := used[e.Ref()] || len(e.FacilityTypes) == 0
		for _, typ := range types {
			keep = keep || slices.Contains(e.FacilityTypes, typ)
		}
		if keep {
			out = append(out, e)
		}
	}
	return out
}

// maxChecklistBytes bounds an uploaded checklist file.
const maxChecklistBytes = 5 << 20

// handleListChecklistVersions answers GET /api/v1/checklist-versions (admins):
// every stored version, which is active, and how many visits use each.
func (s *Server) handleListChecklistVersions(w http.ResponseWriter, r *http.Request) {
	var list []store.ChecklistInfo
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		list, err = tx.ChecklistInfos()
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"versions": list})
}

// handleUploadChecklist answers POST /api/v1/checklist-versions (admins): the
// body is an XLSForm workbook or a JSON template. With ?preview=1 it only
// reads and checks it and answers the template, for showing in each language
// before storing; else it stores it (and with ?activate=1 activates it). A
// file that does not validate is answered 422 with every problem at its
// place ("problems": sheet, row, column, cell, message) and nothing stored.
func (s *Server) handleUploadChecklist(w http.ResponseWriter, r *http.Request) {
	preview, ok := flagParam(w, r, "preview")
	if !ok {
		return
	}
	activate, ok := flagParam(w, r, "activate")
	if !ok {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxChecklistBytes))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", "the file is larger than the limit of "+humanBytes(maxChecklistBytes), "")
		return
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "checklist"
	}
	t, format, err := xlsform.ReadChecklist(name, body)
	if err != nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
			"error":    APIError{Code: "checklist_invalid", Message: "the checklist was refused; nothing was stored"},
			"problems": checklistProblems(err),
		})
		return
	}
	if preview {
		writeJSON(w, http.StatusOK, map[string]any{"checklist": t, "format": format, "stored": false})
		return
	}
	source := store.SourceJSON
	if format == xlsform.FormatXLSForm {
		source = store.SourceXLSForm
	}
	var created bool
	err = s.DB.Write(r.Context(), func(tx *store.Tx) error {
		created, err = tx.ImportChecklist(t, source, principal(r).User.ID, activate)
		return err
	})
	switch {
	case errors.Is(err, store.ErrChecklistExists), errors.Is(err, store.ErrChecklistVersionOld):
		writeError(w, http.StatusConflict, "checklist_version", err.Error(), "version")
		return
	case errors.As(err, new(*store.IndicatorError)):
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
			"error":    APIError{Code: "checklist_invalid", Message: "the checklist was refused; nothing was stored"},
			"problems": checklistProblems(err),
		})
		return
	case err != nil:
		s.internalError(w, r, err)
		return
	}
	s.Log.Info("checklist imported", "ref", t.Ref(), "source", source, "created", created, "activated", activate)
	writeJSON(w, http.StatusOK, map[string]any{"checklist": t, "format": format, "stored": true, "created": created, "active": activate})
}

// checklistProblems lists a refusal's problems: a workbook's with their
// places, a JSON file's one per line (each names its JSON path).
func checklistProblems(err error) []xlsform.Problem {
	var xe *xlsform.Error
	if errors.As(err, &xe) {
		return xe.Problems
	}
	var out []xlsform.Problem
	for _, line := range strings.Split(err.Error(), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, xlsform.Problem{Code: "checklist_rule", Args: []string{line}, Message: line})
		}
	}
	return out
}

// handleGetChecklistVersion answers GET /api/v1/checklist-versions/{ref}
// (admins): the stored template, for preview.
func (s *Server) handleGetChecklistVersion(w http.ResponseWriter, r *http.Request) {
	t, ok := s.checklistVersion(w, r)
	if !ok {
		return
	}
	writeJSONMaybeGzip(w, r, http.StatusOK, map[string]any{"checklist": t})
}

// handleExportChecklist answers GET /api/v1/checklist-versions/{ref}/export
// ?format=xlsform|json (admins): the version as a file to download.
func (s *Server) handleExportChecklist(w http.ResponseWriter, r *http.Request) {
	t, ok := s.checklistVersion(w, r)
	if !ok {
		return
	}
	format := r.URL.Query().Get("format")
	var data []byte
	var err error
	var ctype, ext string
	switch format {
	case xlsform.FormatXLSForm:
		data, err = xlsform.Export(t)
		ctype, ext = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
	case xlsform.FormatJSON, "":
		var body []byte
		if body, err = store.TemplateJSON(t); err == nil {
			data, err = xlsform.IndentJSON(body)
		}
		ctype, ext = "application/json; charset=utf-8", "json"
	default:
		writeError(w, http.StatusBadRequest, "invalid", "format must be xlsform or json", "format")
		return
	}
	if err != nil {
		s.Log.Error("checklist export", "ref", t.Ref(), "err", err)
		writeError(w, http.StatusUnprocessableEntity, "export_refused", "this checklist cannot be written as "+format+"; export it as JSON", "format")
		return
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fmt.Sprintf("%s-v%d.%s", t.ID, t.Version, ext)))
	h.Set("Cache-Control", "no-store")
	w.Write(data)
}

// handleActivateChecklist answers POST /api/v1/checklist-versions/{ref}/activate
// (admins): new visits get this version; visits already started keep theirs.
func (s *Server) handleActivateChecklist(w http.ResponseWriter, r *http.Request) {
	ref := mux.Vars(r)["ref"]
	if _, _, err := schema.ParseRef(ref); err != nil {
		writeError(w, http.StatusBadRequest, "invalid", err.Error(), "ref")
		return
	}
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		return tx.ActivateChecklist(ref, principal(r).User.ID)
	})
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "not_found", "no such checklist version", "")
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	s.handleListChecklistVersions(w, r)
}

func (s *Server) checklistVersion(w http.ResponseWriter, r *http.Request) (*schema.Template, bool) {
	cat, err := s.DB.Checklists(r.Context())
	if err != nil {
		s.internalError(w, r, err)
		return nil, false
	}
	t := cat.Template(mux.Vars(r)["ref"])
	if t == nil {
		writeError(w, http.StatusNotFound, "not_found", "no such checklist version", "")
		return nil, false
	}
	return t, true
}
