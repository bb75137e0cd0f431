#!/usr/bin/env bash
# Nightly reprocessing (cron-friendly): applies a saved model to the new or changed files of an acquisition archive.
#   jobs/nightly.sh ARCHIVE MODEL OUT [more reprocess options, e.g. --stringency lenient]
# or with the environment: EELS_ARCHIVE, EELS_MODEL, EELS_OUT (EELS_REPROCESS_OPTS for more options).
# A lock file (OUT/../.<name of OUT>.lock, or EELS_LOCK) makes a second run exit at once (code 75) while one is
# running; each run writes a dated log file in EELS_LOG_DIR (default OUT/../logs) ending with its exit code, and
# exits with the code of reprocess (0 done, 2 bad input, 1 other failure). EELS_UNMIX replaces jobs/eels-unmix.
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
lock=${EELS_LOCK:-$out_parent/.$out_name.lock}
log_dir=${EELS_LOG_DIR:-$out_parent/logs}
mkdir -p "$log_dir" "$(dirname "$lock")"
log="$log_dir/nightly-$out_name-$(date +%Y%m%d-%H%M%S).log"

exec 9>"$lock"
if ! flock -n 9; then
  echo "$(date -Is) another reprocessing of $out holds $lock; not starting" | tee -a "$log" >&2
  exit 75
fi

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
[[ $code -ne 0 ]] && echo "nightly reprocessing failed with exit code $code; see $log" >&2
exit $code
