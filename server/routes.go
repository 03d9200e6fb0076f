package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gorilla/mux"

	"inspecta/schema"
)

// The API, top to bottom: one row per endpoint, with who may call it. A new
// endpoint is a new row here; its handler lives in the file of its resource.
func (s *Server) api() []route {
	const (
		member      = schema.RoleMember
		coordinator = schema.RoleCoordinator
		staff       = schema.RoleStaff
		admin       = schema.RoleAdmin
	)
	// Only the coordinator of a visit's region decides on it (consolidates,
	// resolves its conflicts, checks and clears its texts for publication,
	// approves, reopens); loadVisitToDecide checks the region once it has
	// loaded the visit.
	decider := only(coordinator).refusing("only the region's coordinator consolidates, approves or reopens a visit")
	return []route{
		// Open to anyone: health, signing in, and what the app needs before it.
		{"GET HEAD", "/healthz", public, s.handleHealth},
		{"POST", "/api/v1/auth/login", public, s.handleLogin},
		{"GET", "/api/v1/regions", public, s.handleRegions},
		{"GET", "/api/v1/checklists", public, s.handleChecklists},

		// The signed-in user, their session and colleagues.
		{"GET", "/api/v1/me", signedIn, s.handleMe},
		{"GET", "/api/v1/colleagues", only(member, coordinator), s.handleColleagues},
		{"POST", "/api/v1/auth/logout", signedIn, s.handleLogout},
		{"POST", "/api/v1/auth/unlock", only(admin), s.handleUnlock},

		// Facilities (reads are scoped to the user's region in the handler).
		{"GET", "/api/v1/facilities", signedIn, s.handleListFacilities},
		{"POST", "/api/v1/facilities", only(member, coordinator, admin), s.handleCreateFacility},
		{"GET", "/api/v1/facilities/{id}", signedIn, s.handleGetFacility},
		{"PATCH", "/api/v1/facilities/{id}", only(coordinator, admin), s.handlePatchFacility},

		// Sync (docs/protocol.md).
		{"POST", "/api/v1/sync/push", signedIn, s.handlePush},
		{"GET", "/api/v1/sync/pull", signedIn, s.handlePull},
		{"GET", "/api/v1/conflicts", only(coordinator, admin, staff), s.handleConflicts},
		{"GET", "/api/v1/quarantine", only(coordinator, admin), s.handleQuarantine},

		// The coordinator's desk: visits, consolidation, approval (issue 5).
		// Who reads which visit is decided by canReadVisit.
		{"GET", "/api/v1/visits", signedIn, s.handleListVisits},
		{"GET", "/api/v1/visits/{id}", signedIn, s.handleGetVisit},
		{"GET", "/api/v1/visits/{id}/consolidation", signedIn, s.handleGetConsolidation},
		{"POST", "/api/v1/visits/{id}/consolidations", decider, s.handlePostConsolidation},
		{"POST", "/api/v1/visits/{id}/conflicts/{conflict_id}/resolve", decider, s.handleResolveConflict},
		{"POST", "/api/v1/visits/{id}/approve", decider, s.handleApproveVisit},
		{"POST", "/api/v1/visits/{id}/reopen", decider, s.handleReopenVisit},
		// The pre-approval check of what a report will print (issue 12).
		{"GET", "/api/v1/visits/{id}/publication-check", decider, s.handlePublicationCheck},
		{"POST", "/api/v1/visits/{id}/publication-check/clear", decider, s.handleClearText},
		{"POST", "/api/v1/visits/{id}/publication-check/withhold", decider, s.handleWithholdText},
		{"POST", "/api/v1/visits/{id}/publication-check/publish", decider, s.handlePublishText},
		// The texts of the facility's recommendations made at no visit, which no visit's approval settles.
		{"GET", "/api/v1/facilities/{id}/publication-check", decider, s.handleFacilityPublicationCheck},
		{"POST", "/api/v1/facilities/{id}/publication-check/clear", decider, s.handleFacilityClearText},
		{"POST", "/api/v1/facilities/{id}/publication-check/withhold", decider, s.handleFacilityWithholdText},
		{"GET", "/api/v1/facilities/{id}/history", only(coordinator, staff, admin), s.handleFacilityHistory},
		{"GET", "/api/v1/facilities/{id}/recommendations", signedIn, s.handleFacilityRecommendations},
		// The earlier follow-ups for the reprisal check (schema.FollowUpAccess decides who reads them).
		{"GET", "/api/v1/facilities/{id}/followups", signedIn, s.handleFollowUps},
		{"GET", "/api/v1/audit", only(coordinator, admin), s.handleAudit},
		// Deleted visits and places of the coordinator's region, and their restore.
		{"GET", "/api/v1/deleted", decider, s.handleListDeleted},
		{"POST", "/api/v1/deleted/{type}/{id}/restore", decider, s.handleRestoreDeleted},

		// Reports.
		{"GET", "/api/v1/facilities/{id}/report.pdf", only(staff, coordinator, admin), s.handleFacilityReport("pdf")},
		{"GET", "/api/v1/facilities/{id}/report.csv", only(staff, coordinator, admin), s.handleFacilityReport("csv")},
		{"GET", "/api/v1/regions/{code}/report.pdf", only(staff, coordinator, admin), s.handleRegionReport("pdf")},
		{"GET", "/api/v1/regions/{code}/report.csv", only(staff, coordinator, admin), s.handleRegionReport("csv")},
		{"GET", "/api/v1/reports/annual.pdf", only(staff, admin), s.handleAnnualReport("pdf")},
		{"GET", "/api/v1/reports/annual.csv", only(staff, admin), s.handleAnnualReport("csv")},

		// The organisation printed on every report.
		{"GET", "/api/v1/org", signedIn, s.handleGetOrg},
		{"PUT", "/api/v1/org", only(admin), s.handlePutOrg},

		// Administration: users, devices, the account audit (issue 5).
		{"GET", "/api/v1/users", only(admin), s.handleListUsers},
		{"POST", "/api/v1/users", only(admin), s.handleCreateUser},
		{"PATCH", "/api/v1/users/{id}", only(admin), s.handlePatchUser},
		{"POST", "/api/v1/users/{id}/password", only(admin), s.handleSetPassword},
		{"GET", "/api/v1/devices", only(admin), s.handleListDevices},
		{"POST", "/api/v1/devices/{id}/revoke", only(admin), s.handleRevokeDevice},
		{"GET", "/api/v1/audit/accounts", only(admin), s.handleAccountAudit},

		// Photos (issue 18; docs/protocol.md, "Photos"): scoped like the
		// record they are attached to, decided in the handlers.
		{"POST", "/api/v1/photos", only(member, coordinator), s.handleAnnouncePhoto},
		{"GET", "/api/v1/photos", signedIn, s.handleListPhotos},
		{"GET", "/api/v1/photos/{id}", signedIn, s.handleGetPhoto},
		{"DELETE", "/api/v1/photos/{id}", only(member, coordinator), s.handleDeletePhoto},
		{"PUT", "/api/v1/photos/{id}/content", only(member, coordinator), s.handlePhotoContent},
		{"GET", "/api/v1/photos/{id}/image", signedIn, s.handlePhotoImage},
		{"POST", "/api/v1/photos/{id}/publication", only(coordinator).refusing("only the region's coordinator clears a photo for publication"), s.handlePhotoPublication},
		{"GET", "/api/v1/storage", only(admin), s.handleStorage},

		// Checklists as data (issue 17, docs/checklists.md): versions, upload
		// (XLSForm or JSON; ?preview=1 checks only), activation, export.
		{"GET", "/api/v1/checklist-versions", only(admin), s.handleListChecklistVersions},
		{"POST", "/api/v1/checklist-versions", only(admin), s.handleUploadChecklist},
		{"GET", "/api/v1/checklist-versions/{ref}", only(admin), s.handleGetChecklistVersion},
		{"GET", "/api/v1/checklist-versions/{ref}/export", only(admin), s.handleExportChecklist},
		{"POST", "/api/v1/checklist-versions/{ref}/activate", only(admin), s.handleActivateChecklist},
	}
}

