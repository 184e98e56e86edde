"""What the report-format checks (sarif_test.py, junit_test.py) share: running the binary from the
source directory, and collecting failed checks so that one run reports all of them."""
import os
import subprocess
import sys


class ReportChecks:
    def __init__(self, binary, source):
        self.binary = binary
        self.failures = []
        os.chdir(source)

    def check(self, cond, msg):
        if not cond:
            self.failures.append(msg)

    def run(self, args):
        """Runs istio-lint; exit codes other than 0 and 1 end the test."""
        p = subprocess.run([self.binary] + args, capture_output=True, text=True, timeout=60)
        if p.returncode not in (0, 1):
            sys.exit(f"istio-lint {' '.join(args)}: exit {p.returncode}\n{p.stderr}")
        return p

    def finish(self, summary):
        """Exits 1 listing the failed checks, or prints `summary` and returns."""
        if self.failures:
            print("\n".join(self.failures))
            sys.exit(1)
        print(summary)
