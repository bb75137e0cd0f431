#!/usr/bin/env bash
# Nightly reprocessing (cron-friendly): applies a saved model to the new or changed files of an acquisition archive.
#   jobs/nightly.sh ARCHIVE MODEL OUT [more reprocess options, e.g. --stringency lenient]
# or with the environment: EELS_ARCHIVE, EELS_MODEL, EELS_OUT (EELS_REPROCESS_OPTS for more options).
# reprocess itself locks OUT (OUT/_reprocess.lock): a second run exits at once with code 3 while one is running.
# Each run writes a dated log file in EELS_LOG_DIR (default OUT/../logs) ending with its exit code, and exits with
# the code of reprocess (0 done, 2 bad input, 3 busy, 1 other failure). EELS_UNMIX replaces jobs/eels-unmix.
#   crontab:  15 2 * * *  /opt/eels-unmix/jobs/nightly.sh /data/archive /models/si-2026 /data/reprocessed
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
archive=${1:-${EELS_ARCHIVE:-}}
model=${2:-${EELS_MODEL:-}}
out=${3:-${EELS_OUT:-}}
if [[ -z "$archive" || -z "$model" || -z "$out" ]]; then
  echo "usage: $0 ARCHIVE MODEL OUT [reprocess options]   (or set EELS_ARCHIVE, EELS_MODEL, EELS_OUT)" >&2
  exit 2
fi
shift $(( $# < 3 ? $# : 3 ))
out_parent=$(dirname "$out")
out_name=$(basename "$out")
log_dir=${EELS_LOG_DIR:-$out_parent/logs}
mkdir -p "$log_dir"
log="$log_dir/nightly-$out_name-$(date +%Y%m%d-%H%M%S).log"

(
  echo "$(date -Is) start: archive=$archive model=$model out=$out $*"
  # shellcheck disable=SC2086
  "${EELS_UNMIX:-$here/jobs/eels-unmix}" reprocess --archive "$archive" --model "$model" --out "$out" \
    ${EELS_REPROCESS_OPTS:-} "$@"
  code=$?
  echo "$(date -Is) end: exit code $code"
  exit $code
) >>"$log" 2>&1
code=$?
if [[ $code -eq 3 ]]; then
  echo "another reprocessing of $out is running; not started (see $log)" >&2
elif [[ $code -ne 0 ]]; then
  echo "nightly reprocessing failed with exit code $code; see $log" >&2
fi
exit $code
