#!/usr/bin/env python3
"""`simulate -i` on a terminal: the line editor (libedit, opened when the prompt starts) reads a
line, Tab completes a host, and `quit` leaves. Runs istio-lint in a pseudo-terminal.

(`quit`, not Ctrl-D: a key typed while the terminal is still in its line mode, between the prompt
appearing and libedit switching to character mode, is read as a line either way, whereas an
end-of-file character there can be lost.)

Usage: prompt_test.py ISTIO_LINT SOURCE_DIR
"""
import os
import pty
import select
import signal
import sys
import tempfile
import time

binary, source = sys.argv[1], sys.argv[2]
fixture = os.path.join(source, "fixtures/simulate/shop")


def fail(message, seen=b""):
    print("FAIL:", message)
    print(seen.decode("utf-8", "replace"))
    sys.exit(1)


pid, fd = pty.fork()
if pid == 0:
    os.environ["HOME"] = tempfile.mkdtemp()  # no ~/.editrc; the history file goes there
    os.environ["TERM"] = "dumb"
    os.execv(binary, [binary, "simulate", "-i", fixture, "--gateway", "istio-system/public-gw",
                      "--port", "8443", "--scheme", "https"])

seen = b""
step = "starting"  # what the test waits for, for the watchdog's message


def watchdog(signum, frame):
    # Whatever blocks, end with what was seen rather than being killed silently by ctest.
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    fail(f"no progress for 45 s while {step}", seen)


signal.signal(signal.SIGALRM, watchdog)
signal.alarm(45)
consumed = 0  # read_until looks for its marker after the previous one's


def read_until(marker, timeout=20.0):
    global seen, consumed, step
    step = f"waiting for {marker!r}"
    deadline = time.monotonic() + timeout
    while marker not in seen[consumed:]:
        left = deadline - time.monotonic()
        if left <= 0:
            fail(f"no {marker!r} within {timeout} s", seen)
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            fail(f"the prompt ended before {marker!r}", seen)
        if not chunk:
            fail(f"the prompt ended before {marker!r}", seen)
        seen += chunk
    consumed = seen.index(marker, consumed) + len(marker)


read_until(b"simulate> ")
if b"no line editing" in seen:
    fail("the line editor did not open", seen)
# Tab completes the host, then the request is traced.
os.write(fd, b"GET shop.exa\t")
read_until(b"shop.example.com ")
os.write(fd, b"\r")
read_until(b"hop 1: gateway istio-system/ingressgateway")
read_until(b"virtual host: shop.example.com:443")
read_until(b"simulate> ")
os.write(fd, b"quit\r")
step = "waiting for istio-lint to exit"
deadline = time.monotonic() + 20
while True:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    if time.monotonic() > deadline:
        os.kill(pid, 9)
        fail("istio-lint did not exit after `quit`", seen)
    try:  # keep draining the terminal so the child never blocks writing to it
        if select.select([fd], [], [], 0.1)[0]:
            seen += os.read(fd, 4096)
    except OSError:
        pass
if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
    fail(f"exit status {status}", seen)
print("ok: simulate -i reads, completes, traces and quits on a terminal")
