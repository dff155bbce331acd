# syntax=docker/dockerfile:1
ARG REGISTRY=quay.io
ARG OWNER="jupyter"
ARG TAG=2024-10-03
ARG BASE=${REGISTRY}/${OWNER}/scipy-notebook:${TAG}
ARG BUILDER
ARG NODE_TAG

FROM --platform=$BUILDPLATFORM golang:1.22 AS Build
ARG LATE=9.9
RUN go build ./...

FROM ${BUILDER:-python:3.12-slim} AS wheels
RUN pip wheel -w /wheels .

FROM node:${NODE_TAG} AS assets

FROM scratch AS empty

FROM $BASE
COPY --from=build /out /usr/local/bin/
FROM build AS again
from BUILD
FROM img:${LATE}
FROM quay.io/jupyter/base-notebook@sha256:9b1b1d2a5dc3b0e6e8f8a5f6c4bb16a0a1e0d4c3f2b1a09f8e7d6c5b4a392817
FROM localhost:5000/team/image
FROM "docker.io/library/ubuntu:latest"
