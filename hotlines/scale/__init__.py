"""Scale-out: the same per-page function on every core (`parallel`) and on Apache Spark (`spark`).

Neither has a page logic of its own: both call `hotlines.pipeline.tasks.build_page_record`,
the function `hotlines extract` calls, as cc-pyspark's jobs call `process_record`.
"""

import os


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), not the machine's count: the default `--jobs`."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return max(1, os.process_cpu_count() or 1)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)
