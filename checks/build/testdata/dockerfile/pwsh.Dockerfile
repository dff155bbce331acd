FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04 AS win
SHELL ["pwsh", "-Command"]
RUN pip install not-posix
RUN ["pip", "install", "exec-form-still-runs"]
FROM python:3.12 AS linux
RUN pip install posix-again
