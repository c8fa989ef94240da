#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, made from the build's real outputs.

Usage: seeds.py OUTDIR [BUILD]   (BUILD: the build folder, default "build")

Writes OUTDIR/<target>/<name> for the targets elf, sym, sig, board, devspec,
files and net: the real images (unsigned and signed, every arch built),
compact copies of them (headers and notes kept, segment data cut short;
for sym, only the symbol and string tables) that fuzz faster,
the board files, device trees made for them, command-line values, and
frames for the guest's IP stack. Nothing here is committed: the seeds
follow the build.
"""
import glob
import os
import struct
import sys

EM_X86_64, EM_AARCH64 = 62, 183
PT_LOAD, PT_NOTE = 1, 4
SIG_SIZE = 128


def put(out, target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def compact_elf(img, keep=32):
    """The image with each PT_LOAD cut to keep file bytes, notes whole."""
    if img[:4] != b"\x7fELF" or len(img) < 64:
        return None
    eh = bytearray(img[:64])
    phoff, = struct.unpack_from("<Q", eh, 32)
    phnum, = struct.unpack_from("<H", eh, 56)
    phs = [bytearray(img[phoff + 56 * i:phoff + 56 * (i + 1)])
           for i in range(phnum)]
    body = bytearray()
    at = 64 + 56 * phnum
    for ph in phs:
        typ, = struct.unpack_from("<I", ph, 0)
        off, = struct.unpack_from("<Q", ph, 8)
        filesz, = struct.unpack_from("<Q", ph, 32)
        if typ not in (PT_LOAD, PT_NOTE):
            continue
        n = filesz if typ == PT_NOTE else min(filesz, keep)
        pad = (-(at + len(body))) % 8
        body += b"\0" * pad
        struct.pack_into("<Q", ph, 8, at + len(body))
        struct.pack_into("<Q", ph, 32, n)
        body += img[off:off + n]
    struct.pack_into("<Q", eh, 32, 64)  # e_phoff
    struct.pack_into("<Q", eh, 40, 0)  # e_shoff
    struct.pack_into("<HHH", eh, 58, 64, 0, 0)  # e_shentsize, shnum, shstrndx
    return bytes(eh) + b"".join(bytes(p) for p in phs) + bytes(body)


def note(typ, desc, name=b"mote\0"):
    pad = lambda b: b + b"\0" * (-len(b) % 4)
    return struct.pack("<III", len(name), len(desc), typ) + pad(name) + \
        pad(desc)


def tiny_elf(machine, notes):
    """A minimal mote image: one R+X segment, one PT_NOTE."""
    text = b"\xf4" * 16
    eh_len, ph_len = 64, 56
    note_off = eh_len + 2 * ph_len
    text_off = note_off + len(notes)
    eh = b"\x7fELF\x02\x01\x01" + b"\0" * 9 + struct.pack(
        "<HHIQQQIHHHHHH", 2, machine, 1, 0x100000, eh_len, 0, 0, eh_len,
        ph_len, 2, 64, 0, 0)
    load = struct.pack("<IIQQQQQQ", PT_LOAD, 5, text_off, 0x100000, 0x100000,
                       len(text), 0x1000, 0x1000)
    nph = struct.pack("<IIQQQQQQ", PT_NOTE, 4, note_off, 0, 0, len(notes),
                      len(notes), 4)
    return eh + load + nph + notes + text


def manifest(devs, mem_max=64 << 20):
    d = struct.pack("<IIQ", 1, len(devs), mem_max)
    for kind, flags, name in devs:
        d += struct.pack("<II32s", kind, flags, name)
    return note(2, d)


BOOT = note(1, struct.pack("<IIQ", 1, 0, 0x100000))


def elf_seeds(out, build):
    real = sorted(glob.glob(build + "/*/*.elf"))
    for path in real:
        arch, name = path.split("/")[-2:]
        img = read(path)
        put(out, "elf", "real-%s-%s" % (arch, name), img)
        c = compact_elf(img)
        if c:
            put(out, "elf", "compact-%s-%s" % (arch, name), c)
    for m, an in ((EM_X86_64, "x86"), (EM_AARCH64, "arm64")):
        put(out, "elf", "tiny-%s" % an, tiny_elf(m, BOOT))
        put(out, "elf", "tiny-manifest-%s" % an, tiny_elf(m, BOOT + manifest(
            [(1, 0, b"data"), (1, 1, b"ro"), (2, 0, b"eth0")])))
        put(out, "elf", "tiny-manifest16-%s" % an, tiny_elf(m, BOOT + manifest(
            [(1 + i % 2, 0, b"d%d" % i) for i in range(16)], 0)))
    return real


def compact_syms(img, keep=48):
    """Only the image's first keep symbols and its string table."""
    if img[:4] != b"\x7fELF" or len(img) < 64:
        return None
    shoff, = struct.unpack_from("<Q", img, 40)
    shnum, = struct.unpack_from("<H", img, 60)
    shs = [img[shoff + 64 * i:shoff + 64 * (i + 1)] for i in range(shnum)]
    tab = [sh for sh in shs if len(sh) == 64 and
           struct.unpack_from("<I", sh, 4)[0] == 2]  # SHT_SYMTAB
    if not tab:
        return None
    link, = struct.unpack_from("<I", tab[0], 40)
    if link >= len(shs):
        return None
    soff, ssize = struct.unpack_from("<QQ", tab[0], 24)
    toff, tsize = struct.unpack_from("<QQ", shs[link], 24)
    syms = img[soff:soff + min(ssize, 24 * keep)]
    strs = img[toff:toff + tsize]
    at = 64 + 3 * 64
    sh = lambda typ, off, size, link, ent: struct.pack(
        "<IIQQQQIIQQ", 0, typ, 0, 0, off, size, link, 0, 8, ent)
    eh = bytearray(img[:64])
    struct.pack_into("<Q", eh, 32, 0)  # e_phoff
    struct.pack_into("<Q", eh, 40, 64)  # e_shoff
    struct.pack_into("<HHHH", eh, 56, 0, 64, 3, 0)  # phnum..shstrndx
    return bytes(eh) + b"\0" * 64 + sh(2, at, len(syms), 2, 24) + \
        sh(3, at + len(syms), len(strs), 0, 0) + syms + strs


