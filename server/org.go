package server

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/http"

	"inspecta/report"
	"inspecta/store"
)

// orgBody is the organisation settings on the wire: the texts, and the logo
// as base64 PNG. In a PUT, a missing logo_png_base64 keeps the logo, "" removes it.
type orgBody struct {
	store.Org
	LogoPNGBase64 *string `json:"logo_png_base64,omitempty"`
}

// handleGetOrg serves GET /api/v1/org to every signed-in user: the settings
// print on every report, so they are no secret. The logo comes as base64.
func (s *Server) handleGetOrg(w http.ResponseWriter, r *http.Request) {
	var org *store.Org
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		org, err = tx.Org()
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	body := orgBody{Org: *org}
	if len(org.Logo) > 0 {
		enc := base64.StdEncoding.EncodeToString(org.Logo)
		body.LogoPNGBase64 = &enc
	}
	writeJSON(w, http.StatusOK, body)
}

// handlePutOrg replaces the organisation settings: PUT /api/v1/org, admins only.
func (s *Server) handlePutOrg(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var body orgBody
	// A logo of 256 KiB is about 350 KB in base64; the texts are small.
	if !decodeJSON(w, r, 512<<10, &body) {
		return
	}
	org := body.Org
	if field, err := org.Validate(); err != nil {
		writeError(w, http.StatusBadRequest, "invalid", err.Error(), field)
		return
	}
	var newLogo []byte
	if body.LogoPNGBase64 != nil && *body.LogoPNGBase64 != "" {
		raw, err := base64.StdEncoding.DecodeString(*body.LogoPNGBase64)
		if err != nil {
			writeError(w, http.StatusBadRequest, "invalid", "logo_png_base64 is not base64", "logo_png_base64")
			return
		}
		if newLogo, err = store.NormalizeLogo(raw); err != nil {
			writeError(w, http.StatusBadRequest, "invalid", store.ErrBadLogo.Error(), "logo_png_base64")
			return
		}
	}
	by := p.User.Name
	if by == "" {
		by = p.User.Username
	}
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		old, err := tx.Org()
		if err != nil {
			return err
		}
		switch {
		case body.LogoPNGBase64 == nil:
			org.Logo = old.Logo
		case newLogo != nil:
			org.Logo = newLogo
		default:
			org.Logo = nil
		}
		org.Demo = false // changed by a person: no longer the demo's settings
		return tx.SetOrg(&org, p.User.ID, by)
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	s.handleGetOrg(w, r)
}

// handleAnnualReport serves GET /api/v1/reports/annual.pdf and annual.csv
// (?from=&to=&region=KZ-KAR&region=…&lang=) to staff and admins: it covers
// every region asked for (all when none), which no coordinator or member may see.
func (s *Server) handleAnnualReport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principal(r)
		req, _, ok := reportRequest(w, r, p, "pdf")
		if !ok {
			return
		}
		if req.From.IsZero() || req.To.IsZero() {
			writeError(w, http.StatusBadRequest, "invalid", "an annual report needs both from and to (YYYY-MM-DD)", "from")
			return
		}
		regions := r.URL.Query()["region"]
		if _, err := report.ParseRegions(regions); err != nil {
			writeError(w, http.StatusBadRequest, "invalid", report.ErrUnknownRegion.Error(), "region")
			return
		}
		rep, err := report.NewBuilder(s.DB).Annual(r.Context(), regions, req)
		if errors.Is(err, report.ErrAnnualPeriod) {
			writeError(w, http.StatusBadRequest, "invalid", err.Error(), "from")
			return
		}
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		var buf bytes.Buffer
		if format == "pdf" {
			err = rep.WritePDF(&buf)
		} else {
			err = rep.WriteCSV(&buf)
		}
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		name := "annual-report-" + req.From.Format("2006-01-02") + "-" + req.To.Format("2006-01-02") + "-" + req.Lang
		sendReport(w, format, name, buf.Bytes())
	}
}
