#!/usr/bin/env python3
"""Render an snnc HTML page (or SVG figure) in headless Chromium and check it.

    browser-check.py PAGE.html --expect svg#traffic --expect svg.snnc-figure:3
    browser-check.py FIGURE.svg --svg

For an HTML page, a copy of it gets a probe script as the first element of
<head>. The probe records every script error (uncaught exceptions, failed
resource loads, unhandled rejections, console.error) and, after the load
event, every <svg> element of the laid-out page with its id, classes, size
and number of child elements; it writes them as JSON into a hidden <pre>.
Chromium dumps the DOM (--dump-dom) after a short virtual-time budget, and
this script then checks:

  * no script error was recorded, and Chromium's own console log (stderr,
    --enable-logging=stderr) has no "Uncaught" line;
  * every --expect figure is in the rendered DOM, non-empty and laid out with
    a non-zero size. `svg#ID` names one element; `svg.CLASS:N` asks for at
    least N elements of that class.

An SVG file (--svg) is checked for parsing: the dump must hold an <svg> root
and no <parsererror>.

Exit 0 when every check passes; 1 with one line per failure otherwise; 2 when
the browser cannot be run (missing, timed out). Runs as root with
--no-sandbox, in a fresh --user-data-dir, and never waits longer than
--timeout seconds.
"""

import argparse
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

PROBE = r"""<script>(function () {
  var errors = [], figures = [], out = null;
  function publish() {
    if (!out) return;
    out.textContent = JSON.stringify({errors: errors, figures: figures,
                                      title: document.title});
  }
  function record(message) { errors.push(message); publish(); }
  window.addEventListener('error', function (e) {
    if (e.target && e.target !== window && (e.target.src || e.target.href))
      record('failed to load ' + (e.target.src || e.target.href));
    else
      record('uncaught: ' + e.message + ' (line ' + e.lineno + ')');
  }, true);
  window.addEventListener('unhandledrejection', function (e) {
    record('unhandled rejection: ' + e.reason);
  });
  var consoleError = console.error;
  console.error = function () {
    record('console.error: ' + Array.prototype.join.call(arguments, ' '));
    return consoleError.apply(console, arguments);
  };
  window.addEventListener('load', function () {
    document.querySelectorAll('svg').forEach(function (s) {
      var r = s.getBoundingClientRect();
      figures.push({id: s.id, classes: s.classList ? Array.from(s.classList) : [],
                    width: r.width, height: r.height,
                    children: s.childElementCount});
    });
    out = document.createElement('pre');
    out.id = 'snnc-browser-check';
    out.hidden = true;
    document.body.appendChild(out);
    publish();
  });
})();</script>"""


def inject(page_text):
    """The page with the probe as the first element of <head>."""
    m = re.search(r"<head[^>]*>", page_text, re.IGNORECASE)
    if m:
        return page_text[: m.end()] + PROBE + page_text[m.end():]
    m = re.search(r"<html[^>]*>", page_text, re.IGNORECASE)
    if m:
        return page_text[: m.end()] + "<head>" + PROBE + "</head>" + page_text[m.end():]
    return PROBE + page_text


def run_chromium(chromium, url, workdir, timeout):
    """(dom, console log) of `url`, or raises RuntimeError."""
    profile = os.path.join(workdir, "profile")
    cmd = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", "--disable-background-networking",
        "--disable-crash-reporter", "--noerrdialogs", "--hide-scrollbars",
        "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
        "--virtual-time-budget=3000", "--window-size=1200,2000",
        "--dump-dom", url,
    ]
    env = dict(os.environ, HOME=workdir, XDG_CONFIG_HOME=workdir,
               XDG_CACHE_HOME=workdir)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise RuntimeError("chromium did not finish within %d s" % timeout)
    finally:
        # Helper processes (zygote, GPU, renderer) must not outlive the test.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if proc.returncode != 0:
        raise RuntimeError("chromium exited with %d: %s" %
                           (proc.returncode, err.decode(errors="replace")[-2000:]))
    return out.decode(errors="replace"), err.decode(errors="replace")


