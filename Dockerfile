# Inspecta: one binary with its SQLite store (cgo) and embedded web app.
# Build:  docker build -t inspecta .
# Run:    docker run -p 8080:8080 -v inspecta-data:/data inspecta
# The flags of the build stage are kept in step with cmd/inspecta/build_test.go.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY third_party ./third_party
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/inspecta ./cmd/inspecta

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /data inspecta \
    && mkdir -p /data && chown inspecta /data
COPY --from=build /out/inspecta /usr/local/bin/inspecta
USER inspecta
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["inspecta"]
CMD ["serve", "--addr", ":8080", "--db", "/data/inspecta.db"]
