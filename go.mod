module inspecta

go 1.26.0

require (
	github.com/google/uuid v1.6.0
	github.com/mattn/go-sqlite3 v1.14.53
	golang.org/x/crypto v0.59.0
)

require (
	github.com/gorilla/mux v1.8.1 // indirect
	github.com/jung-kurt/gofpdf v1.16.2 // indirect
)
