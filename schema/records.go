package schema

// RecordType names a synced record type (SYNC.md): the "type" of an
// operation, of a pulled change and of a conflict.
type RecordType string

// The synced record types.
const (
	RecordFacility         RecordType = "facility"
	RecordVisit            RecordType = "visit"
	RecordLocation         RecordType = "location"
	RecordObservation      RecordType = "observation"
	RecordConsolidation    RecordType = "consolidation"
	RecordRecommendation   RecordType = "recommendation"
	RecordConfidentialNote RecordType = "confidential_note"
	RecordObstruction      RecordType = "obstruction" // a refusal or delay of access at a visit
	RecordInterview        RecordType = "interview"   // one private interview: categories only, no name
	RecordPhoto            RecordType = "photo"       // a photo's metadata (its bytes go by their own endpoint)
)
