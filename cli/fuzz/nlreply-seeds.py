#!/usr/bin/env python3
# The seeds of the nlreply fuzzer (fuzz/corpus/nlreply/), written as the
# kernel would send them: binary, so they are made here, where they can
# be read.  Family id, port id and sequence number are nlreply.c's.
# Usage: fuzz/nlreply-seeds.py   (from cli/; rewrites the directory's seeds)
import os
import struct

FAMILY, PORTID, SEQ = 0x1A, 4242, 1
NLMSG_ERROR, GENL_ID_CTRL = 2, 16
NLM_F_MULTI, NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x2, 0x100, 0x200


def pad(b):
    return b + b"\0" * (-len(b) % 4)


def attr(t, payload):
    return pad(struct.pack("=HH", 4 + len(payload), t) + payload)


def u16(t, v):
    return attr(t, struct.pack("=H", v))


def u32(t, v):
    return attr(t, struct.pack("=I", v))


def u64(t, v):
    return attr(t, struct.pack("=Q", v))


def strz(t, s):
    return attr(t, s.encode() + b"\0")


def nest(t, *attrs):
    return attr(t, b"".join(attrs))


def msg(mtype, payload, flags=0, seq=SEQ, pid=PORTID):
    return pad(struct.pack("=IHHII", 16 + len(payload), mtype, flags, seq, pid) + payload)


def genl(mtype, cmd, *attrs, **kw):
    return msg(mtype, struct.pack("=BBH", cmd, 1, 0) + b"".join(attrs), **kw)


def ack(error=0, tlvs=b""):
    # Our request's header only (NETLINK_CAP_ACK), then the extack TLVs
    req = struct.pack("=IHHII", 36, FAMILY, 5, SEQ, 0)
    flags = NLM_F_CAPPED | (NLM_F_ACK_TLVS if tlvs else 0)
    return msg(NLMSG_ERROR, struct.pack("=i", error) + req + tlvs, flags=flags)


POLICY = genl(FAMILY, 2, u32(1, 250), u32(2, 1), u32(3, 0), u32(4, 10000))
STATS = genl(FAMILY, 3, u32(1, 6), u64(2, 1 << 33), u32(3, 1), u32(4, 0), u32(5, 4),
             u32(6, 1), u32(7, 1), u32(8, 0), u32(9, 2),
             nest(10, u32(1, 0), u32(2, 2), u32(3, 0)),
             nest(10, u32(1, 2), u32(2, 1500), u32(3, 4)),
             nest(10, u32(1, 1500), u32(3, 2)))
FAMILY_REPLY = genl(GENL_ID_CTRL, 1, u16(1, FAMILY), strz(2, "oom"), u32(3, 1),
                    nest(7, nest(1, strz(1, "config"), u32(2, 5)),
                         nest(2, strz(1, "events"), u32(2, 6))))
RANGE_ERROR = ack(-34, strz(1, "integer out of range") + u32(2, 20) +
                  nest(4, u32(1, 3), u64(4, 0), u64(5, 10000)))
MISSING = ack(-22, strz(1, "missing attribute") + u32(5, 3))
VICTIM = genl(FAMILY, 5, u64(1, 10), u64(2, 8200785998), u32(3, 175), u32(4, 175),
              strz(5, "tail"), u32(6, 0), u64(7, 13), u32(8, 0xFFFFFC18),
              u32(9, 32648), u32(10, 4), u32(11, 1344), u32(12, 0), seq=0, pid=0)
QUEUED = genl(FAMILY, 6, u64(1, 11), u64(2, 8201477705), u32(3, 175), u32(13, 2000),
              u32(14, 0), seq=0, pid=0)
DONE = genl(FAMILY, 7, u64(1, 12), u64(2, 1 << 63), u32(3, 175), u32(15, 0), u32(16, 1),
            u32(17, 1), u32(18, 0), u64(19, 44), seq=0, pid=0)
POLICY_NTF = genl(FAMILY, 4, u32(1, 3), u32(2, 6000000000 & 0xFFFFFFFF), u32(3, 250),
                  u32(4, 0), u32(5, 0), u32(6, 1), seq=0, pid=0)

seeds = {
    "policy-reply": POLICY + ack(),
    "stats-reply": STATS + ack(),
    "family-reply": FAMILY_REPLY + ack(),
    "range-error": RANGE_ERROR,
    "missing-attr": MISSING,
    "ack-only": ack(),
    "done": msg(3, struct.pack("=i", 0), flags=NLM_F_MULTI),
    "notifications": VICTIM + QUEUED + DONE + POLICY_NTF,
    "stray-then-reply": VICTIM + POLICY + ack(),
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "nlreply")
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
