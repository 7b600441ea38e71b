#!/usr/bin/env bash
# Renders the README pictures of the main job from one run.ps1 output folder:
#   docs/images/render.sh OUT      → docs/images/summary-table.png (OUT/summary.txt, coloured as run.ps1 prints it)
#                                     docs/images/allure-report.png (OUT/allure-report/index.html in headless Chromium)
# Chromium is pointed at a dead local proxy so the pages cannot reach any network.
set -euo pipefail
out=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
chromium_flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-extensions --hide-scrollbars
  --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' --virtual-time-budget=15000)
page=$(mktemp --suffix=.html)
trap 'rm -f "$page"' EXIT
python3 - "$out/summary.txt" "$page" "$(basename "$out")" <<'PY'
import html, sys
lines = open(sys.argv[1], encoding="utf-8-sig").read().rstrip("\n").split("\n")
def colour(line):
    if " LEAK " in line or line.startswith("phone "): return "#ff6b6b"
    if " inconclusive " in line: return "#f5c542"
    if " pass " in line: return "#5fd068"
    if line.startswith("cases:"): return "#ffffff"
    if line.startswith("exit "): return "#5fd068" if line.startswith("exit 0") else "#ff6b6b"
    return "#9aa4b2"
body = "\n".join(f'<span style="color:{colour(l)}">{html.escape(l)}</span>' for l in lines)
open(sys.argv[2], "w").write(f"""<!doctype html><meta charset="utf-8"><body style="margin:0;background:#1e1f24">
<pre style="font:13px/1.45 'DejaVu Sans Mono',monospace;color:#9aa4b2;padding:18px 22px;margin:0">
<span style="color:#56b6f7">==&gt; summary (browser × scenario × mode)</span>   <span style="color:#6b7280">dotnet pwsh run.ps1  ·  {html.escape(sys.argv[3])}</span>

{body}</pre></body>""")
PY
lines=$(wc -l < "$out/summary.txt")
# 13 px DejaVu Sans Mono is 7.8 px a character: the table is as wide as its longest line.
width=$(( $(wc -L < "$out/summary.txt") * 8 + 60 ))
chromium "${chromium_flags[@]}" --screenshot="$here/summary-table.png" --window-size=$(( width > 1500 ? width : 1500 )),$(( lines * 19 + 110 )) "file://$page" 2>/dev/null
chromium "${chromium_flags[@]}" --screenshot="$here/allure-report.png" --window-size=1400,900 "file://$out/allure-report/index.html" 2>/dev/null
ls -la "$here"/*.png
