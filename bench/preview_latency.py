#!/usr/bin/env python3
"""How long an edit takes to show in the open page of `guidebook serve`, in headless Chromium.

    python3 bench/preview_latency.py --book BOOK --file content/x.md --page /x/ [--edits 8]

Starts `guidebook serve` on the book and ChromeDriver (spoken to over its plain HTTP
WebDriver protocol: no Python packages needed), opens the page, then appends a line to the
chapter `--edits` times. Each time it measures from just before the write to the moment the
page has the new text in place (the live script's `guidebook:updated` event; the page must
not reload, which is checked). Prints the median and the worst, how much of it the
server took (until its event reached the page), and when the browser had painted the next
frame after the update (a `requestAnimationFrame`, then a task: what the reader sees).
Headless Chromium paints without a display's refresh, so a screen at 60 Hz may add up to a
frame. Timing lives here, never in tests. The file is restored afterwards.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_BINARY = os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "guidebook"
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"{url} did not answer")


class Driver:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"],
        }}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())["value"]

    def go(self, url):
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def js(self, script):
        return self.call("POST", f"/session/{self.session}/execute/sync",
                         {"script": f"return ({script});", "args": []})

    def quit(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        except OSError:
            pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--book", required=True)
    parser.add_argument("--file", required=True, help="the chapter to edit, inside --book")
    parser.add_argument("--page", required=True, help="its URL path, such as /copy-10/intro/")
    parser.add_argument("--edits", type=int, default=8)
    parser.add_argument("--guidebook", default=DEFAULT_BINARY)
    args = parser.parse_args()

    chromedriver = shutil.which("chromedriver")
    if not chromedriver:
        sys.exit("needs chromedriver (and chromium) on the PATH")
    path = os.path.join(args.book, args.file)
    with open(path, encoding="utf-8") as f:
        original = f.read()
    port, driver_port = free_port(), free_port()
    server = subprocess.Popen([args.guidebook, "serve", args.book, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    chrome = subprocess.Popen([chromedriver, f"--port={driver_port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    driver = None
    latencies = []
    paints = []
    events = []
    try:
        wait_for(f"http://127.0.0.1:{port}{args.page}")
        wait_for(f"http://127.0.0.1:{driver_port}/status")
        driver = Driver(driver_port)
        driver.go(f"http://127.0.0.1:{port}{args.page}")
        driver.js("window.__kept = 1")
        for i in range(1, args.edits + 1):
            deadline = time.time() + 20
            while not driver.js("!!(window.guidebookLive && window.guidebookLive.readyState === 1)"):
                if time.time() > deadline:
                    sys.exit("the live connection did not open")
                time.sleep(0.05)
            driver.js("(window.__seen = 0, window.__painted = 0, window.__event = 0, "
                      "addEventListener('guidebook:updated', function () { window.__seen = Date.now(); "
                      "requestAnimationFrame(function () { setTimeout(function () { "
                      "window.__painted = Date.now(); }, 0); }); }, { once: true }), "
                      "window.guidebookLive.addEventListener('reload', "
                      "function () { window.__event = window.__event || Date.now(); }), 1)")
            time.sleep(0.5)
            started = time.time() * 1000
            with open(path, "w", encoding="utf-8") as f:
                f.write(original + f"\n\nEdit number {i}.\n")
            deadline = time.time() + 20
            seen = painted = 0
            while not painted and time.time() < deadline:
                seen, painted = driver.js("[window.__seen, window.__painted]")
                time.sleep(0.01)
            if not seen:
                sys.exit(f"edit {i} never showed in place")
            if driver.js("window.__kept") != 1:
                sys.exit(f"edit {i} reloaded the page")
            latencies.append(seen - started)
            paints.append(painted - started)
            events.append(driver.js("window.__event") - started)
            time.sleep(1)
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        if driver:
            driver.quit()
        for process in (chrome, server):
            process.terminate()
            process.wait()
    print(f"{args.edits} edits to {args.page}: median {statistics.median(latencies):.0f} ms, "
          f"worst {max(latencies):.0f} ms "
          f"({', '.join(f'{l:.0f}' for l in latencies)}); the server's event reached the page "
          f"after a median {statistics.median(events):.0f} ms, so the page took "
          f"{statistics.median(l - e for l, e in zip(latencies, events)):.0f} ms in place; "
          f"the next frame was painted after a median {statistics.median(paints):.0f} ms "
          f"(worst {max(paints):.0f} ms)")


if __name__ == "__main__":
    main()
