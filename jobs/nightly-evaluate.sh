#!/usr/bin/env bash
# The replicate study of conf/evaluate.properties, written to a dated folder (cron-friendly).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/target/evaluation-$(date +%Y%m%d)}
exec "$here/jobs/eels-unmix" evaluate --config "$here/conf/evaluate.properties" --out "$out" --overwrite
