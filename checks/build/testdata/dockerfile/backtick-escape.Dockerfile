# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN pip install `
    one `
    two
RUN echo C:\path\ && pip install three