def sym_seeds(out, build):
    for path in sorted(glob.glob(build + "/*/*.elf")):
        arch, name = path.split("/")[-2:]
        c = compact_syms(read(path))
        if c:
            put(out, "sym", "compact-%s-%s" % (arch, name), c)
    put(out, "sym", "empty", b"")
    put(out, "sym", "chain", struct.pack("<QQQQQQ", 0x100010, 0,
                                         0x100020, 0x401000, 0, 0x402000))


def trailer(signed_len, key_id=b"\x11" * 32, sig=b"\x30\x06" + b"\1" * 6):
    t = b"MOTE-SIG" + struct.pack("<HHHH", 1, 1, len(sig), 0) + key_id
    t += struct.pack("<Q", signed_len) + sig.ljust(72, b"\0")
    return t


def sig_seeds(out, build):
    for path in sorted(glob.glob(build + "/*/signed/*.elf")):
        arch, _, name = path.split("/")[-3:]
        img = read(path)
        put(out, "sig", "real-%s-%s" % (arch, name), img)
        payload = compact_elf(img[:-SIG_SIZE]) or b"x" * 64
        t = img[-SIG_SIZE:]
        t = t[:48] + struct.pack("<Q", len(payload)) + t[56:]
        put(out, "sig", "compact-%s-%s" % (arch, name), payload + t)
    p = b"payload " * 8
    put(out, "sig", "unsigned", p)
    put(out, "sig", "made-up", p + trailer(len(p)))
    put(out, "sig", "magic-inside", p + b"MOTE-SIG" + p)
    put(out, "sig", "two-trailers", p + trailer(len(p)) +
        trailer(len(p) + SIG_SIZE))
    put(out, "sig", "data-after", p + trailer(len(p)) + b"tail")
    put(out, "sig", "truncated", p + trailer(len(p))[:60])
    put(out, "sig", "only-trailer", trailer(0))


def fdt(root_props, children=()):
    """A flattened device tree (version 17) with string properties."""
    strings, struct_b = bytearray(), bytearray()

    def name_off(n):
        k = strings.find(n + b"\0")
        if k < 0:
            k = len(strings)
            strings.extend(n + b"\0")
        return k

    def node(name, props, kids):
        struct_b.extend(struct.pack(">I", 1) + name + b"\0")
        struct_b.extend(b"\0" * (-len(struct_b) % 4))
        for k, v in props:
            struct_b.extend(struct.pack(">III", 3, len(v), name_off(k)) + v)
            struct_b.extend(b"\0" * (-len(struct_b) % 4))
        for kn, kp in kids:
            node(kn, kp, ())
        struct_b.extend(struct.pack(">I", 2))

    node(b"", root_props, children)
    struct_b.extend(struct.pack(">I", 9))
    rsv = b"\0" * 16
    off_rsv = 40
    off_struct = off_rsv + len(rsv)
    off_strings = off_struct + len(struct_b)
    total = off_strings + len(strings)
    hdr = struct.pack(">10I", 0xd00dfeed, total, off_struct, off_strings,
                      off_rsv, 17, 16, 0, len(strings), len(struct_b))
    return hdr + rsv + bytes(struct_b) + bytes(strings)


