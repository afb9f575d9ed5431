# SPDX-License-Identifier: GPL-2.0
"""Constants of kmod/uapi/cgn.h for the python test helpers, read from the
header itself so the two cannot drift: CGN_A_INSTANCE becomes A_INSTANCE."""
import os
import re

_HDR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../kmod/uapi/cgn.h")


def _load():
    known = {}
    text = re.sub(r"/\*.*?\*/", "", open(_HDR).read(), flags=re.S)
    for name, value in re.findall(r'#define\s+CGN_(\w+)\s+("[^"]*"|\d+)', text):
        globals()[name] = value.strip('"') if value.startswith('"') else int(value)
    for body in re.findall(r"enum\s+\w+\s*{(.*?)}", text, flags=re.S):
        n = 0
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, val = (x.strip() for x in item.partition("="))
            if val:
                # "__CGN_X_MAX - 1" style: evaluate over what is known so far
                expr = re.sub(r"_*CGN_(\w+)", lambda m: str(known[m.group(1)]), val)
                n = int(eval(expr, {}))
            key = name.lstrip("_")[4:]
            known[key] = n
            if not name.startswith("__"):
                globals()[key] = n
            n += 1


_load()
