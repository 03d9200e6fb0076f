package report

import (
	"testing"

	"inspecta/schema"
)

// Internals the external tests (package report_test) check against.

// StandardText is an indicator's standard as the PDF prints it.
func StandardText(lang string, ind *schema.Indicator) string { return standardText(lang, ind) }

// WorstJudged is the band the regional summary colours a facility's latest visit with.
func WorstJudged(vm *VisitModel) string { return worstJudged(vm) }

// PDFStreams returns a PDF's streams uncompressed, sorted.
func PDFStreams(t *testing.T, pdf []byte) [][]byte { return pdfStreams(t, pdf) }
