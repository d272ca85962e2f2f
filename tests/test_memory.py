"""The allocator's settings for the Monte Carlo's arrays (costcalc/memory.py)."""

import platform
import subprocess
import sys

import pytest

from costcalc.memory import tune_malloc

GLIBC = platform.libc_ver()[0] == "glibc"


@pytest.mark.skipif(not GLIBC, reason="mallopt's thresholds are glibc's")
def test_glibc_takes_both_thresholds():
    assert tune_malloc() is True


@pytest.mark.skipif(not GLIBC, reason="mallopt's thresholds are glibc's")
def test_a_freed_array_of_draws_stays_in_the_heap():
    # glibc's statistics: under the tuned thresholds an array of 2,000 x 24 draws is no mapping
    # of its own (hblks) and, freed, stays as free heap (fordblks); with glibc's defaults it is
    # mapped on its own, and unmapped when freed.
    script = """
import ctypes, sys
import numpy as np
from costcalc.memory import tune_malloc

class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
if sys.argv[1] == "tuned":
    tune_malloc()
before = libc.mallinfo2().hblks
x = np.ones((2000, 24))
mapped = libc.mallinfo2().hblks - before
del x
print(mapped, libc.mallinfo2().fordblks >= 2000 * 24 * 8)
"""
    out = {
        mode: subprocess.run(
            [sys.executable, "-c", script, mode], capture_output=True, text=True, check=True
        ).stdout.split()
        for mode in ("tuned", "default")
    }
    assert out["tuned"] == ["0", "True"]  # from the heap, and kept there once freed
    assert out["default"] == ["1", "False"]  # its own mapping, given back
