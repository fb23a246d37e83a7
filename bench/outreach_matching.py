"""政策找人 at the province's scale (issue 20): Jiangsu's graduating class, 660,000 listed students
over the 165 reference schools, matched in one background run (runs.match_run_queue +
match_run_execute) against 1,000,000 rows of the seven category registries (低保, 特困, 残疾,
防返贫, 零就业, 助学贷款, 生源地贷款) plus a 100,000-row employment list and a 50,000-row grant list
(the blocking rules), and the card registry (a card for nine graduates in ten). No window of the
class's graduation year is open: the run matches and writes its results, and invites nobody (the
daily send_pending_invitations would, once the supplementary window opens). Its time is compared
with PostgreSQL's own COPY of the same 660,000 Graduate rows (as the run leaves them, into an
empty table with the same indexes and constraints, foreign keys checked), measured in the same
run on this machine.

What is planted, by a graduate's place in the class (n % 100; which registry by n // 100):
0-1 in a category list and insured today (不予邀请), 2 in a category list and paid before
(不予邀请), 3 in a category list under another name, 4 in a category list that has expired, 5 in
two category lists, 6 in a category list and insured only in the past, 7-11 in a category list;
12-14 insured only, 15 paid before only, the rest in no list: 12 % in a category list, 7 % matched,
3 % excluded, 90 % not matched. Cards by n // 7 % 10: 0-6 usable, 7 financial function not
open, 8 reported lost, 9 none. The run's results are checked against these: every count by
result, category and card problem.

Memory flat: the run reads 5,000 graduates at a time. The class of 66,000 (another graduation
year) and the class of 660,000 are run again under tracemalloc; the larger's peak of Python
memory may not exceed the smaller's by more than MEMORY_GOAL. The timed run is not traced
(tracemalloc slows Python down two- to threefold); its resident-size growth (ru_maxrss) is printed.

Then a class with a window open today (30,000 listed, 2,100 matched): the same run invites each
match, an SMS kept for each (nobody has an account: no 我的消息), and the time spent inviting is
printed per 1,000 invitations.

Run: make bench-outreach, or DATABASE_URL=postgres://postgres@127.0.0.1:5432/test
     .venv/bin/python bench/outreach_matching.py [--scale=0.1] [--no-memory] [--no-invitations]
PostgreSQL only. The bench creates its own database (test_outreach_matching) and drops it at the
end; nothing is written to the database DATABASE_URL names. --scale=0.1 makes every size a tenth
(about a minute and a half); the full run takes about 10 minutes on this machine.

Goal (exit 1 when missed): the run within RUN_GOAL × the COPY of the rows it writes, and the
peaks of Python memory flat (≤ MEMORY_GOAL × the small class's).

Measured here, 2 shared cores, 2026-12-05, full scale (see the figures the bench prints):
    data: 756,000 graduates, 1,150,000 registry rows (1,000,000 in the seven category lists),
    723,618 cards, made with COPY in 56 s (not measured).
    the run over 660,000: 62.2 s wall (41.2 s CPU), 935 statements, 10,618 graduates/s;
    COPY of the same 660,000 Graduate rows 14.3 s with foreign keys checked (8.0 s without):
    4.4 × COPY (7.7 × without foreign keys). At a tenth of the scale: 6.0 s, 4.5 × COPY.
    Python's peak: 7.2 MB for 66,000 and 7.2 MB for 660,000 (1.00 ×); resident size unchanged.
    Every count by result, category and card problem as planted (46,200 matched, 19,800
    excluded, 594,000 not matched).
    inviting: 2,100 invitations and 2,100 SMS kept in 5.4 s, 2.55 s per 1,000 invitations; the
    gateway's contract (SMS_GATEWAY_PER_SECOND, 50 by default) then sends 46,200 in 15.4 min.
"""

import argparse
import gc
import logging
import resource
import sys
import time
import tracemalloc
from collections import Counter
from datetime import date, timedelta

from harness import (  # first: sets Django up
    Statements,
    connection,
    copy_seconds,
    person,
    province_operator,
    scratch_database,
)

RUN_GOAL = 8.0  # the run's seconds within this many times the COPY of its rows (with foreign keys)
MEMORY_GOAL = 1.5  # the 660,000 class's peak of Python memory within this many times the 66,000's