// route is one endpoint: its methods (space-separated), its path (gorilla/mux
// pattern), who may call it, and its handler.
type route struct {
	methods string
	path    string
	who     access
	handler http.HandlerFunc
}

// access says who may call a route: anyone, any signed-in user, or signed-in
// users of the listed roles.
type access struct {
	token   bool     // a valid bearer token is required
	roles   []string // when set, only these roles; others get 403
	refusal string   // the 403 sentence; "your role (…) may not do this" if empty
}

var (
	public   = access{}
	signedIn = access{token: true}
)

// only lets signed-in users of the roles call a route.
func only(roles ...string) access { return access{token: true, roles: roles} }

// refusing returns a with the sentence a refused role is answered with.
func (a access) refusing(sentence string) access {
	a.refusal = sentence
	return a
}

// routes builds the router from the table, each route's checks wrapped
// around its handler once, here, rather than on every request.
func (s *Server) routes() *mux.Router {
	r := mux.NewRouter()
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeError(w, http.StatusNotFound, "not_found", "no such API endpoint", "")
			return
		}
		s.serveClient(w, r)
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed here", "")
	})
	for _, rt := range s.api() {
		r.Handle(rt.path, s.guard(rt.who, rt.handler)).Methods(strings.Fields(rt.methods)...)
	}
	return r
}

// guard wraps h in the checks a's callers must pass.
func (s *Server) guard(a access, h http.Handler) http.Handler {
	if len(a.roles) > 0 {
		h = allowRoles(a, h)
	}
	if a.token {
		h = s.authenticate(h)
	}
	return h
}

// allowRoles answers 403 unless the signed-in user has one of a's roles.
func allowRoles(a access, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		role := principal(r).User.Role
		if !slices.Contains(a.roles, role) {
			why := a.refusal
			if why == "" {
				why = "your role (" + role + ") may not do this"
			}
			writeError(w, http.StatusForbidden, "forbidden", why, "")
			return
		}
		next.ServeHTTP(w, r)
	})
}
