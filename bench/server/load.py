#!/usr/bin/env python3
"""Bounded load test of `habitat serve` on 127.0.0.1 only.

Starts a server on a fresh data folder, creates an admin and a clinician, trains the synthetic demo model, uploads one
synthetic study, then (1) submits 20 analyses at once and (2) runs 200 concurrent clients reading analyses for a fixed
time. Prints requests/s, p50/p95 latency and errors. Usage: bench/server/load.py [--habitat PATH/habitat.dll] [--seconds 10]
"""
import argparse, json, os, shutil, socket, subprocess, sys, tempfile, threading, time, urllib.request, uuid
from concurrent.futures import ThreadPoolExecutor

p = argparse.ArgumentParser()
p.add_argument("--habitat", default="src/Habitat.Cli/bin/Release/net10.0/habitat.dll")
p.add_argument("--seconds", type=float, default=10)
p.add_argument("--readers", type=int, default=200)
p.add_argument("--analyses", type=int, default=20)
a = p.parse_args()

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

work = tempfile.mkdtemp(prefix="habitat-load-")
data, port = os.path.join(work, "data"), free_port()
base = f"http://127.0.0.1:{port}"
def habitat(*args, stdin=None):
    return subprocess.run(["dotnet", a.habitat, *args], input=stdin, text=True, capture_output=True, check=True).stdout
habitat("users", "add", "admin", "--role", "admin", "--data", data, stdin="load-test-password\n")
habitat("users", "add", "doc", "--role", "clinician", "--data", data, stdin="load-test-password\n")
habitat("synth", "--out", os.path.join(work, "synth"), "--cases", "1", "--spacing", "2,2,2", "--fov", "96,96,96", "--seed", "5")
server = subprocess.Popen(["dotnet", a.habitat, "serve", "--data", data, "--urls", base], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def call(method, path, token=None, body=None, content_type="application/json"):
    req = urllib.request.Request(base + path, method=method, data=body)
    if token: req.add_header("Authorization", "Bearer " + token)
    if body is not None: req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=60) as r: return r.status, r.read()

def token_for(name):
    # Sign in by cookie, fetch the anti-forgery token, then create an API token.
    import http.cookiejar
    jar = http.cookiejar.CookieJar(); opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(urllib.request.Request(base + "/api/login", data=json.dumps({"name": name, "password": "load-test-password"}).encode(),
                                       headers={"Content-Type": "application/json"}))
    csrf = json.loads(opener.open(base + "/api/antiforgery").read())["token"]
    r = opener.open(urllib.request.Request(base + "/api/tokens", data=b'{"label":"load"}', headers={"Content-Type": "application/json", "X-CSRF-TOKEN": csrf}))
    return json.loads(r.read())["token"]

try:
    for _ in range(300):
        try: urllib.request.urlopen(base + "/api/openapi.json", timeout=1); break
        except Exception: time.sleep(0.2)
    admin, doc = token_for("admin"), token_for("doc")
    job = json.loads(call("POST", "/api/models/demo?cases=12", admin, b"")[1])["jobId"]
    while json.loads(call("GET", f"/api/jobs/{job}", admin)[1])["status"] not in ("done", "failed"): time.sleep(1)
    case = os.path.join(work, "synth", "case-0001")
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="patient"\r\n\r\nLOAD-1\r\n'.encode()]
    for field, name in (("T1c", "T1c.nii.gz"), ("FLAIR", "FLAIR.nii.gz"), ("label_map", "habitat.nii.gz"), ("brain_mask", "brain_mask.nii.gz")):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                     + open(os.path.join(case, name), "rb").read() + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    study = json.loads(call("POST", "/api/studies", doc, b"".join(parts), f"multipart/form-data; boundary={boundary}")[1])["id"]

    def submit(_):
        t = time.perf_counter(); status, body = call("POST", f"/api/studies/{study}/analyses", doc, b"{}")
        return time.perf_counter() - t, json.loads(body)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(a.analyses) as ex: submitted = list(ex.map(submit, range(a.analyses)))
    submit_wall = time.perf_counter() - t0
    lat = sorted(s[0] for s in submitted)
    print(f"submit {a.analyses} analyses at once: all accepted in {submit_wall:.3f} s; p95 {1000*lat[int(0.95*len(lat))-1]:.1f} ms")
    ids = [s[1]["analysisId"] for s in submitted]

    latencies, errors, stop = [], [0], time.perf_counter() + a.seconds
    lock = threading.Lock()
    def reader(n):
        mine = []
        while time.perf_counter() < stop:
            t = time.perf_counter()
            try: call("GET", f"/api/analyses/{ids[n % len(ids)]}", doc)
            except Exception:
                with lock: errors[0] += 1
                continue
            mine.append(time.perf_counter() - t)
        with lock: latencies.extend(mine)
    t0 = time.perf_counter()
    threads = [threading.Thread(target=reader, args=(n,)) for n in range(a.readers)]
    for t in threads: t.start()
    for t in threads: t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    print(f"{a.readers} concurrent readers for {wall:.1f} s (while the analyses run): {len(latencies)} reads, {len(latencies)/wall:.0f} req/s, "
          f"p50 {1000*latencies[len(latencies)//2]:.1f} ms, p95 {1000*latencies[int(0.95*len(latencies))-1]:.1f} ms, errors {errors[0]}")
    t0 = time.perf_counter()
    while True:
        states = [json.loads(call("GET", f"/api/analyses/{i}", doc)[1])["analysis"]["status"] for i in ids]
        if all(s in ("done", "failed") for s in states): break
        time.sleep(1)
    print(f"all {len(ids)} analyses finished: {states.count('done')} done, {states.count('failed')} failed ({time.perf_counter()-t0:.0f} s after the read phase)")
finally:
    server.kill(); server.wait()
    shutil.rmtree(work, ignore_errors=True)
