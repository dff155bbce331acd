ARG TAG=2024-10-03
FROM quay.io/jupyter/r-notebook:${TAG}

RUN mamba install --yes \
    nbgitpuller \
    pandas && \
    mamba clean --all -f -y
