#!/usr/bin/env python3
"""Memory benchmark of `sejour serve` (not part of `make test`), release build.

1. First start with the demo data, in a fresh data folder: the time until
   the banner is printed and GET /api/health answers 200, and the peak
   resident memory (VmHWM) at that point.
2. Login storm on a fresh `--no-demo` server: N parallel logins of unknown
   emails (default 200), released together, for R rounds (default 3).
   Prints the resident memory at idle, its peak and after a 2 s pause, the
   answers per status and the requests per second.

Goals, printed as PASS/FAIL: first start peak < 100 MiB and < 10 s; storm
peak < 256 MiB. Exits 1 only if something crashed, never for a missed goal.

  scripts/bench-logins.py [--bin PATH] [--logins N] [--rounds R]   or   make bench-logins
"""
import argparse, collections, http.client, json, os, re, shutil, signal
import subprocess, sys, tempfile, threading, time
from pathlib import Path

TIMEOUT = 30  # seconds, for every request and every wait
MIB = 1024 * 1024


def status_kib(pid):
    """VmRSS and VmHWM in bytes (None once the process is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return {k: int(v) * 1024 for k, v in re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", text, re.M)}


class Server:
    def __init__(self, binary, data_dir, *extra):
        self.data_dir, self.lines, self.addr = data_dir, [], None
        self.banner_done = threading.Event()
        self.started = time.monotonic()
        # stderr goes to a file: a full pipe would block the server's logging.
        self.stderr = open(data_dir.parent / f"{data_dir.name}.stderr", "w+")
        self.proc = subprocess.Popen(
            [binary, "serve", "--addr", "127.0.0.1:0", "--data-dir", str(data_dir), *extra],
            stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        threading.Thread(target=self._read_stdout, daemon=True).start()

    def _read_stdout(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            if m := re.match(r"\s*Site and API\s+http://([\d.]+:\d+)/", line):
                self.addr = m.group(1)
            if self.addr and line.startswith("====") and "Stop with Ctrl-C." in self.lines[-2]:
                self.banner_done.set()

    def request(self, method, path, body=None, headers=None):
        host, port = self.addr.split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            response.read()
            return response
        finally:
            conn.close()

    def wait_ready(self):
        """Seconds from the start until the banner is out and /api/health answers 200."""
        deadline = self.started + 2 * TIMEOUT
        while time.monotonic() < deadline:
            self.check_alive()
            if self.banner_done.is_set():
                try:
                    if self.request("GET", "/api/health").status == 200:
                        return time.monotonic() - self.started
                except OSError:
                    pass  # not accepting yet: the listener is bound before the demo data is loaded
            time.sleep(0.02)
        raise RuntimeError(f"not ready after {2 * TIMEOUT} s")

    def check_alive(self):
        if self.proc.poll() is not None:
            self.stderr.seek(0)
            raise RuntimeError(f"server exited with {self.proc.returncode}:\n" + "\n".join(self.lines)
                               + "\n" + self.stderr.read()[-4000:])

    def memory(self):
        self.check_alive()
        return status_kib(self.proc.pid)

    def stop(self):
        """SIGTERM and wait; True if the server stopped cleanly by itself."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return False
        self.stderr.close()
        return self.proc.returncode == 0


def sample(server, peak, stop):
    """Every 20 ms: the kernel keeps VmHWM, but sampling also catches the
    peak if the process dies before it can be read at the end."""
    while not stop.is_set():
        if (m := status_kib(server.proc.pid)) is None:
            return
        peak[0] = max(peak[0], m.get("VmHWM", 0), m.get("VmRSS", 0))
        stop.wait(0.02)


def storm_round(server, n, first):
    answers, lock = collections.Counter(), threading.Lock()
    barrier = threading.Barrier(n + 1, timeout=TIMEOUT)

    def login(i):
        body = json.dumps({"email": f"storm-{i}@example.org", "password": f"wrong password {i}"})
        barrier.wait()
        try:
            response = server.request("POST", "/api/auth/login", body, {"content-type": "application/json"})
            key = str(response.status)
            if response.status in (429, 503) and not response.getheader("Retry-After"):
                key += " (no Retry-After)"
        except Exception as e:  # a time-out or a reset is an answer worth counting, not a crash
            key = type(e).__name__
        with lock:
            answers[key] += 1

    threads = [threading.Thread(target=login, args=(first + i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.monotonic()
    for t in threads:
        t.join(2 * TIMEOUT)
    return answers, time.monotonic() - started


def verdict(ok, text):
    print(f"{'PASS' if ok else 'FAIL'}  {text}")


def main():
    os.chdir(Path(__file__).resolve().parent.parent)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=f"{os.environ.get('CARGO_TARGET_DIR', 'target')}/release/sejour")
    parser.add_argument("--logins", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    binary = str(Path(args.bin).resolve())
    if not os.access(binary, os.X_OK):
        sys.exit(f"{args.bin}: no such binary; build it with: cargo build --release -p sejour-cli")
    print(f"binary: {args.bin}; {os.cpu_count()} CPU(s); {args.rounds} round(s) of {args.logins} logins")

    tmp, servers = Path(tempfile.mkdtemp(prefix="bench-logins-")), []
    try:
        # 1. First start, with the demo data.
        server = Server(binary, tmp / "demo")
        servers.append(server)
        peak, stop = [0], threading.Event()
        sampler = threading.Thread(target=sample, args=(server, peak, stop), daemon=True)
        sampler.start()
        ready = server.wait_ready()
        first_peak = max(peak[0], server.memory()["VmHWM"])
        stop.set()
        sampler.join()
        crashed = not server.stop()
        print(f"first start: ready in {ready:.2f} s, peak RSS {first_peak / MIB:.1f} MiB"
              + ("; did not stop cleanly on SIGTERM" if crashed else ""))

        # 2. Login storm on an empty server.
        server = Server(binary, tmp / "storm", "--no-demo")
        servers.append(server)
        server.wait_ready()
        idle = server.memory()["VmRSS"]
        answers, elapsed = collections.Counter(), 0.0
        for r in range(args.rounds):
            round_answers, seconds = storm_round(server, args.logins, r * args.logins)
            answers += round_answers
            elapsed += seconds
            print(f"  round {r + 1}: {seconds:.2f} s, " + ", ".join(f"{k}: {v}" for k, v in sorted(round_answers.items())))
        storm_peak = server.memory()["VmHWM"]
        time.sleep(2)
        after = server.memory()["VmRSS"]
        unclean = not server.stop()
        crashed |= unclean
        total = args.logins * args.rounds
        print(f"storm: idle RSS {idle / MIB:.1f} MiB, peak RSS (VmHWM) {storm_peak / MIB:.1f} MiB, "
              f"RSS after 2 s {after / MIB:.1f} MiB" + ("; did not stop cleanly on SIGTERM" if unclean else ""))
        print("  answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(answers.items()))
              + f"; {total / elapsed:.0f} requests/s ({total} in {elapsed:.2f} s)")

        verdict(first_peak < 100 * MIB, f"first start peak RSS {first_peak / MIB:.1f} MiB < 100 MiB")
        verdict(ready < 10, f"first start ready in {ready:.2f} s < 10 s")
        verdict(storm_peak < 256 * MIB, f"storm peak RSS {storm_peak / MIB:.1f} MiB < 256 MiB")
        return 1 if crashed else 0
    except Exception as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        for s in servers:
            if s.proc.poll() is None:
                s.proc.kill()
                s.proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
