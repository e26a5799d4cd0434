#!/usr/bin/env bash
# One benchmark command: every performance figure of Stockroom beside its reference, measured in the same run.
#
#   loadtests/bench.sh [group ...] [-Dbench.seconds=10 -Dbench.rounds=2 -Dbench.events=100000 ...]
#
# Groups: holds (DirectHoldBenchmark and CombiningHoldBenchmark, one per hold engine, also with durable commits, and
# CombinerBenchmark, the combining engine without HTTP), reads (AvailabilityBenchmark),
# warehouse (WarehouseEventsBenchmark), history (HistoryBenchmark: 10M ledger rows, the longest). Without a group (and
# with BENCH_GROUPS unset) all of them run; `loadtests/bench.sh history` (or BENCH_GROUPS=history) runs only that one.
# Each benchmark starts the service with production pool sizes, an embedded PostgreSQL and an embedded Kafka broker in
# its own JVM; then the script writes loadtests/results/<date>/summary.md with PNG charts. Runs of other groups on the
# same day stay in that directory and in its summary (a run replaces only the figures of the groups it runs), so the
# long history group can run apart from the others. The -D arguments are passed to every benchmark run (system
# properties documented in each benchmark's Javadoc). Keeps the latest BENCH_KEEP (3) result directories.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
started=$(date +%s)
day=$(date -u +%Y-%m-%d)
results="$root/loadtests/results"
out="$results/$day"
logs="$root/target/bench-logs"
# pgbench: BENCH_PGBENCH, else the one on PATH, else the newest under /usr/lib/postgresql/*/bin (Debian puts it there).
find_pgbench() {
  if [[ -n ${BENCH_PGBENCH:-} ]]; then
    echo "$BENCH_PGBENCH"
  elif command -v pgbench >/dev/null; then
    command -v pgbench
  else
    find /usr/lib/postgresql -path '*/bin/pgbench' 2>/dev/null | sort -V | tail -n 1
  fi
}
pgbench=$(find_pgbench)
keep=${BENCH_KEEP:-3}
groups=()
while (($#)) && [[ $1 != -* ]]; do
  groups+=("$1")
  shift
done
((${#groups[@]})) || read -r -a groups <<<"${BENCH_GROUPS:-holds reads warehouse history}"
ran() { [[ " ${groups[*]} " == *" $1 "* ]]; }
for group in "${groups[@]}"; do
  case $group in
    holds | reads | warehouse | history) ;;
    *) echo "unknown group $group (holds, reads, warehouse, history)" >&2; exit 2 ;;
  esac
done

# The load tools and the chart renderer, from Debian packages when missing.
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
# Debian's postgresql-client carries no pgbench; its server package does (the distribution's default version).
[[ -n $pgbench && -x $pgbench ]] || missing+=(postgresql)
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "bench.sh needs ${missing[*]}: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "== installing ${missing[*]}"
  apt-get install -y "${missing[@]}" >/dev/null || { apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
  pgbench=$(find_pgbench)
  [[ -x $pgbench ]] || { echo "no pgbench after installing ${missing[*]}" >&2; exit 1; }
fi
echo "== pgbench: $pgbench"

# Today's figures of the groups about to run make way; those of other groups stay.
rm -rf "$logs"
mkdir -p "$out" "$logs"
forget() { [[ -f $out/$1 ]] && awk -F'\t' -v g="$2" '$1 !~ g' "$out/$1" >"$out/$1.kept" && mv "$out/$1.kept" "$out/$1"; true; }
for group in "${groups[@]}"; do
  case $group in
    holds) rm -f "$out"/holds-*.tsv; forget figures.tsv '^holds$'; forget facts.tsv '^holds ' ;;
    reads) rm -f "$out"/storm*; forget figures.tsv '^(reads|storm)$'; forget facts.tsv '^(reads|storm|refresh)' ;;
    warehouse) forget figures.tsv '^warehouse$'; forget facts.tsv '^warehouse' ;;
    history) rm -f "$out"/history.*; forget figures.tsv '^history$'; forget facts.tsv '^history' ;;
  esac
