"""Where the two cores went during a run (Linux /proc): the voters, the app, the database, and anything
else running on the machine, so that a slow figure can be told from a busy machine."""
import os
import resource
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _machine_busy():
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / TICK


def _process_cpu(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _own_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def database_backends(database):
    """The PostgreSQL server processes serving this database (their command line names it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if command.startswith("postgres: ") and f" {database} " in command:
            found.append(int(entry.name))
    return found


class CpuMeter:
    """CPU seconds used between start() and stop() by the voters (this process), the app's processes
    and the database's, and by the whole machine."""

    def __init__(self, app_pids, db_pids=lambda: []):
        self.app_pids, self.db_pids = app_pids, db_pids

    def _sample(self):
        return dict(machine=_machine_busy(), voters=_own_cpu(), wall=time.monotonic(),
                    app={pid: _process_cpu(pid) for pid in self.app_pids()},
                    db={pid: _process_cpu(pid) for pid in self.db_pids()})

    def start(self):
        self.begin = self._sample()

    def stop(self):
        end = self._sample()
        begin = self.begin

        def spent(kind):
            return sum(cpu - begin[kind].get(pid, 0.0) for pid, cpu in end[kind].items())

        wall = end["wall"] - begin["wall"]
        self.result = dict(wall=wall, machine=end["machine"] - begin["machine"],
                           voters=end["voters"] - begin["voters"], app=spent("app"), db=spent("db"))
        self.result["others"] = max(0.0, self.result["machine"] - self.result["voters"] - self.result["app"]
                                    - self.result["db"])
        return self.result


def wait_until_idle(share, limit):
    """Wait, at most `limit` seconds, until the machine was at least `share` idle over two seconds
    (on a shared machine, so that the timed run is not measuring someone else's work)."""
    deadline = time.monotonic() + limit
    while True:
        begin, wall = _machine_busy(), time.monotonic()
        time.sleep(2)
        idle = 1 - (_machine_busy() - begin) / ((time.monotonic() - wall) * os.cpu_count())
        if idle >= share or time.monotonic() >= deadline:
            return idle
