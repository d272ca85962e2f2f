"""A verbatim copy of costcalc/engine before the kernel rewrite: the reference it must match.

Only the relative imports are adjusted: the data classes (assumptions, Inputs, Option...) are
the engine's own, so old and new run on the very same objects. Deleted once the kernel is in.
"""
