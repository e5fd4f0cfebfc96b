"""An app process that opens its embedded database and has 8 desks use sessions as fast as they can, printing
"ack <request id>" for every use it saw applied, until it is killed.

    python -m tests.faults.app_burst DATA_DIR atomic|naive PACKAGE_ID...

naive: the way a careless app does it, the counter in one transaction and the ledger row in a second one."""

from __future__ import annotations

import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg

from tutor_desktop.db.bootstrap import open_embedded
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository

DESKS = 8
_print_lock = threading.Lock()


def ack(request_id: uuid.UUID) -> None:
    with _print_lock:
        print(f"ack {request_id}", flush=True)


def atomic_desk(repo: Repository, package: str) -> None:
    while True:
        request_id = uuid.uuid4()
        if repo.use_session(uuid.UUID(package), request_id).applied:
            ack(request_id)


def naive_desk(admin_url: str, package: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        while True:
            request_id = uuid.uuid4()
            conn.execute("UPDATE tutor.packages SET sessions_used = sessions_used + 1 WHERE id = %s", (package,))
            # The app works out the ledger row in between (a few ms): the window in which a kill tears the pair
            # apart. It keeps the naive variant from passing by luck when the kill lands between two pairs.
            time.sleep(0.005)
            conn.execute("INSERT INTO tutor.package_ledger (package_id, delta, kind, request_id)"
                         " VALUES (%s, 1, 'manual_use', %s)", (package, request_id))
            ack(request_id)


def main(data_dir: str, mode: str, *packages: str) -> None:
    db = open_embedded(Path(data_dir))
    if mode == "atomic":
        repo = Repository(make_engine(db.app_url, pool_size=DESKS))
        desks = [threading.Thread(target=atomic_desk, args=(repo, packages[d % len(packages)])) for d in range(DESKS)]
    else:
        desks = [threading.Thread(target=naive_desk, args=(db.admin_url, packages[d % len(packages)]))
                 for d in range(DESKS)]
    print("ready", flush=True)
    for desk in desks:
        desk.start()
    for desk in desks:
        desk.join()


if __name__ == "__main__":
    main(*sys.argv[1:])
