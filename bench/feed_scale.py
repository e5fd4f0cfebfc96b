"""Scale: one studio server, 200 desks connected and following the change feed (idle: each only runs its listener,
the app's own ChangeListener on a connection of its own) and 16 desks working (each uses a session of its own
client's package through the repository, reads the client's packages back as its window would, then pauses as a
person does). Measured: how long after a working desk's change each following desk has it (live refresh), and a
working desk's click (the use_session call through the repository) against the same click with 2 desks working
and nobody following. Every desk is a process of its own (the followers, 100 to a process, threads in it).

    uv run python bench/feed_scale.py [--dsn ADMIN_URL] [--quick]
"""

from __future__ import annotations

import multiprocessing
import random
import time
import uuid

import psutil
import psycopg

from common import APP_LOGIN, Section, Target, arguments, ms, percentile, server  # noqa: I001

from tutor_desktop.db.bootstrap import create_first_admin
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository

FOLLOWERS = 200
WORKERS = 16
BASE_WORKERS = 2
FOLLOWER_PROCESSES = 2  # the followers' Python threads spread over processes, not behind one interpreter lock
PAUSE = 0.25  # a working desk's pause between clicks, on average: 4 clicks a second each, far above a person
REFRESH_TARGET = 1.0
CLICK_TARGET = 1.2
CATCH_UP = 2.0


def follow(url: str, count: int, ready, stop, results) -> None:  # noqa: ANN001
    """A process of `count` following desks: each a ChangeListener; what each heard, (feed id, when), goes back."""
    from tutor_desktop.db.listener import ChangeListener

    heard: list[list[tuple[int, float]]] = [[] for _ in range(count)]

    def receiver(mine: list[tuple[int, float]]):  # noqa: ANN202
        import json

        def receive(payload: str) -> None:
            now = time.time()
            mine.extend((c["id"], now) for c in json.loads(payload)["changes"])
        return receive

    listeners = [ChangeListener(url, receiver(heard[n])) for n in range(count)]
    for listener in listeners:
        listener.start()
        time.sleep(0.005)  # connect a few at a time, as desks switched on over a morning would
    for listener in listeners:
        listener.listening.wait(60)
    ready.set()
    stop.wait()
    for listener in listeners:
        listener.stop()
    results.put(heard)


def seed(admin_url: str, desks: int) -> list[tuple[int, object]]:
    """A client with a big package for every working desk; the desk login is the studio's admin."""
    create_first_admin(admin_url, "Front Desk", APP_LOGIN)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("INSERT INTO tutor.clients (full_name) SELECT 'Client ' || n FROM generate_series(1, %s) n",
                     (desks,))
        return [tuple(r) for r in conn.execute(
            "INSERT INTO tutor.packages (client_id, label, sessions_total)"
            " SELECT id, 'Bench', 1000 FROM tutor.clients RETURNING client_id, id").fetchall()]


def working_desk(desk_url: str, n: int, client: int, package, seconds: float, start, results) -> None:  # noqa: ANN001
    """One working desk, a process of its own as a desk is a computer of its own: (click latencies, request id ->
    when it returned) go back."""
    repo = Repository(make_engine(desk_url, pool_size=1))
    rng = random.Random(n)
    clicks: list[float] = []
    returned: dict[uuid.UUID, float] = {}
    try:
        repo.packages_for_client(client)  # connected and warm before the clock starts
        start.wait()
        stop_at = time.perf_counter() + seconds
        while time.perf_counter() < stop_at:
            request = uuid.uuid4()
            started = time.perf_counter()
            repo.use_session(package, request_id=request, reason="bench")
            clicks.append(time.perf_counter() - started)
            returned[request] = time.time()
            repo.packages_for_client(client)
            time.sleep(rng.uniform(0.5, 1.5) * PAUSE)
    finally:
        repo.close()
        results.put((clicks, returned))


def work(desk_url: str, desks: list[tuple[int, object]], seconds: float) -> tuple[list[float], dict]:
    """Working desks, one process each, started together: (click latencies, request id -> when it returned)."""
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(len(desks) + 1), ctx.Queue()
    processes = [ctx.Process(target=working_desk, args=(desk_url, n, c, p, seconds, start, results), daemon=True)
                 for n, (c, p) in enumerate(desks)]
    for process in processes:
        process.start()
    start.wait(timeout=180)
    clicks: list[float] = []
    returned: dict[uuid.UUID, float] = {}
    for _ in processes:
        mine, theirs = results.get(timeout=seconds + 120)
        clicks += mine
        returned.update(theirs)
    for process in processes:
        process.join(30)
    return clicks, returned


