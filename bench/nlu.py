"""Benchmark of the embedded NLU: training time, parse latency, memory, held-out quality.

    .venv/bin/python bench/nlu.py

Trains from nlu/data/nlu.yml into a fresh folder, parses every message of the two held-out
sets (nlu/data/test.yml and test_messy.yml, never trained on) 5 times for the latency figures,
reports intent and entity scores on each, and measures the peak resident memory of a fresh bot
process (database, content, catalogs, web app and the model loaded; two messages answered), as
``youthbot run`` holds them. The first round is also reported alone: every word is new to the
entity matcher's caches then, as in a fresh process.
"""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would hide the
# ``nlu`` package; drop that folder.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from nlu.embedded import DATA_DIR, EmbeddedNLU, load_or_train  # noqa: E402
from nlu.evaluate import MICRO, entity_report, intent_report  # noqa: E402
from nlu.training_data import load_examples  # noqa: E402

ROUNDS = 5
HELD_OUT = ("test.yml", "test_messy.yml")
RSS_PROBE = """
import asyncio, sys
from pathlib import Path
from bot.bootstrap import build
from bot.channels.web import create_app
from bot.config import Settings
from bot.messages import Inbound

async def main():
    settings = Settings(_env_file=None, nlu_model_dir=Path(sys.argv[1]),
                        database_url=f"sqlite+aiosqlite:///{sys.argv[1]}/bench.db")
    container = await build(settings)
    create_app(container)
    await container.engine.handle(Inbound("bench", "u1", text="menu"))
    await container.engine.handle(Inbound("bench", "u1", text="a ka pune ne Has?"))
    await container.close()

asyncio.run(main())
status = Path("/proc/self/status").read_text()
print(int(next(l for l in status.splitlines() if l.startswith("VmHWM:")).split()[1]) / 1024)
"""
# VmHWM, not getrusage: Linux keeps ru_maxrss across exec, so a child started by this (large,
# just-trained) process would report the parent's peak.


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> None:
    sets = {name: load_examples(DATA_DIR / name) for name in HELD_OUT}
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        nlu: EmbeddedNLU = load_or_train(Path(folder))
        training = time.perf_counter() - started

        timings = []
        for round_ in range(ROUNDS):
            if round_ == 1:
                first_round = list(timings)
            for examples in sets.values():
                for example in examples:
                    t0 = time.perf_counter()
                    nlu.parse_now(example.text)
                    timings.append((time.perf_counter() - t0) * 1000)

        peak = float(subprocess.run(
            [sys.executable, "-c", RSS_PROBE, folder], capture_output=True, text=True, check=True
        ).stdout.strip())

    print(f"training examples     {len(load_examples(DATA_DIR / 'nlu.yml'))}")
    print(f"training time         {training:.1f} s")
    print(f"parse latency p50     {statistics.median(timings):.3f} ms")
    print(f"parse latency p99     {percentile(timings, 99):.3f} ms")
    print(f"  first round only    p50 {statistics.median(first_round):.3f} ms, "
          f"p99 {percentile(first_round, 99):.3f} ms (word caches cold)")
    print(f"peak RSS, bot process {peak:.0f} MB")
    for name, examples in sets.items():
        parses = [nlu.parse_now(e.text) for e in examples]
        report = intent_report(examples, nlu.parse_now, parses)
        entities = entity_report(examples, parses)[MICRO]
        print(f"\nnlu/data/{name}: {len(examples)} messages, never trained on")
        print(f"  accuracy              {report['accuracy']:.4f}")
        print(f"  macro-F1              {report['macro avg']['f1-score']:.4f}")
        print(f"  urgent+smuggling rec. {report['safety_recall']:.4f}")
        for intent in ("urgent_help", "smuggling_risk"):
            print(f"    {intent:19s} precision {report[intent]['precision']:.3f} "
                  f"recall {report[intent]['recall']:.3f}")
        print(f"  entity micro-F1       {entities['f1-score']:.4f} "
              f"(precision {entities['precision']:.3f} recall {entities['recall']:.3f}, "
              f"{entities['support']} entities)")


if __name__ == "__main__":
    main()
