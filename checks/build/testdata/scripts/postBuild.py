#!/usr/bin/env python3
import subprocess
subprocess.check_call(["pip", "install", "nothing-here-is-shell"])
