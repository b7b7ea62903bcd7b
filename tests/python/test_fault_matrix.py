"""Faults at scale: a flaky server must not lose, repeat or reorder any batch."""
from __future__ import annotations

from collections import Counter

from cmdlets import stop_batch


def test_500_cancels_with_10_percent_failing_once_each_batch_cancelled_exactly_once(emu):
    batches = emu.seed_batches(500, n_requests=1)
    emu.inject_fault(method="POST", path="/v1/batches/{id}/cancel", status=503, every=10, once_per_path=True,
                     count=None, headers={"retry-after-ms": "5"})
    results = [stop_batch(b["id"], force=True, max_retry_count=3, pass_thru=True) for b in batches]

    assert [r.id for r in results] == [b["id"] for b in batches]                  # order kept, none lost
    assert all(r.status == "cancelling" for r in results)
    log = [r for r in emu.requests() if r["method"] == "POST"]
    failed = [r["path"] for r in log if r["status"] == 503]
    succeeded = Counter(r["path"] for r in log if r["status"] == 200)
    assert len(failed) == 50 and len(set(failed)) == 50                           # 10 %, each once
    assert len(succeeded) == 500 and set(succeeded.values()) == {1}               # each cancelled once
    assert all(emu.get_batch(b["id"])["status"] == "cancelling" for b in batches)
