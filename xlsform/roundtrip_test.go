package xlsform_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"inspecta/schema"
	"inspecta/xlsform"
)

// TestEmbeddedRoundTrip: every embedded checklist exported to XLSForm and
// imported again is the same template, field for field.
func TestEmbeddedRoundTrip(t *testing.T) {
	ts, err := schema.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, tmpl := range ts {
		t.Run(tmpl.Ref(), func(t *testing.T) {
			data, err := xlsform.Export(tmpl)
			if err != nil {
				t.Fatalf("Export: %v", err)
			}
			back, err := xlsform.Import(data)
			if err != nil {
				t.Fatalf("Import(Export(%s)): %v", tmpl.Ref(), err)
			}
			want, _ := json.MarshalIndent(tmpl, "", " ")
			got, _ := json.MarshalIndent(back, "", " ")
			if !bytes.Equal(want, got) {
				t.Fatalf("round trip of %s differs:\n%s", tmpl.Ref(), lineDiff(want, got))
			}
		})
	}
}

func lineDiff(a, b []byte) string {
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(al) && i < len(bl); i++ {
		if !bytes.Equal(al[i], bl[i]) {
			from := max(0, i-5)
			return "want:\n" + string(bytes.Join(al[from:min(len(al), i+3)], []byte("\n"))) +
				"\ngot:\n" + string(bytes.Join(bl[from:min(len(bl), i+3)], []byte("\n")))
		}
	}
	return "lengths differ"
}