def fdt_open_model(compat):
    """A tree that ends inside its root's unterminated "model" property:
    the shape that read past the buffer in board_detect_fdt."""
    strings = b"compatible\0model\0"
    c = compat + b"\0" * (1 + (-len(compat) - 1) % 4)
    sb = struct.pack(">II", 1, 0) + struct.pack(">III", 3, len(c), 0) + c
    sb += struct.pack(">III", 3, 4, 11) + b"abcd"
    off_strings = 40 + 16
    off_struct = off_strings + len(strings)
    hdr = struct.pack(">10I", 0xd00dfeed, off_struct + len(sb), off_struct,
                      off_strings, 40, 17, 16, 0, len(strings), len(sb))
    return hdr + b"\0" * 16 + strings + sb


def board_seeds(out, root):
    for path in sorted(glob.glob(root + "/boards/*.board")):
        text = read(path)
        name = os.path.basename(path)
        put(out, "board", "text-" + name, text)
        compat = b""
        for line in text.splitlines():
            if line.startswith(b"compatible"):
                compat = b"\0".join(line.split()[1:]) + b"\0"
        if compat:
            tree = fdt([(b"compatible", compat),
                        (b"model", b"a board like " + name.encode() + b"\0")],
                       [(b"cpus", [(b"#address-cells", b"\0\0\0\1")]),
                        (b"chosen", [(b"bootargs", b"console=ttyS0\0")])])
            put(out, "board", "fdt-" + name, tree)
    put(out, "board", "fdt-unknown", fdt([(b"compatible", b"acme,box\0"),
                                          (b"model", b"Acme Box\0")]))
    put(out, "board", "fdt-empty", fdt([]))
    put(out, "board", "fdt-open-model",
        fdt_open_model(b"raspberrypi,4-model-b"))
    put(out, "board", "text-cpus", b"name a\narch x86_64\nmodel m\n"
        b"mem-default 2M\nmem-max 4GiB\ncpus 0,2-5,63\n"
        b"allow-unsigned yes # comment\ncompatible a,b\tc,d\n")


def devspec_seeds(out):
    for i, s in enumerate([
            b"data=/var/lib/mote/data.img,ro", b"disk0=disk.img",
            b"eth0=tap0,mac=02:00:00:00:00:01", b"net.1=tap-x",
            b"a=b,ro,ro", b"e=t,mac=AA:bb:cc:dd:ee:ff", b"02:00:5e:10:00:01",
            b"64M", b"1GiB", b"512", b"3kb", b"18446744073709551615",
            b"arg1 ip=10.0.0.2/24 gw=10.0.0.1 --verbose",
            b"x=" + b"f" * 300 + b",mac=" + b"0" * 70]):
        put(out, "devspec", "s%02d" % i, s)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


OUR_MAC = b"\x02\0\0\0\0\x02"
PEER_MAC = b"\x02\0\0\0\0\x01"
BCAST = b"\xff" * 6
OUR_IP = bytes([10, 0, 0, 2])
PEER_IP = bytes([10, 0, 0, 1])


def eth(dst, typ, payload):
    return dst + PEER_MAC + struct.pack("!H", typ) + payload


def ip(proto, payload, src=PEER_IP, dst=OUR_IP, flags=0x4000, opts=b""):
    ihl = 5 + len(opts) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), 1,
                    flags, 64, proto, 0, src, dst) + opts
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return eth(OUR_MAC if dst != b"\xff" * 4 else BCAST, 0x800, h + payload)


def udp(sport, dport, data, src=PEER_IP, dst=OUR_IP, zero_sum=False):
    u = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    pseudo = src + dst + struct.pack("!BBH", 0, 17, len(u))
    s = 0 if zero_sum else (csum(pseudo + u) or 0xffff)
    return ip(17, u[:6] + struct.pack("!H", s) + u[8:], src, dst)


