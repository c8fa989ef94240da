#!/usr/bin/env python3
"""Host-side clients for the network tests (run inside the namespace).

  udpclient.py echo HOST PORT N      N datagrams one by one, then a burst
  udpclient.py put HOST PORT N [LOG] PUT key0..keyN-1; acked keys to LOG
                                     (with LOG: stop when the server is gone)
  udpclient.py get HOST PORT N       GET them back and compare
Prints one line per failure and exits 1 if anything failed.
"""
import os
import socket
import sys


def value(i):
    return "v%d-%s" % (i, "x" * (i % 200))


def echo(s, addr, n):
    bad = 0
    for i in range(n):
        msg = os.urandom(1 + i % 1400)
        s.sendto(msg, addr)
        try:
            got, frm = s.recvfrom(2048)
        except socket.timeout:
            print("datagram %d: no echo" % i)
            bad += 1
            continue
        if got != msg or frm != addr:
            print("datagram %d: wrong echo (%d bytes from %s)" %
                  (i, len(got), frm))
            bad += 1
    burst = [b"burst %d " % i + os.urandom(64) for i in range(24)]
    for m in burst:
        s.sendto(m, addr)
    got = []
    try:
        while len(got) < len(burst):
            got.append(s.recvfrom(2048)[0])
    except socket.timeout:
        pass
    if sorted(got) != sorted(burst):
        print("burst: %d of %d echoed correctly" %
              (len(set(got) & set(burst)), len(burst)))
        bad += 1
    return bad


def ask(s, addr, req):
    for _ in range(5):
        s.sendto(req.encode(), addr)
        try:
            return s.recvfrom(2048)[0].decode(errors="replace")
        except socket.timeout:
            continue
    return None


def put(s, addr, n, log):
    bad = 0
    out = open(log, "a", buffering=1) if log else None
    for i in range(n):
        r = ask(s, addr, "PUT key%d %s" % (i, value(i)))
        if r is None and out:
            break  # the server is gone (the kill test): stop writing
        if r != "OK\n":
            print("PUT key%d: %r" % (i, r))
            bad += 1
        elif out:
            out.write("%d\n" % i)
    return bad


def get(s, addr, n):
    bad = 0
    for i in range(n):
        r = ask(s, addr, "GET key%d" % i)
        if r != "VALUE %s\n" % value(i):
            print("GET key%d: %r" % (i, r if r is None else r[:40]))
            bad += 1
    return bad


def main():
    mode, host, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
        int(sys.argv[4])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.0)
    addr = (host, port)
    if mode == "echo":
        bad = echo(s, addr, n)
    elif mode == "put":
        bad = put(s, addr, n, sys.argv[5] if len(sys.argv) > 5 else None)
    else:
        bad = get(s, addr, n)
    print("%s: %d of %d failed" % (mode, bad, n))
    sys.exit(1 if bad else 0)


main()
