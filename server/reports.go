package server

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"inspecta/report"
	"inspecta/schema"
)

// reportRequest reads ?lang=&from=&to= (and ?kind= for CSV), answering 400
// itself when they are not valid. Who asked is the signed-in user's name.
func reportRequest(w http.ResponseWriter, r *http.Request, p *Principal, format string) (report.Request, string, bool) {
	q := r.URL.Query()
	req := report.Request{Lang: q.Get("lang"), GeneratedBy: p.User.Name}
	if req.Lang == "" {
		req.Lang = "ru"
	}
	var ok bool
	if req.IncludeUnapproved, ok = flagParam(w, r, "unapproved", "true"); !ok {
		return req, "", false
	}
	req.Detail = q.Get("detail")
	if req.GeneratedBy == "" {
		req.GeneratedBy = p.User.Username
	}
	var err error
	if req.From, err = report.ParseDate(q.Get("from")); err != nil {
		writeError(w, http.StatusBadRequest, "invalid", err.Error(), "from")
		return req, "", false
	}
	if req.To, err = report.ParseDate(q.Get("to")); err != nil {
		writeError(w, http.StatusBadRequest, "invalid", err.Error(), "to")
		return req, "", false
	}
	if err := req.Validate(); err != nil {
		field := "lang"
		if _, lerr := report.ParseLanguage(req.Lang); lerr == nil {
			field = "to"
			if _, derr := report.ParseDetail(q.Get("detail")); derr != nil {
				field = "detail"
			}
		}
		writeError(w, http.StatusBadRequest, "invalid", err.Error(), field)
		return req, "", false
	}
	kind := ""
	if format == "csv" {
		k := q.Get("kind")
		if k == "" {
			k = report.CSVObservations
		}
		if kind, err = report.ParseCSVKind(k); err != nil {
			writeError(w, http.StatusBadRequest, "invalid", err.Error(), "kind")
			return req, "", false
		}
	}
	return req, kind, true
}

// handleFacilityReport serves GET /api/v1/facilities/{id}/report.pdf and
// report.csv to staff, admins and the coordinator of the facility's region.
func (s *Server) handleFacilityReport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principal(r)
		f, ok := s.loadFacility(w, r, mux.Vars(r)["id"])
		if !ok {
			return
		}
		req, kind, ok := reportRequest(w, r, p, format)
		if !ok {
			return
		}
		rep, err := report.NewBuilder(s.DB).Facility(r.Context(), f.ID, req)
		if errors.Is(err, report.ErrUnknownFacility) {
			writeError(w, http.StatusNotFound, "not_found", "no facility with that id", "id")
			return
		}
		if errors.Is(err, report.ErrUnapproved) {
			writeError(w, http.StatusConflict, "unapproved", err.Error(), "unapproved")
			return
		}
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		var buf bytes.Buffer
		name := "facility-report-" + f.ID + "-" + req.Lang
		if format == "pdf" {
			err = rep.WritePDF(&buf)
		} else {
			err = rep.WriteCSV(&buf, kind)
			name += "-" + kind
		}
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		sendReport(w, format, name, buf.Bytes())
	}
}

// handleRegionReport serves GET /api/v1/regions/{code}/report.pdf and
// report.csv to staff, admins and the region's own coordinator.
func (s *Server) handleRegionReport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principal(r)
		code := strings.ToUpper(mux.Vars(r)["code"])
		if _, known := schema.RegionByCode(code); !known {
			writeError(w, http.StatusNotFound, "not_found", report.ErrUnknownRegion.Error(), "code")
			return
		}
		if own := visibleRegion(p); own != "" && own != code {
			writeError(w, http.StatusForbidden, "forbidden", "you can export reports of "+own+" only", "code")
			return
		}
		req, kind, ok := reportRequest(w, r, p, format)
		if !ok {
			return
		}
		rep, err := report.NewBuilder(s.DB).Region(r.Context(), code, req)
		if errors.Is(err, report.ErrUnapproved) {
			writeError(w, http.StatusConflict, "unapproved", err.Error(), "unapproved")
			return
		}
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		var buf bytes.Buffer
		name := "region-report-" + strings.ToLower(code) + "-" + req.Lang
		if format == "pdf" {
			err = rep.WritePDF(&buf)
		} else {
			err = rep.WriteCSV(&buf, kind)
			name += "-" + kind
		}
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		sendReport(w, format, name, buf.Bytes())
	}
}

// sendReport answers with a finished report as a download; it is rendered in
// full first so that a failure is a clean 500, never half a file.
func sendReport(w http.ResponseWriter, format, name string, body []byte) {
	h := w.Header()
	if format == "pdf" {
		h.Set("Content-Type", "application/pdf")
	} else {
		h.Set("Content-Type", "text/csv; charset=utf-8")
	}
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name + "." + format}))
	h.Set("Cache-Control", "no-store") // reports are not for shared caches
	h.Set("Content-Length", itoa(int64(len(body))))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
