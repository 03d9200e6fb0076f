package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"inspecta/schema"
)

// Record is one record a device writes while monitoring: a visit, a location
// or an observation, with the fields it sets. A generated visit is a list of
// them in the order a member records them.
type Record struct {
	Type   schema.RecordType
	ID     string
	Fields map[string]any
}

// Visit is one generated full visit: the visit record, its locations, every
// visit-level and location-level item of the checklist answered, and the
// final change of the visit's status to submitted.
type Visit struct {
	ID           string
	Records      []Record
	Observations int
}

// Generator makes realistic visits from a checklist template: values in the
// ranges monitors really find (a cell of 8 to 60 m², 12 to 28 °C), inside the
// item's own min and max, with a short note on some answers as members write them.
type Generator struct {
	tmpl *schema.Template
	rnd  *rand.Rand
}

// NewGenerator returns a generator over tmpl; the same seed gives the same values.
func NewGenerator(tmpl *schema.Template, seed uint64) *Generator {
	return &Generator{tmpl: tmpl, rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// realistic ranges of numeric items, as found on visits; an item not listed
// here gets the lower part of its template range.
var realistic = map[string][2]float64{
	"official_capacity":           {150, 1500},
	"team_size":                   {2, 6},
	"private_interviews_count":    {5, 40},
	"cell_area_m2":                {8, 60},
	"persons_present":             {1, 16},
	"wall_distance_m":             {2, 6},
	"ceiling_height_m":            {2.4, 3.5},
	"sleeping_places":             {2, 16},
	"hours_locked_in_h":           {12, 23.5},
	"outdoor_exercise_min":        {30, 120},
	"air_temperature_c":           {12, 28},
	"outdoor_temperature_c":       {-25, 35},
	"toilets_working":             {0, 3},
	"drinking_water_l_per_person": {1, 4},
	"showers_per_week":            {1, 3},
	"ramp_slope_percent":          {0, 15},
}

var notes = []string{
	"Замер рулеткой, без учёта санузла.",
	"Со слов дежурного, проверить по журналу.",
	"Окно заклеено плёнкой, открывается с трудом.",
	"Термометр поверен, замер у дальней стены.",
	"Жалобы на сырость в углу у окна.",
	"Камера ішінде желдеткіш жұмыс істемейді.",
	"Two bunks without mattresses.",
}

var texts = []string{
	"Пандус есть только у входа в административный корпус; в жилом блоке ступени без поручней.",
	"Доступ ко всем помещениям предоставлен без задержек, сопровождающий присутствовал при осмотре.",
	"Мүгедектігі бар адамдарға арналған дәретхана жоқ, көмекші құралдар берілмейді.",
}

var locationKinds = []string{"cell", "cell", "cell", "cell", "cell", "cell", "dormitory", "sanitary", "yard", "medical"}

// NewVisit generates a full visit at facility by a team, with the given
// number of locations, started at start.
func (g *Generator) NewVisit(facilityID string, team []string, locations int, start time.Time) Visit {
	v := Visit{ID: newID()}
	v.Records = append(v.Records, Record{Type: "visit", ID: v.ID, Fields: map[string]any{
		"facility_id": facilityID, "kind": "regular", "announced": false, "team": team,
		"started_at": start.UTC().Format(time.RFC3339), "ombudsperson_rep_present": g.rnd.IntN(3) == 0,
		"access_refused": false, "status": "draft", "checklist": g.tmpl.Ref(),
	}})
	var capacity float64
	for _, it := range g.tmpl.Items {
		if it.Scope != schema.ScopeVisit {
			continue
		}
		val := g.value(&it, start)
		switch it.ID {
		case "official_capacity":
			capacity = val.(float64)
		case "headcount":
			if capacity > 0 {
				val = math.Round(capacity * (0.6 + 0.45*g.rnd.Float64()))
			}
		}
		v.Records = append(v.Records, g.observation(v.ID, "", it.ID, val))
		v.Observations++
	}
	for l := range locations {
		kind := locationKinds[g.rnd.IntN(len(locationKinds))]
		loc := Record{Type: "location", ID: newID(), Fields: map[string]any{
			"visit_id": v.ID, "label": fmt.Sprintf("Камера № %d, блок %c", l+1, 'А'+rune(l/10)), "kind": kind}}
		v.Records = append(v.Records, loc)
		at := start.Add(time.Duration(30+l*12) * time.Minute)
		for _, it := range g.tmpl.Items {
			if it.Scope != schema.ScopeLocation {
				continue
			}
			v.Records = append(v.Records, g.observation(v.ID, loc.ID, it.ID, g.value(&it, at)))
			v.Observations++
		}
	}
	v.Records = append(v.Records, Record{Type: "visit", ID: v.ID, Fields: map[string]any{
		"status": "submitted", "ended_at": start.Add(time.Duration(60+locations*12) * time.Minute).UTC().Format(time.RFC3339)}})
	return v
}

func (g *Generator) observation(visitID, locationID, item string, value any) Record {
	f := map[string]any{"visit_id": visitID, "item": item, "value": value}
	if locationID != "" {
		f["location_id"] = locationID
	}
	if g.rnd.IntN(12) == 0 { // about one answer in twelve carries a note
		f["note"] = notes[g.rnd.IntN(len(notes))]
	}
	return Record{Type: "observation", ID: newID(), Fields: f}
}

// value draws a realistic answer to item, typed as the checklist wants it.
func (g *Generator) value(it *schema.Item, at time.Time) any {
	switch it.Type {
	case schema.TypeNumber, schema.TypeInteger:
		lo, hi := *it.Min, *it.Max
		if r, ok := realistic[it.ID]; ok {
			lo, hi = max(lo, r[0]), min(hi, r[1])
		} else {
			hi = lo + (hi-lo)*0.1
		}
		x := lo + (hi-lo)*g.rnd.Float64()
		if it.Type == schema.TypeInteger {
			return math.Round(x)
		}
		return math.Round(x*10) / 10
	case schema.TypeYesNo:
		return g.rnd.IntN(3) != 0
	case schema.TypeChoice:
		return it.Options[g.rnd.IntN(len(it.Options))].ID
	case schema.TypeDateTime:
		return at.UTC().Format(time.RFC3339)
	case schema.TypeText:
		s := texts[g.rnd.IntN(len(texts))]
		if it.MaxLength > 0 && len([]rune(s)) > it.MaxLength {
			s = string([]rune(s)[:it.MaxLength])
		}
		return s
	}
	return nil
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// SmallChange is what a monitor sends after a few minutes in one room of a
// visit already on the server: a new location and the answers to the first
// n-1 of its items (n operations in all).
func (g *Generator) SmallChange(visitID, label string, n int, at time.Time) []Record {
	loc := Record{Type: "location", ID: newID(), Fields: map[string]any{"visit_id": visitID, "label": label, "kind": "cell"}}
	records := []Record{loc}
	for _, it := range g.tmpl.Items {
		if len(records) == n {
			break
		}
		if it.Scope == schema.ScopeLocation {
			records = append(records, g.observation(visitID, loc.ID, it.ID, g.value(&it, at)))
		}
	}
	return records
}
