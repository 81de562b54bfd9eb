#!/usr/bin/env bash
# Fuzzes one MailAuth parser with AFL++ through SharpFuzz.
#
#   tests/fuzz/run-fuzz.sh TARGET [SECONDS]      TARGET: spf dkim dmarc zone report bounce (default 180 s)
#   tests/fuzz/run-fuzz.sh all [SECONDS]         every target, one after the other
#   tests/fuzz/run-fuzz.sh save TARGET           copy the run's crashes and hangs into tests/fuzz/regressions/TARGET/
#   tests/fuzz/run-fuzz.sh replay TARGET [PATH]  run a folder or file (default: the seed corpus) through TARGET, no AFL
#
# FUZZ_TIMEOUT_MS (default 5000) is the time one input may take before afl-fuzz calls it a hang.
# tests/fuzz/dict/TARGET.dict (the format's keywords: SPF mechanisms and macros, tag names, zone directives, report
# elements, status codes) is given to afl-fuzz with -x when present.
#
# Needs the Debian package afl++ (installed here when run as root) and the .NET SDK. Builds tests/fuzz/MailAuth.Fuzz
# into out/fuzz/bin, instruments MailAuth.Core.dll there with the sharpfuzz dotnet tool (from the repo's tool
# manifest), and runs one afl-fuzz instance seeded from tests/fuzz/corpus/TARGET. Findings land in
# out/fuzz/findings/TARGET (crashes/, hangs/); copy each into tests/fuzz/regressions/TARGET/ once fixed, so the
# xunit replay test (tests/MailAuth.Tests/Fuzz) keeps checking it. A summary line per target goes to
# out/fuzz/summary.txt (run time, executions, paths, crashes, hangs).
set -euo pipefail
cd "$(dirname "$0")/../.."
targets="spf dkim dkimsig dmarc zone report bounce"
target="${1:?usage: tests/fuzz/run-fuzz.sh <spf|dkim|dkimsig|dmarc|zone|report|bounce|all|save|replay> [seconds]}"
seconds="${2:-180}"

if [ "$target" = save ]; then
    t="${2:?usage: tests/fuzz/run-fuzz.sh save TARGET}"; n=0
    mkdir -p "tests/fuzz/regressions/$t"
    for f in out/fuzz/findings/"$t"/default/crashes/id:* out/fuzz/findings/"$t"/default/hangs/id:*; do
        [ -f "$f" ] || continue
        kind=$(basename "$(dirname "$f")"); id=$(basename "$f" | sed 's/^id:\([0-9]*\).*/\1/')
        cp "$f" "tests/fuzz/regressions/$t/afl-${kind%s}-$id-$(date -u +%Y%m%d)"; n=$((n + 1))
    done
    echo "$t: $n findings copied to tests/fuzz/regressions/$t/"; exit 0
fi

if ! command -v afl-fuzz >/dev/null; then
    if [ "$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
    else echo "afl-fuzz not found: install the Debian package afl++" >&2; exit 1; fi
fi

bin=out/fuzz/bin
# (Re)build and instrument when the driver, the targets or the core changed since the last instrumentation.
if [ ! -f "$bin/.instrumented" ] || [ -n "$(find src/MailAuth.Core tests/fuzz -name '*.cs' -newer "$bin/.instrumented" | head -1)" ]; then
    rm -rf "$bin"
    dotnet tool restore >/dev/null
    dotnet build tests/fuzz/MailAuth.Fuzz -c Release -nologo -v quiet -o "$bin"
    dotnet sharpfuzz "$bin/MailAuth.Core.dll"
    touch "$bin/.instrumented"
fi

if [ "$target" = replay ]; then
    t="${2:?usage: tests/fuzz/run-fuzz.sh replay TARGET [PATH]}"
    exec dotnet "$bin/MailAuth.Fuzz.dll" "$t" --replay "${3:-tests/fuzz/corpus/$t}"
fi

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export DOTNET_TieredPGO=0 DOTNET_gcServer=0
run_one() {
    local t="$1" out="out/fuzz/findings/$1"
    rm -rf "$out"; mkdir -p "$out"
    echo "== $t: afl-fuzz for ${seconds}s"
    local seeds; seeds=$(find "tests/fuzz/corpus/$t" -type f | wc -l)
    local dict=(); [ -f "tests/fuzz/dict/$t.dict" ] && dict=(-x "tests/fuzz/dict/$t.dict")
    afl-fuzz -i "tests/fuzz/corpus/$t" -o "$out" "${dict[@]}" -t "${FUZZ_TIMEOUT_MS:-5000}" -m none -V "$seconds" -- dotnet "$bin/MailAuth.Fuzz.dll" "$t" >"$out/afl.log" 2>&1 || true
    local stats="$out/default/fuzzer_stats"
    if [ -f "$stats" ]; then
        local line
        line=$(awk -F' *: *' -v t="$t" '/^run_time|^execs_done|^execs_per_sec|^corpus_count|^corpus_found|^saved_crashes|^saved_hangs|^bitmap_cvg/ {printf "%s=%s ", $1, $2} END {print ""}' "$stats")
        echo "$(date -u +%FT%TZ) $t: seeds=$seeds $line" | tee -a out/fuzz/summary.txt
    else
        echo "$t: afl-fuzz did not start; see $out/afl.log" | tee -a out/fuzz/summary.txt
        tail -20 "$out/afl.log"
    fi
}
if [ "$target" = all ]; then
    for t in $targets; do run_one "$t"; done
else
    run_one "$target"
fi
