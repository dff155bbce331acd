# syntax=docker/dockerfile:1
# imagebot's release image: one static binary on an empty base, run as a
# non-root user. Build it from the repository's root:
#
#   docker build --build-arg VERSION=v0.1.0 --build-arg REVISION=$(git rev-parse HEAD) -t imagebot .
#
# deploy/image_test.go builds the same image without Docker (from these
# instructions) and checks it: user, entrypoint, labels, the binary inside.

ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG REVISION=unknown
# A static binary (no libc in the runtime image); it carries Mozilla's CA
# roots (golang.org/x/crypto/x509roots/fallback) since scratch has none.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION} -X main.revision=${REVISION}" -o /out/imagebot ./cmd/imagebot

FROM scratch
ARG VERSION=dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/imagebot/imagebot
# The project has not chosen a licence yet: NOASSERTION is SPDX's word for that.
ARG LICENSES=NOASSERTION
LABEL org.opencontainers.image.title="imagebot" \
      org.opencontainers.image.description="GitHub App for JupyterHub user-image repositories" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="${LICENSES}"
COPY --from=build /out/imagebot /imagebot
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/imagebot"]
CMD ["serve"]
