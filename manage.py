#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "costcalc.settings")
    from django.core.management import execute_from_command_line

    from costcalc.memory import tune_malloc

    tune_malloc()  # runserver and tco run the Monte Carlo too (costcalc/memory.py)

    execute_from_command_line(sys.argv)