done
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== building"
./mvnw -B -q -Pbench test-compile >"$logs/build.log" 2>&1 || { tail -40 "$logs/build.log"; exit 1; }

# bench <log name> <test class> [-D...]: one benchmark class in its own JVM, its output in target/bench-logs.
bench() {
  local name=$1 test=$2
  shift 2
  echo "== $name (log: ${logs#"$root"/}/$name.log)"
  if ! ./mvnw -B -Pbench test -Dtest="$test" -Dbench.out="$out" -Dbench.pgbench="$pgbench" "$@" \
      >"$logs/$name.log" 2>&1; then
    grep -E '^\[ERROR\]|Exception' "$logs/$name.log" | head -20
    echo "$name failed; see $logs/$name.log" >&2
    exit 1
  fi
  grep -E '^===|^(naive|default|mode) |^throughput|^  (producer|bare|applied|ratio)' "$logs/$name.log" || true
}

expected=()
if ran holds; then
  # Both hold engines over HTTP, each beside pgbench on the same rows; then the hot SKU again with commits that wait
  # for the disk; then the combining engine alone, without HTTP.
  bench CombiningHoldBenchmark CombiningHoldBenchmark "$@"
  bench DirectHoldBenchmark DirectHoldBenchmark "$@"
  bench CombiningHoldBenchmark-durable CombiningHoldBenchmark -Dstockroom.embedded-db.durable=true "$@"
  bench DirectHoldBenchmark-durable DirectHoldBenchmark -Dstockroom.embedded-db.durable=true "$@"
  bench CombinerBenchmark CombinerBenchmark "$@"
  expected+=(holds)
fi
if ran reads; then bench AvailabilityBenchmark AvailabilityBenchmark "$@"; expected+=(reads storm); fi
if ran warehouse; then bench WarehouseEventsBenchmark WarehouseEventsBenchmark "$@"; expected+=(warehouse); fi
if ran history; then bench HistoryBenchmark HistoryBenchmark "$@"; expected+=(history); fi

for group in "${expected[@]}"; do
  grep -q "^$group	" "$out/figures.tsv" || { echo "no $group figures in $out/figures.tsv (a benchmark was skipped?)" >&2; exit 1; }
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# What the directory holds now: this run's groups and those of earlier runs today.
has() { grep -Eq "^($1)	" "$out/figures.tsv"; }
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml loadtests/bench.sh || echo "+changes")
elapsed=$(($(date +%s) - started))
# One line per run behind the directory's figures; a run whose groups all ran again gives way.
run_line=$(printf '%s\t%s\t%s\t%s\t%s\t%s' "${groups[*]}" "${*}" "$commit" "$((elapsed / 60)) min $((elapsed % 60)) s" \
  "$load_start" "$load_end")
{ [[ -f $out/runs.tsv ]] && awk -F'\t' -v now="${groups[*]}" 'BEGIN { split(now, g, " "); for (i in g) ran[g[i]] }
    { n = split($1, r, " "); for (i = 1; i <= n; i++) if (!(r[i] in ran)) { print; next } }' "$out/runs.tsv"
  echo "$run_line"; } >"$logs/runs.tsv"
mv "$logs/runs.tsv" "$out/runs.tsv"

echo "== charts"
if has 'holds|reads|warehouse'; then
# Figures against their references, on a log scale: they span holds/s to events/s.
awk -F'\t' '$1 == "reads" || ($1 == "holds" && $4 == "holds/s" && $5 ~ /^pgbench/) || $1 == "warehouse" {
  engine = $2 ~ /combining/ ? "combining" : "direct"
  scenario = $2 ~ /alone/ ? "hot SKU, no HTTP" : ($2 ~ /durable/ ? "hot SKU, durable" : ($2 ~ /hot/ ? "hot SKU" : "spread"))
  label = $1 == "holds" ? "holds, " engine ", " scenario : ($1 == "reads" ? "cached reads" : "warehouse events")
  printf "\"%s\"\t%s\t%s\n", label, $3, $6 }' "$out/figures.tsv" >"$logs/throughput.dat"
