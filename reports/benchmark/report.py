"""The bench's targets (issue 8), judged against a run's figures, and the table it prints."""

# The targets of issue 8, checked at the end of every run.
STAFF_MEDIAN_MS = 150
CACHED_PUBLIC_TIMES_TRIVIAL = 3
DRAFT_SECONDS = 2
SEED_SECONDS = 120
BOARD_PACK_SECONDS = 10  # issue 14: generating a board pack, its PDF included


def targets(result: dict) -> list[dict]:
    pages = result["pages"]
    trivial = next(p for p in pages if p["kind"] == "trivial")["median_ms"]
    found = []
    for p in pages:
        if p["kind"] == "staff":
            found.append(
                {
                    "what": f"{p['name']} ({p['persona']}) median",
                    "target": f"< {STAFF_MEDIAN_MS} ms",
                    "measured": f"{p['median_ms']:.1f} ms",
                    "met": p["median_ms"] < STAFF_MEDIAN_MS,
                }
            )
        elif p["kind"] == "public-cached":
            found.append(
                {
                    "what": f"{p['name']} from cache",
                    "target": f"<= {CACHED_PUBLIC_TIMES_TRIVIAL}x trivial",
                    "measured": f"{p['median_ms'] / trivial:.2f}x",
                    "met": p["median_ms"] <= CACHED_PUBLIC_TIMES_TRIVIAL * trivial,
                }
            )
    draft = result["tasks"]["draft update"]["median_ms"]
    found.append(
        {
            "what": "draft an update",
            "target": f"< {DRAFT_SECONDS} s",
            "measured": f"{draft / 1000:.2f} s",
            "met": draft < DRAFT_SECONDS * 1000,
        }
    )
    if "board pack (PDF)" in result["tasks"]:
        pack = result["tasks"]["board pack (PDF)"]["median_ms"]
        found.append(
            {
                "what": "generate a board pack (PDF)",
                "target": f"< {BOARD_PACK_SECONDS} s",
                "measured": f"{pack / 1000:.2f} s",
                "met": pack < BOARD_PACK_SECONDS * 1000,
            }
        )
    if result["seed"].get("built_seconds") is not None:
        built = result["seed"]["built_seconds"]
        found.append(
            {
                "what": "build the data set",
                "target": f"< {SEED_SECONDS} s",
                "measured": f"{built:.1f} s",
                "met": built < SEED_SECONDS,
            }
        )
    return found


def table(result: dict) -> str:
    meta = result["meta"]
    lines = [
        f"{meta['database']} {meta['database_version']}: {meta['actions']:,} actions, {meta['progress_updates']:,} "
        f"progress updates, {meta['repetitions']} requests per page; load average {meta['load_average_before'][0]} "
        f"before, {meta['load_average_after'][0]} after, {meta['cpus']} CPUs",
        "",
        f"{'page':<28} {'as':<10} {'cache':<6} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'x trivial':>10}",
    ]
    for p in result["pages"]:
        cache = {"public": "cold", "public-cached": "warm"}.get(p["kind"], "")
        lines.append(
            f"{p['name'][:28]:<28} {p['persona']:<10} {cache:<6} {p['queries']:>7} {p['median_ms']:>10.1f} "
            f"{p['p95_ms']:>8.1f} {p['ratio_to_trivial']:>10.1f}"
        )
    lines.append("")
    for name, t in result["tasks"].items():
        lines.append(f"{name:<28} median {t['median_ms']:>8.0f} ms, p95 {t['p95_ms']:>8.0f} ms")
    if result["seed"].get("built_seconds") is not None:
        s = result["seed"]
        lines.append(
            f"{'build the data set':<28} {s['built_seconds']:.1f} s (seed_scale {s['seed_scale_seconds']:.1f} s, "
            f"long history and published updates {s['bench_extras_seconds']:.1f} s)"
        )
    for g in result["gunicorn"]:
        lines.append(
            f"gunicorn GET {g['path']:<24} {g['requests_per_second']:>7.1f} req/s ({g['requests']} answers, "
            f"{g['errors']} errors, {g['concurrency']} clients, {g['seconds']} s; median {g['median_ms']} ms, "
            f"p95 {g['p95_ms']} ms)"
        )
    lines.append("")
    missed = [t for t in result["targets"] if not t["met"]]
    lines.append(f"targets: {len(result['targets']) - len(missed)} of {len(result['targets'])} met")
    for t in missed:
        lines.append(f"  MISSED {t['what']}: {t['measured']} (target {t['target']})")
    return "\n".join(lines)


def missed(result: dict) -> list[dict]:
    """The targets this run missed: the bench exits non-zero when there is any."""
    return [t for t in result["targets"] if not t["met"]]


def missed_message(result: dict) -> str:
    return "Missed " + "; ".join(f"{t['what']}: {t['measured']} (target {t['target']})" for t in missed(result))