# The category registries (1,000,000 rows at full scale), their shares, and the two blocking lists.
CATEGORY_REGISTRIES = {
    "subsistence_allowance": 400_000,
    "student_loan": 250_000,
    "origin_loan": 150_000,
    "disability": 80_000,
    "relapse_monitoring": 60_000,
    "zero_employment": 30_000,
    "extreme_poverty": 30_000,
}
EMPLOYMENT_ROWS, GRANT_ROWS = 100_000, 50_000
REGISTRY_ORDER = list(CATEGORY_REGISTRIES)  # a planted graduate's registry: n // 100 % 7
CATEGORY_OF = {  # verification.rules.CATEGORY_REGISTRIES, the other way round
    "subsistence_allowance": "subsistence_allowance",
    "extreme_poverty": "extreme_poverty",
    "disability": "disabled",
    "relapse_monitoring": "relapse_monitoring",
    "zero_employment": "zero_employment",
    "student_loan": "student_loan",
    "origin_loan": "student_loan",
}
NULL = "\\N"


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="every size × this (0.1: a quick run)")
    parser.add_argument("--no-memory", action="store_true", help="skip the two traced runs")
    parser.add_argument("--no-invitations", action="store_true", help="skip the class with a window open")
    return parser.parse_args()


OPTIONS = parse()
SCALE = OPTIONS.scale
BIG = round(660_000 * SCALE)
# At least two chunks of the run (runs.CHUNK, 5,000), so that the small class's peak is a chunk's.
SMALL = max(round(66_000 * SCALE), 10_000)
INVITED_CLASS = round(30_000 * SCALE)


def rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def rss_now_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def rss_peak_reset() -> bool:
    """Lower the process's high-water mark of resident memory to what it holds now (Linux:
    clear_refs 5), so that ru_maxrss after a step says how far the step itself went."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


def say(text: str) -> None:
    print(text, flush=True)


# --- The data, written with COPY -----------------------------------------------------------------


def copy_lines(model, columns: list[str], lines) -> int:
    """COPY text lines (tab-separated, already escaped) into `model`'s table, 20,000 at a time."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    connection.ensure_connection()
    written, block = 0, []
    with connection.connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for line in lines:
            block.append(line)
            if len(block) == 20_000:
                copy.write("".join(block))
                written, block = written + len(block), []
        if block:
            copy.write("".join(block))
            written += len(block)
    return written


class Names:
    """name_index of the few thousand names person() gives, computed once each."""

    def __init__(self):
        from servicehall.verification.selectors import name_index

        self.of, self.cache = name_index, {}

    def __call__(self, name: str) -> str:
        found = self.cache.get(name)
        if found is None:
            found = self.cache[name] = self.of(name)
        return found