gnuplot <<EOF
set terminal pngcairo size 1300,520 font ",10"
set output "$out/throughput.png"
set title "Stockroom against its references, same run ($day)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [1:*]
set ylabel "per second (log scale)"
set grid ytics
set key top left
set datafile separator "\t"
plot "$logs/throughput.dat" using 2:xtic(1) title "Stockroom", "" using 3 title "reference (ping, pgbench, bare consumer)"
EOF
fi
if has storm; then
gnuplot <<EOF
set terminal pngcairo size 1000,1200 font ",10"
set output "$out/storm.png"
set datafile separator ","
set key autotitle columnhead top right
set grid
set xlabel "seconds"
set yrange [0:1<*]
# headroom above the highest value, so that a line at a pool's size does not vanish into the frame
set offsets 0, 0, graph 0.08, 0
set multiplot layout 4,2 title "Refresh storm: naive mode against the default ($day)"
files = "$out/storm-naive.csv $out/storm-default.csv"
names = "naive default"
array titles[8] = ["write-pool connections in use (peak per interval)", \
  "threads waiting for a write connection (peak per interval)", "read-pool connections in use (peak per interval)", \
  "cache load queries/s", "bulk reads/s (20 SKUs each)", "holds/s", "hold p99 per interval (ms)", \
  "holds failed for a reason other than stock (cumulative)"]
do for [c = 1:8] {
  set title titles[c]
  plot for [i = 1:2] word(files, i) using 1:(column(c + 1)) with steps title word(names, i)
}
unset multiplot
EOF
fi
if has history; then
# p50, p95 and p99 of each history endpoint beside the unpartitioned ledger without rollup, on a log scale.
gnuplot <<EOF
set terminal pngcairo size 1000,520 font ",10"
set output "$out/history.png"
set title "History at production size: Stockroom against an unpartitioned ledger without rollup ($day)"
set datafile separator ","
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set ylabel "latency, ms (log scale)"
set grid ytics
set key top left
set xtics font ",8"
plot "$out/history.csv" every ::1 using 3:xtic(1) title "Stockroom over HTTP, p95", \\
     "" every ::1 using 9 title "Stockroom service, p95", "" every ::1 using 6 title "unpartitioned, no rollup, p95"
EOF
fi

