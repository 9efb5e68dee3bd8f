#!/usr/bin/env bash
# Copies the front-end assets installed from the npm registry into the app's static files.
# zhifa serves them itself: no CDN, because government intranets have no internet.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
nm="$here/frontend/node_modules"
out="$here/src/zhifa/core/static/vendor"
rm -rf "$out"
mkdir -p "$out/bootstrap" "$out/htmx" "$out/echarts" "$out/bootstrap-icons/fonts"
cp "$nm/bootstrap/dist/css/bootstrap.min.css" "$nm/bootstrap/dist/js/bootstrap.bundle.min.js" "$out/bootstrap/"
cp "$nm/htmx.org/dist/htmx.min.js" "$out/htmx/"
cp "$nm/echarts/dist/echarts.min.js" "$out/echarts/"
cp "$nm/bootstrap-icons/font/bootstrap-icons.min.css" "$out/bootstrap-icons/"
cp "$nm/bootstrap-icons/font/fonts/"bootstrap-icons.woff* "$out/bootstrap-icons/fonts/"
# Source maps are not shipped: drop the references so browsers do not ask for them.
sed -i '/sourceMappingURL/d' "$out"/*/*.css "$out"/*/*.js
echo "前端资源已复制到 $out"