class Plan:
    """What each graduate of a class is planted as, and what the run must find for it."""

    def __init__(self, categories_in_order: list[str]):
        self.order = {code: n for n, code in enumerate(categories_in_order)}

    @staticmethod
    def registries(n: int) -> list[str]:
        k = n % 100
        if k >= 12:
            return []
        first = REGISTRY_ORDER[(n // 100) % len(REGISTRY_ORDER)]
        if k == 5:
            return [first, REGISTRY_ORDER[(n // 100 + 1) % len(REGISTRY_ORDER)]]
        return [first]

    @staticmethod
    def card(n: int) -> int:
        return (n // 7) % 10

    def expected(self, n: int) -> tuple[str, str, str]:
        """(match, category_code, card_problem)."""
        k, card = n % 100, self.card(n)
        problem = {7: "financial_inactive", 8: "lost", 9: "no_card"}.get(card, "")
        if k >= 12 or k in (3, 4):
            return "not_matched", "", problem
        category = min((CATEGORY_OF[r] for r in self.registries(n)), key=self.order.__getitem__)
        return ("excluded" if k <= 2 else "matched"), category, problem


def make_world():
    from servicehall.subsidy.years import graduation_year_setup

    operator = province_operator()
    years = {
        name: graduation_year_setup(year=year)
        for name, year in (("big", 2027), ("small", 2026), ("invited", 2028))
    }
    return operator, years


def write_registries(operator, classes, names: Names, today: date) -> dict[str, int]:
    """The current batches (DONE), the planted graduates' rows first, then other people's up to each
    registry's size. Returns rows by registry."""
    from django.utils import timezone

    from servicehall.verification.models import RegistryBatch, RegistryEntry
    from servicehall.verification.selectors import id_number_index

    now = timezone.now()
    sizes = {r: round(rows * SCALE) for r, rows in CATEGORY_REGISTRIES.items()}
    sizes["employment"], sizes["prior_grant"] = round(EMPLOYMENT_ROWS * SCALE), round(GRANT_ROWS * SCALE)
    batches = {}
    for registry, size in sizes.items():
        batches[registry] = RegistryBatch.objects.create(
            registry=registry,
            province="江苏省" if registry == "prior_grant" else "",
            source="民政",
            data_date=today,
            imported_by=operator,
            imported_at=now,
            finished_at=now,
            filename=f"{registry}.csv",
            sha256="0" * 64,
            state=RegistryBatch.State.DONE,
            progress=100,
            row_count=size,
            imported_count=size,
        ).pk
    valid_from, valid_until = (
        (today - timedelta(days=200)).isoformat(),
        (today + timedelta(days=200)).isoformat(),
    )
    expired = (today - timedelta(days=30)).isoformat()
    insured_since = (today - timedelta(days=90)).isoformat()
    insured_once = ((today - timedelta(days=500)).isoformat(), (today - timedelta(days=100)).isoformat())
    planted, written = Counter(), Counter()
    columns = ["batch_id", "id_number_index", "name_index", "valid_from", "valid_until", "grant_year"]

    def row(registry, index, name, start=NULL, until=NULL, year=NULL):
        written[registry] += 1
        return f"{batches[registry]}\t{index}\t{name}\t{start}\t{until}\t{year}\n"

    def graduates_rows():
        for first, count in classes:
            for n in range(count):
                id_number, name = person(first + n)
                index, k = id_number_index(id_number), n % 100
                name_idx = names(name)
                for registry in Plan.registries(n):
                    loan = registry in ("student_loan", "origin_loan")
                    if k == 3:
                        yield row(registry, index, names(name + "之"), valid_from, valid_until)
                    elif k == 4:
                        yield row(registry, index, name_idx, valid_from, expired)
                    else:
                        yield row(registry, index, name_idx, valid_from, NULL if loan else valid_until)
                if k in (0, 1, 12, 13, 14):
                    yield row("employment", index, name_idx, insured_since)
                elif k == 6:
                    yield row("employment", index, name_idx, *insured_once)
                elif k in (2, 15):
                    yield row("prior_grant", index, name_idx, year=today.year - 1)

    def others_rows():
        other = sum(count for _first, count in classes)
        for registry, size in sizes.items():
            for _ in range(size - written[registry]):
                id_number, name = person(other)
                other += 1
                if registry == "employment":
                    yield row(registry, id_number_index(id_number), names(name), insured_since)
                elif registry == "prior_grant":
                    yield row(registry, id_number_index(id_number), names(name), year=2024)
                else:
                    yield row(registry, id_number_index(id_number), names(name), valid_from, valid_until)

    copy_lines(RegistryEntry, columns, graduates_rows())
    planted.update(written)
    copy_lines(RegistryEntry, columns, others_rows())
    return {registry: (written[registry], planted[registry]) for registry in sizes}


def write_classes(years, classes, names: Names, now) -> None:
    """Each class's Graduate rows as an import leaves them (school after school), pending. Only pk
    and the two blind indexes are read by the run; the encrypted name, ID number and mobile are
    one ciphertext each, encrypted once (they are decrypted only when an invitation is made)."""
    from servicehall.core import crypto
    from servicehall.outreach.models import Graduate
    from servicehall.reference.models import School
    from servicehall.verification.selectors import id_number_index

    schools = list(School.objects.order_by("pk").values_list("pk", flat=True))
    name_ct, id_ct = crypto.encrypt("王伟"), crypto.encrypt(person(0)[0])
    mobile_ct = crypto.encrypt("13800000000")
    listed_at = now.isoformat()
    columns = [f.attname for f in Graduate._meta.concrete_fields if f.attname != "id"]

    def rows():
        for (first, count), year in zip(classes, years, strict=True):
            for n in range(count):
                id_number, name = person(first + n)
                school = schools[n * len(schools) // count]
                values = {
                    "school_id": school,
                    "graduation_year_id": year.pk,
                    "source_id": NULL,
                    "line": n % 4000 + 2,
                    "name": name_ct,
                    "name_index": names(name),
                    "id_number": id_ct,
                    "id_number_index": id_number_index(id_number),
                    "student_number": f"{year.year - 4}{n:08d}",
                    "department": "计算机学院",
                    "major": "软件工程",
                    "education_level_id": "21",
                    "mobile": mobile_ct,
                    "listed_at": listed_at,
                    "match": "pending",
                    "category_code": "",
                    "reason": "",
                    "card_problem": "",
                    "matched_at": NULL,
                }
                yield "\t".join(str(values[c]) for c in columns) + "\n"

    copy_lines(Graduate, columns, rows())


def write_cards(classes, now, today: date) -> int:
    """Cards of the listed (Plan.card), a cancelled older card beside every other usable one."""
    from servicehall.cards.models import SocialSecurityCard
    from servicehall.core import crypto
    from servicehall.verification.selectors import id_number_index

    id_ct, card_ct, account_ct = (
        crypto.encrypt(person(0)[0]),
        crypto.encrypt("A12345678"),
        crypto.encrypt("6222020200000000000"),
    )
    columns = [f.attname for f in SocialSecurityCard._meta.concrete_fields if f.attname != "id"]
    issued, older = (today - timedelta(days=700)).isoformat(), (today - timedelta(days=3000)).isoformat()
    updated = now.isoformat()
    made = 0

    def card(index, name, status, active, issued_on):
        nonlocal made
        made += 1
        values = {
            "id_number": id_ct,
            "id_number_index": index,
            "name": name,
            "card_number": card_ct,
            "card_number_index": f"{made:064x}",
            "generation": 3,
            "bank_id": "102",
            "account": account_ct,
            "financial_active": "t" if active else "f",
            "status": status,
            "issued_on": issued_on,
            "updated_at": updated,
            "import_batch_id": NULL,
        }
        return "\t".join(str(values[c]) for c in columns) + "\n"

    def rows():
        for first, count in classes:
            for n in range(count):
                kind = Plan.card(n)
                if kind == 9:
                    continue
                id_number, name = person(first + n)
                index = id_number_index(id_number)
                if kind == 0 and n % 2 == 0:
                    yield card(index, name, "cancelled", True, older)
                status = "reported_lost" if kind == 8 else "normal"
                yield card(index, name, status, kind != 7, issued)

    copy_lines(SocialSecurityCard, columns, rows())
    return made


def analyze() -> None:
    from servicehall.cards.models import SocialSecurityCard
    from servicehall.core.bulk import statistics_refresh
    from servicehall.outreach.models import Graduate
    from servicehall.verification.models import RegistryBatch, RegistryEntry

    for model in (RegistryBatch, RegistryEntry, Graduate, SocialSecurityCard):
        statistics_refresh(model)


# --- The runs -----------------------------------------------------------------------------------


class Step:
    """One measured step: wall and CPU seconds, statements, resident-size growth (ru_maxrss, the
    process's high-water mark) and, traced, the peak of Python memory."""

    def __init__(self, label: str, work, *, trace: bool):
        gc.collect()
        statements = Statements()
        rss_before = rss_now_kb() if rss_peak_reset() else rss_kb()
        if trace:
            tracemalloc.start()
        started, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(statements):
            self.result = work()
        self.seconds, self.cpu = time.perf_counter() - started, time.process_time() - cpu
        self.peak = tracemalloc.get_traced_memory()[1] / 1e6 if trace else None
        if trace:
            tracemalloc.stop()
        self.rss_growth = (rss_kb() - rss_before) / 1024
        self.statements = statements.count
        peak = f"Python peak {self.peak:6.1f} MB" if trace else "(not traced)"
        say(
            f"  {label:<44} {self.seconds:8.2f} s wall {self.cpu:8.2f} s CPU  {peak:>22}  "
            f"max RSS +{self.rss_growth:6.1f} MB (from {rss_before / 1024:5.0f} MB)  "
            f"{self.statements:6d} statements"
        )


def run_class(operator, year):
    from servicehall.outreach.runs import match_run_execute, match_run_queue

    run = match_run_queue(actor=operator, graduation_year=year)
    return match_run_execute(run_id=run.pk)


def results_of(year) -> Counter:
    from servicehall.outreach.models import Graduate

    counts = Counter()
    rows = (
        Graduate.objects.filter(graduation_year=year)
        .values_list("match", "category_code", "card_problem")
        .order_by()
        .iterator(chunk_size=20_000)
    )
    for row in rows:
        counts[row] += 1
    return counts


def expected_of(plan: Plan, count: int) -> Counter:
    return Counter(plan.expected(n) for n in range(count))


def check(label: str, run, found: Counter, expected: Counter, count: int) -> list[str]:
    problems = []
    if run.state != "done" or run.done_count != count or run.total != count:
        problems.append(
            f"{label}: run {run.state}, {run.done_count:,} of {run.total:,} done, {count:,} listed"
        )
    by_match, wanted = Counter(), Counter()
    for (match, _category, _card), n in found.items():
        by_match[match] += n
    for (match, _category, _card), n in expected.items():
        wanted[match] += n
    if run.matched_count != wanted["matched"]:
        problems.append(
            f"{label}: the run counted {run.matched_count:,} matched, {wanted['matched']:,} planted"
        )
    if found != expected:
        differing = sorted(set(found) | set(expected), key=str)
        for key in differing:
            if found[key] != expected[key]:
                problems.append(f"{label}: {key}: {found[key]:,} found, {expected[key]:,} planted")
    say(
        f"  {label}: "
        + ", ".join(
            f"{m} {by_match[m]:,} (planted {wanted[m]:,})" for m in ("matched", "excluded", "not_matched")
        )
        + "; "
        + ("every count by result, category and card problem as planted" if found == expected else "WRONG")
    )
    return problems


def main():
    # One INFO line per SMS kept would bury the figures; warnings and errors still show.
    logging.getLogger("servicehall").setLevel(logging.WARNING)
    if connection.vendor != "postgresql":
        sys.exit(
            "bench/outreach_matching.py measures PostgreSQL only (COPY is its baseline): set DATABASE_URL, "
            "e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test, or run `make bench-outreach`."
        )
    problems: list[str] = []
    with scratch_database("outreach_matching"):
        from django.utils import timezone

        from servicehall.core.versions import data_changed
        from servicehall.messaging.models import SmsMessage
        from servicehall.outreach import invitations as invitations_module
        from servicehall.outreach import runs
        from servicehall.outreach.models import Graduate, Invitation
        from servicehall.subsidy.models import ApplicationWindow, WindowKind
        from servicehall.subsidy.selectors import SETUP_VERSION, categories_for, window_open

        started = time.perf_counter()
        operator, years = make_world()
        today, now = timezone.localdate(), timezone.now()
        assert window_open(today) is None or window_open(today).graduation_year_id not in (
            years["big"].pk,
            years["small"].pk,
        ), "a window of the measured years is open today: the bench would invite"
        plan = Plan([c.code for c in categories_for(years["big"])])
        classes = [(0, BIG), (BIG, SMALL), (BIG + SMALL, INVITED_CLASS)]
        names = Names()
        say(f"{connection.vendor}: scale {SCALE:g}; data made with COPY (not measured):")
        write_classes([years["big"], years["small"], years["invited"]], classes, names, now)
        say(
            f"  {BIG + SMALL + INVITED_CLASS:,} graduates ({BIG:,} of {years['big'].year}, {SMALL:,} of "
            f"{years['small'].year}, {INVITED_CLASS:,} of {years['invited'].year}) in "
            f"{time.perf_counter() - started:.0f} s"
        )
        planted = write_registries(operator, classes, names, today)
        say(
            f"  registries (rows, of them listed graduates') in {time.perf_counter() - started:.0f} s: "
            + ", ".join(f"{r} {n:,} ({p:,})" for r, (n, p) in planted.items())
        )
        cards = write_cards(classes, now, today)
        analyze()
        say(f"  {cards:,} cards; all made in {time.perf_counter() - started:.0f} s")

        # 1. The measured run: the class of 660,000, no window open (nobody invited), not traced.
        say(f"\nThe run over {BIG:,} graduates (no window of {years['big'].year} open today: no invitation):")
        timed = Step(
            f"match_run_queue + match_run_execute, {BIG:,}",
            lambda: run_class(operator, years["big"]),
            trace=False,
        )
        run = timed.result
        if run.invited_count:
            problems.append(f"{run.invited_count} invitations made with no window open")
        problems += check(f"{years['big'].year}", run, results_of(years["big"]), expected_of(plan, BIG), BIG)

        # 2. The physical limit: PostgreSQL's COPY of the same rows as the run left them.
        bare, constrained = copy_seconds((Graduate, f"WHERE graduation_year_id = {int(years['big'].pk)}"))
        ratio = timed.seconds / constrained
        say(
            f"  COPY of the same {BIG:,} Graduate rows: {constrained:.2f} s into a table with the same "
            "indexes "
            f"and constraints, foreign keys checked ({bare:.2f} s without them)"
        )
        say(
            f"  the run: {BIG / timed.seconds:,.0f} rows/s, {ratio:.1f} × that COPY "
            f"({timed.seconds / bare:.1f} × "
            f"without foreign keys); goal ≤ {RUN_GOAL:g} × {'met' if ratio <= RUN_GOAL else 'MISSED'}"
        )
        if ratio > RUN_GOAL:
            problems.append(f"the run took {ratio:.1f} × COPY, goal ≤ {RUN_GOAL:g} ×")

        # 3. Memory flat: the class of 66,000 and the class of 660,000 again (重新比对), traced.
        if not OPTIONS.no_memory:
            say("\nPeaks of Python memory (tracemalloc, which slows the runs down):")
            small = Step(
                f"the run, {SMALL:,} (traced)", lambda: run_class(operator, years["small"]), trace=True
            )
            problems += check(
                f"{years['small'].year}",
                small.result,
                results_of(years["small"]),
                expected_of(plan, SMALL),
                SMALL,
            )
            again = Step(
                f"the run again, {BIG:,} (traced)", lambda: run_class(operator, years["big"]), trace=True
            )
            problems += check(
                f"{years['big'].year} again",
                again.result,
                results_of(years["big"]),
                expected_of(plan, BIG),
                BIG,
            )
            growth = again.peak / small.peak
            say(
                f"  {BIG // SMALL} × the graduates, {growth:.2f} × the peak "
                f"({small.peak:.1f} → {again.peak:.1f} MB); "
                f"goal ≤ {MEMORY_GOAL:g} × {'met' if growth <= MEMORY_GOAL else 'MISSED'}"
            )
            if growth > MEMORY_GOAL:
                problems.append(f"the peak of Python memory grew {growth:.2f} ×, goal ≤ {MEMORY_GOAL:g} ×")

        # 4. A class whose window is open today: each match invited, an SMS kept for each.
        if not OPTIONS.no_invitations and INVITED_CLASS:
            ApplicationWindow.objects.filter(graduation_year=years["invited"], kind=WindowKind.MAIN).update(
                opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=29)
            )
            data_changed(SETUP_VERSION)  # written past the models' signals
            spent = {"seconds": 0.0}
            real = runs.invitations_send

            def timed_invitations(**kwargs):
                begun = time.perf_counter()
                try:
                    return real(**kwargs)
                finally:
                    spent["seconds"] += time.perf_counter() - begun

            say(f"\nA class of {INVITED_CLASS:,} with a window of {years['invited'].year} open today:")
            texts_before = SmsMessage.objects.count()
            runs.invitations_send = timed_invitations
            try:
                invited = Step(
                    f"the run, {INVITED_CLASS:,}, inviting",
                    lambda: run_class(operator, years["invited"]),
                    trace=False,
                )
            finally:
                runs.invitations_send = real
            expected = expected_of(plan, INVITED_CLASS)
            problems += check(
                f"{years['invited'].year}",
                invited.result,
                results_of(years["invited"]),
                expected,
                INVITED_CLASS,
            )
            matched = sum(n for (match, _c, _p), n in expected.items() if match == "matched")
            made = Invitation.objects.filter(window__graduation_year=years["invited"]).count()
            texts = SmsMessage.objects.count() - texts_before
            if not (invited.result.invited_count == made == texts == matched):
                problems.append(
                    f"invitations: the run counted {invited.result.invited_count:,}, {made:,} made, "
                    f"{texts:,} SMS, "
                    f"{matched:,} matched"
                )
            per = 1000 * spent["seconds"] / made if made else 0
            say(
                f"  {made:,} invitations and {texts:,} SMS kept in {spent['seconds']:.2f} s of the run's "
                f"{invited.seconds:.2f} s: {per:.2f} s per 1,000 invitations "
                f"({invitations_module.SMS_BATCH}-message delivery tasks queued, not run)"
            )
    if problems:
        say("\nBELOW THE GOAL OR WRONG:\n  " + "\n  ".join(problems))
        sys.exit(1)
    say("\nall goals met")


if __name__ == "__main__":
    main()
