# syntax=docker/dockerfile:1.4
FROM quay.io/jupyter/minimal-notebook:2024-10-03

RUN <<EOF
set -eux
mamba install -y --file /tmp/environment.lock
pip install --require-hashes -r /tmp/requirements.txt
EOF

RUN <<-'SCRIPT'
	pip install chomped
	SCRIPT

RUN <<A <<"B"
mamba install -y from-a
A
pip install from-b
B

RUN bash -e <<EOF
pip install via-bash
EOF

RUN python3 <<EOF
import subprocess
subprocess.run(["pip", "install", "not-a-shell-command"])
EOF

RUN <<EOF
#!/usr/bin/env python3
print("pip install also-not-shell")
EOF

RUN cat <<EOF > /etc/pip.conf && pip install after-config
[global]
index-url = https://example.org/simple
pip install notrun
EOF

COPY <<EOF /home/jovyan/.condarc
RUN pip install inside-a-copied-file
EOF

ONBUILD RUN <<EOF
pip install for-child-images
EOF
RUN pip install last
