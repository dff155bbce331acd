FROM quay.io/jupyter/datascience-notebook:python-3.11

USER root
SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# Install system packages
RUN apt-get update --yes && \
    apt-get install --yes --no-install-recommends \
    # a comment inside the continuation \
    curl \

    git && \
    apt-get clean && rm -rf /var/lib/apt/lists/*

USER ${NB_UID}

RUN --mount=type=cache,target=/home/jovyan/.cache/pip,uid=1000 \
    pip install --no-cache-dir \
        'jupyterlab-git==0.50.1' \ 
        # pinned for the workshop
        "dask[complete]" && \
    fix-permissions "${CONDA_DIR}"

RUN ["pip", "install", "--no-deps", "-e", "/home/jovyan/work/pkg"]
RUN ["/bin/bash", "-c", "mamba install -y -n base 'python=3.11' && mamba clean -afy"]
RUN echo 'done \\'
RUN echo "escaped backslash" \\
RUN pip install after-escaped
