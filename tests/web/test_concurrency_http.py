"""Concurrent requests over HTTP (issue 11): one winner, the losers a Chinese 409, never a 500."""

from __future__ import annotations

import re
import threading

import httpx

from tests.delivery.flow import new_cycle

N = 4


def logged_in(url: str, username: str) -> tuple[httpx.Client, str]:
    from tests.web.conftest import PASSWORD

    client = httpx.Client(base_url=url, timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/units").text).group(1)
    return client, token


def race(requests) -> list[httpx.Response]:
    barrier, out = threading.Barrier(len(requests)), [None] * len(requests)

    def run(i, send):
        barrier.wait()
        out[i] = send()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    [t.start() for t in threads]
    [t.join(120) for t in threads]
    return out


def test_simultaneous_approvals_and_exports(world, live):
    cid, _ = new_cycle(world.engine, n=10, to="待发放")
    clients = [logged_in(live.url, "t_reviewer") for _ in range(N)]
    out = race([lambda c=c, t=t: c.post(f"/api/v1/cycles/{cid}/advance", json={"to": "发放中"},
                                        headers={"x-csrf-token": t}) for c, t in clients])
    codes = sorted(r.status_code for r in out)
    assert codes == [200] + [409] * (N - 1), [r.text for r in out]
    assert all("「发放中」" in r.json()["error"]["message"] for r in out if r.status_code == 409)
    clients = [logged_in(live.url, "t_operator") for _ in range(N)]
    out = race([lambda c=c, t=t: c.post(f"/cycles/{cid}/export", data={"csrf_token": t}) for c, t in clients])
    assert {r.status_code for r in out} <= {303, 409} and 303 in {r.status_code for r in out}
    assert all("正在由他人导出" in r.text for r in out if r.status_code == 409)
    page = clients[0][0].get(f"/cycles/{cid}").text
    assert len(set(re.findall(r'/files/([^"]+\.csv)"', page))) == 1  # one batch file, exported once
