#!/usr/bin/env python3
"""Collect N sensor datagrams on PORT; check their form, order and rate.

  collector.py PORT N RATE
"""
import re
import socket
import sys
import time

port, n, rate = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", port))
s.settimeout(5.0)
print("ready", flush=True)
form = re.compile(rb"^\S+ seq=(\d+) temp=-?\d+\.\d\d hum=\d+\.\d\n$")
seqs, times, bad = [], [], 0
try:
    while len(seqs) < n:
        msg = s.recv(2048)
        m = form.match(msg)
        if not m:
            print("malformed sample: %r" % msg)
            bad += 1
            continue
        seqs.append(int(m.group(1)))
        times.append(time.monotonic())
except socket.timeout:
    print("only %d of %d samples arrived" % (len(seqs), n))
    bad += 1
if seqs != list(range(1, len(seqs) + 1)):
    print("samples out of order or missing: %s" % seqs[:10])
    bad += 1
if len(times) > 1:
    want = (len(times) - 1) / rate
    took = times[-1] - times[0]
    print("%d samples in %.2f s (%.2f s at rate %d)" %
          (len(times), took, want, rate))
    if not 0.8 * want <= took <= 1.5 * want + 0.1:
        print("rate is off")
        bad += 1
sys.exit(1 if bad else 0)
