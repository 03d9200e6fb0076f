package schema

// Roles of Inspecta's users (SYNC.md, "Scope").
const (
	RoleMember      = "member"      // NPM member: visits they are on, in their region
	RoleCoordinator = "coordinator" // regional coordinator: everything in their region
	RoleStaff       = "staff"       // coalition staff: reads every region, no confidential notes
	RoleAdmin       = "admin"       // administrator: users, regions, devices
)

// ValidRole reports whether role is one of the four roles.
func ValidRole(role string) bool {
	switch role {
	case RoleMember, RoleCoordinator, RoleStaff, RoleAdmin:
		return true
	}
	return false
}

// RoleNeedsRegion reports whether users of role must belong to a region.
func RoleNeedsRegion(role string) bool {
	return role == RoleMember || role == RoleCoordinator
}

// FacilityTypes are the kinds of places of detention (SYNC.md, facility.type).
var FacilityTypes = []string{"ivs", "sizo", "colony", "special_reception", "reception_distribution",
	"juvenile_centre", "psychiatric", "social_care", "children_institution", "military_guardhouse", "other"}

// LocationKinds are the kinds of place within a facility (SYNC.md,
// location.kind). The first nine are those of the general checklist; the rest
// say what a place is precisely enough for the standard it is judged by
// (single or shared, police cell, a patient's ward or a resident's room), so
// that no checklist item asks the kind of place a second time. A template
// offers a subset (Template.LocationKinds).
// GeneralLocationKinds are the kinds of place a checklist naming none
// offers (the app's list for it, client/web/visit.js LOCATION_KINDS).
var GeneralLocationKinds = []string{"cell", "ward", "dormitory", "yard", "sanitary", "medical", "kitchen", "visiting_room", "other"}

var LocationKinds = []string{"cell", "ward", "dormitory", "yard", "sanitary", "medical", "kitchen", "visiting_room", "other",
	"shared_cell", "single_cell", "disciplinary_cell", "police_cell", "interview_room", "room", "single_room", "isolation_room"}