echo "== summary"
fact() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print v }' "$out/facts.tsv"; }
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
memory=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
jdk=$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | awk -F'"' 'NR == 1 { print "JDK " $2 }')
postgres=$(fact postgresql | sed 's/ on .*//')
{
  echo "# Stockroom benchmark, $day"
  echo
  echo "**Machine:** $(nproc) cores ($cpu), $memory memory, $jdk, $postgres."
  echo
  echo "**Commands** (the figures below come from these runs; load average is 1, 5 and 15 min):"
  echo
  awk -F'\t' '{ printf "- `loadtests/bench.sh %s%s` at commit `%s`, %s end to end; load average %s at the start, %s at the end.\n",
    $1, ($2 == "" ? "" : " " $2), $3, $4, $5, $6 }' "$out/runs.tsv"
  echo
  echo "**Where the figures ran:** each benchmark is a \`@QuarkusTest\` in its own JVM: the service with production pool"
  echo "sizes ($(fact pools)), an embedded $postgres started by that JVM (max_connections $(fact max_connections);"
  echo "$(fact settings)) and an embedded Kafka broker. wrk and pgbench run on the same"
  echo "machine over loopback. Absolute figures move with the machine's load; the ratios against references measured"
  echo "in the same run are what to compare."
  echo
  echo "| figure | value | reference | reference value | ratio |"
  echo "|---|---:|---|---:|---:|"
  awk -F'\t' '{ printf "| %s | %s %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, $7 }' "$out/figures.tsv"
  echo
  echo "Ratios are value / reference."
  if has holds; then
    echo "Holds: the direct engine places each hold in its own transaction (the reservation row, the conditional"
    echo "\`UPDATE\`, its ledger row, the outbox row its trigger writes); the combining engine places the holds waiting for"
    echo "one writer in one transaction that locks and writes each row once. Both sit behind HTTP, a JWT check and"
    echo "shedding; pgbench runs the one-hold \`UPDATE\` alone (its trigger included) on the same rows with as many clients."
    echo "wrk sends the next hold at once after a 503; the answers by status are under Details. Every row holds two"
    echo "billion units, so no hold fails for stock. Durable rows: the database waits for the disk at each commit."
    echo "Each hold benchmark first places unmeasured holds for \`bench.jvm-warmup-seconds\` (90 s by default), so that"
    echo "the JIT has compiled the hold path before any round is measured; pgbench has nothing to compile."
  fi
  if has storm; then
    echo "Refresh storm: naive mode / default, so above 1 means naive mode did more (of connections, queries, latency);"
    echo "the database sits behind a proxy that delays each packet (storm load under Details), the same for both modes."
  fi
  if has history; then
    echo "History: latency of one client asking one request after another, on $(fact 'history ledger' | cut -d'(' -f1)"
    echo "Stockroom over HTTP (what the targets are about: a 365-day report p95 under 50 ms, a history page p95 under"
    echo "20 ms; wrk on one connection, in its own process, cycling through the keys), Stockroom's service called in"
    echo "its JVM (the same path without HTTP, JSON and the token), and the same"
    echo "reports computed over JDBC straight from an unpartitioned ledger without rollup (the old table with its old"
    echo "indexes). The ratios divide by that baseline; below 1 means Stockroom is faster."
  fi
  echo
  if has 'holds|reads|warehouse'; then
    echo "![Stockroom against its references](throughput.png)"
    echo
  fi
  if has storm; then
    echo "![Refresh storm over time, naive mode against the default](storm.png)"
    echo
    echo "Time series behind the chart: [storm-naive.csv](storm-naive.csv), [storm-default.csv](storm-default.csv)."
    echo
  fi
  if has history; then
    echo "![History endpoints against an unpartitioned ledger without rollup](history.png)"
    echo
    echo "| history endpoint, ms | over HTTP p50 / p95 / p99 | in the service p50 / p95 / p99 | unpartitioned, no rollup p50 / p95 / p99 |"
    echo "|---|---:|---:|---:|"
    awk -F',' 'NR > 1 { gsub(/"/, "", $1); printf "| %s | %s / %s / %s | %s / %s / %s | %s / %s / %s |\n", $1, $2, $3, $4, $8, $9, $10, $5, $6, $7 }' "$out/history.csv"
    echo
  fi
  echo "Every figure: [figures.tsv](figures.tsv)."
  echo
  echo "## Details"
  echo
  # Each fact once, its latest value, in the order facts first appeared.
  awk -F'\t' '$1 != "postgresql" && $1 != "max_connections" && $1 != "settings" && $1 != "pools" {
    if (!($1 in v)) order[++n] = $1; v[$1] = $2 } END { for (i = 1; i <= n; i++) printf "- %s: %s\n", order[i], v[order[i]] }' \
    "$out/facts.tsv"
} >"$out/summary.md"

# Keep the latest few runs.
find "$results" -mindepth 1 -maxdepth 1 -type d -name '20*' | sort | head -n -"$keep" | xargs -r rm -rf

echo "== done in $((elapsed / 60)) min $((elapsed % 60)) s: ${out#"$root"/}/summary.md"