def server_cpu(srv) -> float | None:  # noqa: ANN001
    """CPU seconds the embedded server's processes have used so far (None on a server given by --dsn)."""
    embedded = getattr(srv, "_embedded", None)
    if embedded is None or embedded.pid is None:
        return None
    try:
        root = psutil.Process(embedded.pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return None
    total = 0.0
    for proc in procs:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def cpu_of(processes: list) -> float:
    total = 0.0
    for process in processes:
        try:
            times = psutil.Process(process.pid).cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def run(srv, quick: bool = False) -> Section:  # noqa: ANN001, PLR0915
    followers, workers, seconds = (40, 8, 5.0) if quick else (FOLLOWERS, WORKERS, 20.0)
    base_seconds = seconds if quick else 40.0  # 2 desks click less often: a longer run for as many samples
    admin_url, desk_url = srv.fresh_database("scale")
    with psycopg.connect(admin_url) as conn:
        allowed = int(conn.execute("SHOW max_connections").fetchone()[0])
    if allowed < followers + workers + 10:
        raise SystemExit(f"the server allows {allowed} connections; this benchmark needs {followers + workers + 10}")
    desks = seed(admin_url, workers)
    plain_url = desk_url.replace("postgresql+psycopg://", "postgresql://")

    # With 2 working desks and nobody following: the figure to stay within.
    base_clicks, _ = work(desk_url, desks[:BASE_WORKERS], base_seconds)
    print(f"2 desks: {len(base_clicks)} clicks, p50 {ms(percentile(base_clicks, 50))}, "
          f"p99 {ms(percentile(base_clicks, 99))}", flush=True)

    # The same working desks with nobody following: what the followers add, apart from the working desks' own.
    alone_clicks, _ = work(desk_url, desks, seconds)
    print(f"{workers} desks: {len(alone_clicks)} clicks, p99 {ms(percentile(alone_clicks, 99))}", flush=True)

    ctx = multiprocessing.get_context("spawn")
    stop, results = ctx.Event(), ctx.Queue()
    readies, processes = [], []
    for k in range(FOLLOWER_PROCESSES):
        count = followers // FOLLOWER_PROCESSES + (1 if k < followers % FOLLOWER_PROCESSES else 0)
        ready = ctx.Event()
        process = ctx.Process(target=follow, args=(plain_url, count, ready, stop, results), daemon=True)
        process.start()
        readies.append(ready)
        processes.append(process)
    for ready in readies:
        if not ready.wait(180):
            raise RuntimeError("the following desks did not all connect")
    with psycopg.connect(admin_url) as conn:
        connected = conn.execute("SELECT count(*) FROM pg_stat_activity"
                                 " WHERE application_name = 'tutor-desktop listener'").fetchone()[0]
    print(f"{connected} desks following", flush=True)

    time.sleep(1.0)  # the followers idle for a moment: what polling costs with nothing to find
    idle_from, idle_cpu, followers_cpu = time.perf_counter(), server_cpu(srv), cpu_of(processes)
    time.sleep(3.0)
    idle_share = None
    if idle_cpu is not None:
        idle_share = (server_cpu(srv) - idle_cpu) / (time.perf_counter() - idle_from)
    followers_share = (cpu_of(processes) - followers_cpu) / (time.perf_counter() - idle_from)

    busy_from, busy_server, busy_followers = time.perf_counter(), server_cpu(srv), cpu_of(processes)
    clicks, returned = work(desk_url, desks, seconds)
    busy_span = time.perf_counter() - busy_from
    busy_server = None if busy_server is None else (server_cpu(srv) - busy_server) / busy_span
    busy_followers = (cpu_of(processes) - busy_followers) / busy_span
    load = psutil.getloadavg()[0]  # the last minute's, about the working phase
    time.sleep(CATCH_UP)
    stop.set()
    heard = [desk for _ in processes for desk in results.get(timeout=120)]
    for process in processes:
        process.join(30)

    with psycopg.connect(admin_url) as conn:
        made = {row[0]: returned[row[1]] for row in conn.execute(
            "SELECT id, request_id FROM tutor.change_feed WHERE kind = 'use_session' AND NOT for_others")
            if row[1] in returned}
    refresh_all: list[float] = []
    worst_desk_p99, missing, twice = 0.0, 0, 0
    for desk in heard:
        ids = [i for i, _ in desk if i in made]
        twice += len(ids) - len(set(ids))
        missing += len(set(made) - set(ids))
        mine = [max(0.0, when - made[i]) for i, when in desk if i in made]
        refresh_all += mine
        if mine:
            worst_desk_p99 = max(worst_desk_p99, percentile(mine, 99))
    refresh_p99 = percentile(refresh_all, 99)
    base_p99, click_p99 = percentile(base_clicks, 99), percentile(clicks, 99)
    alone_p99 = percentile(alone_clicks, 99)
    click_ratio = click_p99 / base_p99
    print(f"{workers} desks + {len(heard)} following: {len(clicks)} clicks, p99 {ms(click_p99)} "
          f"({click_ratio:.2f} x); refresh p99 {ms(refresh_p99)}, worst desk {ms(worst_desk_p99)}; "
          f"missing {missing}, twice {twice}", flush=True)

    rows = [
        [f"{BASE_WORKERS} working, none following", f"{len(base_clicks):,}", ms(percentile(base_clicks, 50)),
         ms(base_p99), "-", "-", "-"],
        [f"{workers} working, none following", f"{len(alone_clicks):,}", ms(percentile(alone_clicks, 50)),
         ms(percentile(alone_clicks, 99)), "-", "-", "-"],
        [f"{workers} working, {len(heard)} following", f"{len(clicks):,}", ms(percentile(clicks, 50)),
         ms(click_p99), ms(percentile(refresh_all, 50)), ms(refresh_p99), ms(worst_desk_p99)],
    ]
    server_text = "(not measured on a server given by --dsn)" if idle_share is None else f"{idle_share:.0%} of one core"
    idle_text = (f"the server spent {server_text} answering their polls, and the followers' own processes "
                 f"{followers_share:.0%} of one core sending them")
    return Section(
        title="Scale: 200 desks following, 16 working",
        intro=(f"One server; {len(heard)} desks connected and following the change feed (each the app's own "
               "`ChangeListener`, polling every 250 ms on a connection of its own, as the studio's admin so that "
               f"every change is theirs to read; {FOLLOWER_PROCESSES} processes of threads), and {workers} working "
               "desks (a process each, with its own connection) that use a session of their own client's package "
               "through the repository, read the client's packages back as the window does, and pause "
               f"{PAUSE * 1000:.0f} ms on average: {workers * (1 / PAUSE):.0f} clicks a second in all, for "
               f"{seconds:g} s. Click: the "
               "`use_session` call through the repository. Refresh: from the working desk having its answer to a "
               "following desk's listener passing the change on. Everything, followers included, shares this "
               f"machine's cores. With the followers idle (nobody working), {idle_text}."),
        headers=["desks", "clicks", "click p50", "click p99", "refresh p50", "refresh p99", "worst desk's p99"],
        rows=rows,
        targets=[
            Target(f"live refresh p99 within {REFRESH_TARGET:g} s on every desk", ms(worst_desk_p99),
                   worst_desk_p99 <= REFRESH_TARGET and missing == 0 and twice == 0),
            Target(f"working desk's click p99 within {CLICK_TARGET:g} x the {BASE_WORKERS}-desk figure",
                   f"{click_ratio:.2f} x", click_ratio <= CLICK_TARGET),
        ],
        notes=(f"Every change reached every following desk once: {'yes' if missing == twice == 0 else 'no'} "
               f"({missing} missed, {twice} twice, of {len(made):,} changes x {len(heard)} desks)."
               + ("" if click_ratio <= CLICK_TARGET else CLICK_SPLIT.format(
                   base=ms(base_p99), alone=ms(alone_p99), both=ms(click_p99), workers=workers,
                   verdict=("The working desks' own load makes the rise: with nobody following it is as large."
                            if alone_p99 >= 0.9 * click_p99 else
                            f"The working desks' own load makes {(alone_p99 - base_p99) / (click_p99 - base_p99):.0%}"
                            " of the rise, the followers the rest."),
                   followers=len(heard), server=server_text, own=f"{followers_share:.0%} of one core",
                   busy_server="?" if busy_server is None else f"{busy_server:.0%} of one core",
                   busy_own=f"{busy_followers:.0%} of one core", load=f"{load:.1f}",
                   cores=psutil.cpu_count()))),
    )


CLICK_SPLIT = """

**Where the click's p99 goes.** {base} with 2 desks working; {alone} with {workers} working and nobody following;
{both} with {workers} working and {followers} following. {verdict} Idle, the followers' polls cost the server
{server} and their own processes {own}. While the {workers} desks worked and the {followers} followed, the server
used {busy_server} and the followers' processes {busy_own} (at a studio those run on the desks' own computers, not
on the server's); the machine's load average was {load} on {cores} cores, other work on it included. The middle of
a click hardly moves; its tail is a wait for a core.

What would move it: a server with more cores than desks working at once (the work per click is the same; only
the queueing goes), a longer poll for idle desks (the followers' cost halves with each doubling of the interval,
and the refresh gains up to that interval), or a lighter `use_session` (see the contention section's split).
"""


if __name__ == "__main__":
    args = arguments(__doc__.splitlines()[0])
    with server(args.dsn) as srv:
        run(srv, args.quick).print()