def ping(data=b"ping" * 8):
    m = struct.pack("!BBHHH", 8, 0, 0, 1, 1) + data
    return ip(1, m[:2] + struct.pack("!H", csum(m)) + m[4:])


def arp(op, spa=PEER_IP, tpa=OUR_IP, sha=PEER_MAC):
    p = struct.pack("!HHBBH", 1, 0x800, 6, 4, op) + sha + spa + \
        b"\0" * 6 + tpa
    return eth(BCAST if op == 1 else OUR_MAC, 0x806, p)


def dhcp(msg_type=2):
    p = bytearray(236)
    p[0:3] = b"\x02\x01\x06"
    p[4:8] = b"\x12\x34\x56\x78"
    p[16:20] = OUR_IP
    p[28:34] = OUR_MAC
    p += struct.pack("!I", 0x63825363)
    p += bytes([53, 1, msg_type, 1, 4, 255, 255, 255, 0, 3, 4]) + PEER_IP
    p += bytes([51, 4, 0, 0, 0x0e, 0x10, 54, 4]) + PEER_IP + b"\0\xff"
    return bytes(p)


def frag6(data, more=1):
    """An IPv6 fragment from the peer's link-local address to all nodes
    (lwIP keeps a first fragment 61 timer seconds: the teardown's flush
    must go on past its first minute for it)."""
    src = bytes.fromhex("fe80000000000000000000fffe000001")
    dst = bytes.fromhex("ff020000000000000000000000000001")
    fh = struct.pack("!BBHI", 17, 0, more, 0x12345678) + data
    h = struct.pack("!IHBB", 0x60000000, len(fh), 44, 64) + src + dst
    return b"\x33\x33\0\0\0\x01" + PEER_MAC + b"\x86\xdd" + h + fh


def rec(op, data):
    """One record of a fuzz_net input: length, operation, bytes."""
    return struct.pack("!HB", len(data), op) + data


