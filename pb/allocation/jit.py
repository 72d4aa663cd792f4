"""numba's `njit` for the allocation kernel, its compiled code kept per version of the kernel.

numba keeps each compiled function on disk, valid for as long as the function's own file
is unchanged; but the code it keeps for a function includes every function it calls, and
the kernel's run (`interval.py`) calls into `rounds.py` and `bounds.py`. A change to
`bounds.py` alone would leave the run's stale code in use. So the folder numba keeps code
in is named after a hash of all the kernel's files (`SOURCES`): a new version compiles afresh (some 15 s, once) and never meets
another's code. `NUMBA_CACHE_DIR`, when set, says where these folders go.
"""
import hashlib
import os
from pathlib import Path

import numba

SOURCES = ("bounds.py", "rounds.py", "interval.py", "jit.py")
_HERE = Path(__file__).resolve().parent


def cache_folder() -> Path:
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((_HERE / name).read_bytes())
    base = Path(os.environ.get("NUMBA_CACHE_DIR") or _HERE / "__pycache__")
    return base / f"kernel-{digest.hexdigest()[:16]}"


numba.config.CACHE_DIR = str(cache_folder())    # read by each cached function as it is defined


def njit(*args, **options):
    """numba.njit, cached in `cache_folder()`."""
    return numba.njit(*args, cache=True, **options)