def console_errors(log):
    """Script errors Chromium logged to stderr (console messages)."""
    found = []
    for line in log.splitlines():
        if ":CONSOLE" in line and "Uncaught" in line:
            found.append(line.split("] ", 1)[-1])
    return found


def check_figures(figures, expects):
    failures = []
    for want in expects:
        m = re.fullmatch(r"svg([#.])([A-Za-z0-9_-]+)(?::(\d+))?", want)
        if not m:
            failures.append("bad --expect '%s' (svg#ID or svg.CLASS[:N])" % want)
            continue
        kind, name, count = m.group(1), m.group(2), int(m.group(3) or 1)
        if kind == "#":
            hits = [f for f in figures if f["id"] == name]
        else:
            hits = [f for f in figures if name in f["classes"]]
        if len(hits) < count:
            failures.append("figure %s: %d in the rendered page, expected %s%d" %
                            (want, len(hits), "at least " if kind == "." else "",
                             count))
            continue
        for f in hits:
            label = "svg#" + f["id"] if f["id"] else want
            if f["children"] == 0:
                failures.append("figure %s is empty (no child elements)" % label)
            if not (f["width"] > 0 and f["height"] > 0):
                failures.append("figure %s has no size (%gx%g)" %
                                (label, f["width"], f["height"]))
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("page")
    ap.add_argument("--expect", action="append", default=[],
                    help="svg#ID or svg.CLASS[:N] that must be rendered")
    ap.add_argument("--svg", action="store_true",
                    help="the page is a standalone SVG file")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    ap.add_argument("--timeout", type=int, default=90)
    args = ap.parse_args()

    if not os.path.isfile(args.page):
        print("browser-check: %s: no such file" % args.page)
        return 2
    workdir = tempfile.mkdtemp(prefix="snnc-browser-")
    target = None
    try:
        if args.svg:
            target = os.path.abspath(args.page)
        else:
            with open(args.page, encoding="utf-8") as f:
                text = f.read()
            # Next to the page, so that relative links resolve as they do for
            # the page itself.
            target = os.path.join(os.path.dirname(os.path.abspath(args.page)),
                                  ".browser-check-%d.html" % os.getpid())
            with open(target, "w", encoding="utf-8") as f:
                f.write(inject(text))
        try:
            dom, log = run_chromium(args.chromium, "file://" + target, workdir,
                                    args.timeout)
        except (RuntimeError, OSError) as e:
            print("browser-check: %s: %s" % (args.page, e))
            return 2
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if not args.svg and target and os.path.exists(target):
            os.remove(target)

    failures = ["console: " + e for e in console_errors(log)]
    if args.svg:
        if "<svg" not in dom:
            failures.append("no <svg> element in the rendered file")
        if "parsererror" in dom:
            failures.append("the SVG does not parse: " +
                            re.sub(r"<[^>]+>", " ", dom)[:300].strip())
        summary = "standalone SVG"
    else:
        m = re.search(r'<pre id="snnc-browser-check" hidden="">(.*?)</pre>', dom,
                      re.DOTALL)
        if not m:
            print("browser-check: %s: FAIL" % args.page)
            print("  the probe did not report (the page did not load, or a "
                  "script replaced the document)")
            return 1
        result = json.loads(html.unescape(m.group(1)))
        failures += ["script error: " + e for e in result["errors"]]
        failures += check_figures(result["figures"], args.expect)
        summary = "%d figures rendered, %d script errors" % (
            len(result["figures"]), len(result["errors"]))

    if failures:
        print("browser-check: %s: FAIL (%s)" % (args.page, summary))
        for f in failures:
            print("  " + f)
        return 1
    print("browser-check: %s: OK (%s)" % (args.page, summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