def tcp(sport, dport, seq, ack, flags, data=b"", opts=b"", win=8192):
    """A TCP segment from the peer (flags: F S R P A as letters)."""
    bits = sum(v for k, v in zip("FSRPA", (1, 2, 4, 8, 16)) if k in flags)
    t = struct.pack("!HHIIBBHHH", sport, dport, seq, ack,
                    (5 + len(opts) // 4) << 4, bits, win, 0, 0) + opts + data
    pseudo = PEER_IP + OUR_IP + struct.pack("!BBH", 0, 6, len(t))
    return ip(6, t[:16] + struct.pack("!H", csum(pseudo + t)) + t[18:])


def net_seeds(out):
    """fuzz_net: frames and steps (see tests/fuzz/fuzz_net.c). The guest's
    initial sequence number is 0 there (its random numbers are zeros)."""
    F, TICK, ACT, DIAL = 0, 1, 2, 3
    mss = b"\x02\x04\x05\xb4"
    syn = tcp(4000, 7, 1000, 0, "S", opts=mss)
    est = [rec(F, arp(2)), rec(F, syn), rec(F, tcp(4000, 7, 1001, 1, "A"))]
    m = struct.pack("!BBHHH", 8, 0, 0, 1, 1) + b"f" * 2000
    m = m[:2] + struct.pack("!H", csum(m)) + m[4:]
    frag = [ip(1, m[:1480], flags=0x2000), ip(1, m[1480:], flags=185)]
    seeds = {
        "arp-ping": [rec(F, arp(1)), rec(F, ping()), rec(TICK | 4, b"")],
        "udp": [rec(F, arp(2)), rec(F, udp(1234, 7, b"hello")),
                rec(TICK, b"")],
        "tcp-echo-fin": est + [
            rec(F, tcp(4000, 7, 1001, 1, "PA", b"hello")), rec(TICK, b""),
            rec(F, tcp(4000, 7, 1006, 6, "A")),
            rec(F, tcp(4000, 7, 1006, 6, "FA")), rec(TICK | 4, b""),
            rec(F, tcp(4000, 7, 1007, 7, "A")), rec(TICK | 0xfc, b"")],
        "tcp-server-close": est + [rec(TICK, b""), rec(ACT | 4, b"\0"),
                                   rec(TICK | 8, b""),
                                   rec(F, tcp(4000, 7, 1001, 2, "FA")),
                                   rec(TICK | 0xfc, b"")],
        "tcp-send-zero-window": est + [
            rec(TICK, b""), rec(ACT | 16, b"\0" + b"d" * 3000),
            rec(F, tcp(4000, 7, 1001, 1, "A", win=0)), rec(TICK | 0xfc, b"")],
        "tcp-rst-syn-rcvd": [rec(F, syn), rec(F, tcp(4000, 7, 1001, 0, "R"))],
        "tcp-rst-established": est + [rec(F, tcp(4000, 7, 1001, 1, "RA"))],
        "tcp-rst-wrong-seq": est + [rec(F, tcp(4000, 7, 99, 1, "R")),
                                    rec(TICK, b"")],
        "tcp-ack-to-listener": [rec(F, tcp(4001, 7, 5, 5, "A"))],
        "tcp-options": [rec(F, tcp(4002, 7, 1, 0, "S",
                                   opts=b"\x02\x04\0\0\x03\x03\x0e\x01"
                                   b"\x08\x0a\0\0\0\1\0\0\0\0"))],
        "syn-flood": [rec(F, tcp(5000 + i, 7, i, 0, "S")) for i in range(20)],
        "dial": [rec(F, arp(2)), rec(DIAL, b"\0\x50"), rec(TICK | 4, b"")],
        "dial-udp": [rec(DIAL | 4, b"\0\x35query"), rec(F, arp(2))],
        "fragments": [rec(F, f) for f in frag] + [rec(TICK, b"")],
        "fragments-overlap": [rec(F, frag[0]), rec(F, frag[0]),
                              rec(F, ip(1, m[800:1600], flags=0x2000 | 100)),
                              rec(TICK | 0xfc, b"")],
        "fragment6-last": [rec(F, frag6(b"A" * 16))],
        "short": [rec(F, OUR_MAC + PEER_MAC + b"\x08"),
                  rec(F, eth(OUR_MAC, 0x800, b"\x45"))],
    }
    for name, recs in seeds.items():
        put(out, "net", name, b"\x00" + b"".join(recs))
    put(out, "net", "refusing-device", b"\x01" + b"".join(seeds["arp-ping"]))


def files_blob(entries):
    """A struct mote_files blob holding (path, contents) pairs."""
    head = 16 + 24 * len(entries)
    body, table = b"", b""
    for name, data in entries:
        n_off = head + len(body)
        body += name + b"\0"
        body += b"\0" * (-len(body) % 8)
        table += struct.pack("<QQQ", n_off, head + len(body), len(data))
        body += data
    return struct.pack("<IIII", 0x6c69666d, 1, len(entries), 0) + table + body


def files_seeds(out):
    put(out, "files", "empty", files_blob([]))
    put(out, "files", "two", files_blob([(b"etc/app.conf", b"name = x\n"),
                                         (b"certs/ca.pem", b"-----BEGIN")]))
    put(out, "files", "clash", files_blob([(b"etc", b"1"), (b"etc/x", b"2")]))
    put(out, "files", "dotdot", files_blob([(b"a/../b", b"")]))


def snap(mem_pages=(0, 3), ndev=1, image=b"\x7fELF" + b"\0" * 60,
         cpu=b"x86S" + b"\0" * 28, mem_size=2 << 20):
    """A snapshot laid out as monitor/snap.h says (made-up contents)."""
    npages = mem_size // 4096
    map_len = (npages + 7) // 8
    bitmap = bytearray(map_len)
    for p in mem_pages:
        bitmap[p // 8] |= 1 << (p % 8)
    dev = b""
    for i in range(ndev):
        dev += struct.pack("<II", 1, 0) + (b"d%d" % i).ljust(32, b"\0")
        dev += struct.pack("<QI", 2048, 512) + b"\0" * 6 + b"\0" * 2
        dev = dev.ljust((i + 1) * DEV_SIZE, b"\0")
    image_off = 4096
    cpu_off = image_off + len(image)
    dev_off = cpu_off + len(cpu)
    map_off = dev_off + len(dev)
    mem_off = (map_off + map_len + 4095) & ~4095
    h = b"MOTESNAP" + struct.pack("<II", 1, EM_X86_64)
    h += b"GenuineIntel family 6 model 85 stepping 7".ljust(64, b"\0")
    h += b"generic-x86_64".ljust(32, b"\0")
    h += struct.pack("<QQQQ", mem_size, 0, 2000000000, 1 << 60)
    h += struct.pack("<10Q", image_off, len(image), cpu_off, len(cpu),
                     dev_off, len(dev), map_off, map_len, mem_off,
                     len(mem_pages))
    h += struct.pack("<II", ndev, 0)
    body = h.ljust(4096, b"\0") + image + cpu + dev + bytes(bitmap)
    body = body.ljust(mem_off, b"\0")
    for p in mem_pages:
        body += bytes([p & 0xff]) * 4096
    return body + trailer(len(body))


DEV_SIZE = 64  # sizeof(struct mote_device); checked by snap_seeds


def snap_seeds(out):
    put(out, "snap", "valid", snap())
    put(out, "snap", "no-pages", snap(mem_pages=()))
    put(out, "snap", "no-devices", snap(ndev=0))
    put(out, "snap", "two-devices", snap(ndev=2))
    put(out, "snap", "truncated", snap()[:-300])
    put(out, "snap", "header-only", snap()[:4096])


def batch_seeds(out):
    # fuzz_batch: the input lands at guest address 0x1000, the struct
    # first; requests at 0x1100 (input offset 0x100), buffers after them
    def req(op, dev, sector, buf, length):
        return struct.pack("<IIQQQq", op, dev, sector, buf, length, 99)

    def batch(reqs, count=None):
        head = struct.pack("<QIIq", 0x1100, len(reqs) if count is None
                           else count, 0, 1)
        return head.ljust(0x100, b"\0") + b"".join(reqs) + b"\0" * 2048

    mixed = [req(1, 0, 3, 0x1800, 1024), req(0, 0, 3, 0x1c00, 1024),
             req(2, 0, 0, 0, 0), req(0, 1, 63, 0x1800, 512),
             req(1, 1, 0, 0x1800, 512), req(0, 2, 0, 0x1800, 512),
             req(0, 0, 64, 0x1800, 512), req(0, 7, 0, 0x1800, 512)]
    put(out, "batch", "mixed", batch(mixed))
    put(out, "batch", "onto-array", batch([req(0, 0, 0, 0x1000, 4096)]))
    put(out, "batch", "too-many", batch(mixed, 65))


def oci_seeds(out):
    # fuzz_oci: config.json as podman, containerd and the tests write it
    import json
    podman = {
        "ociVersion": "1.0.2-dev",
        "process": {"user": {"uid": 0, "gid": 0}, "args": ["/app.elf", "port=7"],
                    "env": ["PATH=/usr/bin", "HOSTNAME=x", "container=podman"],
                    "cwd": "/", "terminal": False, "noNewPrivileges": True,
                    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1048576,
                                 "soft": 1048576},
                                {"type": "RLIMIT_NPROC", "hard": 32768,
                                 "soft": 32768}]},
        "root": {"path": "rootfs"},
        "hostname": "x",
        "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
                   {"destination": "/etc/resolv.conf", "type": "bind",
                    "source": "/etc/resolv.conf",
                    "options": ["bind", "rprivate"]},
                   {"destination": "/dev/data", "type": "bind",
                    "source": "/etc/hostname", "options": ["rbind", "ro"]}],
        "annotations": {"io.container.manager": "libpod"},
        "linux": {"resources": {"memory": {"limit": 67108864},
                                "pids": {"limit": 2048}},
                  "cgroupsPath": "/libpod_parent/libpod-0123",
                  "namespaces": [{"type": "pid"},
                                 {"type": "network",
                                  "path": "/run/netns/netns-1"},
                                 {"type": "ipc"}, {"type": "uts"},
                                 {"type": "mount"}, {"type": "cgroup"}]},
    }
    put(out, "oci", "podman", json.dumps(podman).encode())
    ctr = {"ociVersion": "1.1.0", "root": {"path": "rootfs"},
           "process": {"args": ["/app.elf"], "cwd": "/"},
           "linux": {"namespaces": [{"type": "network"}, {"type": "pid"}],
                     "cgroupsPath": "/default/c1"},
           "annotations": {"io.kubernetes.cri.container-type": "sandbox"}}
    put(out, "oci", "containerd", json.dumps(ctr).encode())
    put(out, "oci", "user", json.dumps(dict(ctr, linux={"namespaces": [
        {"type": "user"}]})).encode())


def main():
    out = sys.argv[1]
    build = sys.argv[2] if len(sys.argv) > 2 else "build"
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    if not elf_seeds(out, build):
        sys.stderr.write("seeds.py: no images in %s/*/: seeds are made-up "
                         "ones only\n" % build)
    sym_seeds(out, build)
    sig_seeds(out, build)
    board_seeds(out, root)
    devspec_seeds(out)
    net_seeds(out)
    files_seeds(out)
    snap_seeds(out)
    batch_seeds(out)
    oci_seeds(out)


if __name__ == "__main__":
    main()
