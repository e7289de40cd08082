#!/usr/bin/env bash
# The speed of the learner's edit-test loop, measured, never asserted in a
# test: run it by hand, on a machine as quiet as you can get, and read the
# medians.
#
#   tools/course/bench/speed.sh            # 5 runs of each (RUNS=N for more)
#   ONLY=exercise tools/course/bench/speed.sh   # one exercise only
#
# It works on a copy of the repository's files under target/course-bench/
# (exercises/ is never touched) with a target/ of its own, warms every
# build up first, and measures, after a one-line edit of the exercise's
# file each time:
#
#   - a bare crate with one test (one test target compiling one source file,
#     as an exercise does, without test-support), `cargo test`: the baseline;
#     and, for comparison, what `cargo new --lib` makes (a library with one
#     unit test, default profile, doc-tests);
#   - one exercise through the page's command, `cargo test -p chapter-1
#     spawn_all`, and through `cargo test -p chapter-1 --test ex1_spawn_all`;
#   - one exercise re-run by `cargo course` in watch mode: the CPU time the
#     companion and its children (cargo, rustc, the test binary) spend from
#     the save to the printed result, read from /proc;
#   - each whole chapter with the reference solutions in place, `cargo test
#     -p chapter-N` (wall and CPU);
#   - `cargo course list` on the warm copy (wall), with the starters and
#     with every reference solution in place.
#
# CPU time is user + system of the command and all its children; every
# figure is the median of RUNS runs; RUST_BACKTRACE is unset. Linux only
# (/proc).
set -euo pipefail
unset RUST_BACKTRACE CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR
root=$(cd "$(dirname "$0")/../../.." && pwd)
work=${COURSE_BENCH_DIR:-$root/target/course-bench}
runs=${RUNS:-5}
ws=$work/workspace
bare=$work/bare
tck=$(getconf CLK_TCK)

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# cpu CMD...: user+sys seconds of CMD and its children; wall: seconds.
cpu() {
    local t
    TIMEFORMAT='%3U %3S %3R'
    t=$( { time "$@" >/dev/null 2>&1 || true; } 2>&1 )
    awk '{ printf "%.3f %.3f\n", $1 + $2, $3 }' <<<"$t"
}

# edit FILE N: a one-line edit, so that cargo and rustc see a change.
edit() {
    local file=$1 n=$2
    if tail -n 1 "$file" | grep -q '^// edit '; then
        sed -i '$d' "$file"
    fi
    echo "// edit $n" >>"$file"
}

# measure LABEL FILE CMD...: median CPU and wall of CMD after an edit of FILE.
measure() {
    local label=$1 file=$2
    shift 2
    edit "$file" warm1 && cpu "$@" >/dev/null
    edit "$file" warm2 && cpu "$@" >/dev/null
    local samples=()
    for i in $(seq "$runs"); do
        edit "$file" "$i"
        samples+=("$(cpu "$@")")
    done
    local c w
    c=$(printf '%s\n' "${samples[@]}" | awk '{ print $1 }' | median)
    w=$(printf '%s\n' "${samples[@]}" | awk '{ print $2 }' | median)
    printf '%-58s cpu %6.3f s  wall %6.3f s\n' "$label" "$c" "$w"
    echo "$c" >"$work/last"
}

echo "== machine: $(nproc) cores, $(uname -sr), $(rustc --version)"
echo "== load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# The copy: the repository's files as git knows them (committed or not).
# Kept between runs (with its target/), refreshed from the repository.
mkdir -p "$ws"
(cd "$root" && git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$ws")
# The bare crate: one test target compiling one source file, same profile.
rm -rf "$bare" && mkdir -p "$bare/src" "$bare/tests"
cat >"$bare/Cargo.toml" <<'EOF'
[package]
name = "bare"
version = "0.1.0"
edition = "2024"
autolib = false

# A workspace of its own, wherever it is.
[workspace]

[[test]]
name = "one"
path = "tests/one.rs"

[profile.dev]
debug = "line-tables-only"
EOF
cat >"$bare/src/answer.rs" <<'EOF'
pub fn answer() -> u32 {
    42
}
EOF
cat >"$bare/tests/one.rs" <<'EOF'
#[path = "../src/answer.rs"]
mod answer;

#[test]
fn answers() {
    assert_eq!(answer::answer(), 42);
}
EOF
cp "$root/rust-toolchain.toml" "$bare/"
# And what `cargo new --lib` makes: a library with one unit test, the
# default profile, and doc-tests (which `cargo test` runs too).
# (Written out here: `cargo new` inside this repository would join its
# workspace.)
newlib=$work/newlib
rm -rf "$newlib" && mkdir -p "$newlib/src"
cat >"$newlib/Cargo.toml" <<'EOF'
[package]
name = "newlib"
version = "0.1.0"
edition = "2024"

[dependencies]

[workspace]
EOF
cat >"$newlib/src/lib.rs" <<'EOF'
pub fn add(left: u64, right: u64) -> u64 {
    left + right
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_works() {
        let result = add(2, 2);
        assert_eq!(result, 4);
    }
}
EOF
cp "$root/rust-toolchain.toml" "$newlib/"

echo "== building (the copy's tests and the companion)"
(cd "$ws" && cargo build --quiet -p course && cargo test --quiet --no-run -p chapter-1 -p chapter-6 >/dev/null 2>&1 || true)
(cd "$bare" && cargo test --quiet --no-run >/dev/null 2>&1)
(cd "$newlib" && cargo test --quiet --no-run >/dev/null 2>&1)
course_bin=$ws/target/debug/course

echo "== one exercise after a one-line edit (median of $runs)"
cd "$newlib"
measure "cargo new --lib crate: cargo test" src/lib.rs cargo test
newbase=$(cat "$work/last")
cd "$bare"
measure "bare crate (one test target): cargo test" src/answer.rs cargo test
base=$(cat "$work/last")
cd "$ws"
file=exercises/chapter-1/src/spawn_all.rs
measure "1.7.1: cargo test -p chapter-1 spawn_all" $file cargo test -p chapter-1 spawn_all
page=$(cat "$work/last")
measure "1.7.1: cargo test -p chapter-1 --test ex1_spawn_all" $file cargo test -p chapter-1 --test ex1_spawn_all
exact=$(cat "$work/last")
# Chapter 6: the exercise's two targets (plain tests and loom models).
slot=exercises/chapter-6/src/slot.rs
measure "6.6.1: cargo test -p chapter-6 slot (plain + loom)" $slot cargo test -p chapter-6 slot
slot_both=$(cat "$work/last")
measure "6.6.1: cargo test -p chapter-6 --test ex1_slot" $slot cargo test -p chapter-6 --test ex1_slot
slot_plain=$(cat "$work/last")

# The watch re-run: cargo course on 1.7.1, fed keys from a pipe; the CPU
# its process and its waited-for children spent between a save and the
# result, from /proc/PID/stat (utime, stime, cutime, cstime).
stat_cpu() { awk -v t="$tck" '{ printf "%.3f\n", ($14 + $15 + $16 + $17) / t }' "/proc/$1/stat"; }
results() { grep -c 'tests pass' "$work/watch.out" || true; }
rm -f "$work/keys" && mkfifo "$work/keys"
"$course_bin" watch 1.7.1 <"$work/keys" >"$work/watch.out" 2>&1 &
pid=$!
exec 3>"$work/keys"
until [ "$(results)" -ge 1 ]; do sleep 0.05; done
samples=()
for i in warm1 warm2 $(seq "$runs"); do
    sleep 1
    before=$(stat_cpu $pid)
    seen=$(results)
    edit $file "$i"
    until [ "$(results)" -gt "$seen" ]; do sleep 0.02; done
    after=$(stat_cpu $pid)
    case $i in warm*) ;; *) samples+=("$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.3f\n", a - b }')") ;; esac
done
watch=$(printf '%s\n' "${samples[@]}" | median)
printf '%-58s cpu %6.3f s\n' "1.7.1: cargo course (watch), re-run after a save" "$watch"
idle_before=$(stat_cpu $pid)
sleep 10
idle=$(awk -v a="$(stat_cpu $pid)" -v b="$idle_before" 'BEGIN { printf "%.2f\n", a - b }')
printf '%-58s cpu %6.2f s in 10 s\n' "cargo course (watch), idle" "$idle"
echo q >&3
exec 3>&-
wait $pid || true

echo "== ratios of CPU time (target: at most 1.4), to the bare crate | to the cargo new --lib crate"
awk -v b="$base" -v n="$newbase" -v p="$page" -v e="$exact" -v w="$watch" -v s="$slot_both" -v sp="$slot_plain" 'BEGIN {
    printf "  cargo test -p chapter-1 spawn_all          %.2fx | %.2fx\n", p / b, p / n
    printf "  cargo test -p chapter-1 --test ex1_...     %.2fx | %.2fx\n", e / b, e / n
    printf "  cargo course, watch re-run                 %.2fx | %.2fx\n", w / b, w / n
    printf "  cargo test -p chapter-6 slot (plain+loom)  %.2fx | %.2fx\n", s / b, s / n
    printf "  cargo test -p chapter-6 --test ex1_slot    %.2fx | %.2fx\n", sp / b, sp / n
}'
if [ "${ONLY:-}" = exercise ]; then exit 0; fi

echo "== whole chapters with the reference solutions, after a one-line edit (target: 1.0 s wall)"
for dir in "$ws"/exercises/chapter-*; do
    n=${dir##*-}
    for f in "$dir"/src/*.rs; do cp "$ws/solutions/chapter-$n/src/${f##*/}" "$f"; done
    first=$(grep -m1 -o 'path = "tests/[a-z_]*.rs"' "$dir/Cargo.toml" | sed 's/.*tests\/\(.*\)"/\1/')
    measure "chapter $n: cargo test -p chapter-$n" "$dir/src/$first" cargo test -p "chapter-$n"
done

echo "== cargo course list on the warm copy (target: 10 s wall)"
list() {
    local label=$1 samples=()
    "$course_bin" list >/dev/null 2>&1 || true
    for _ in $(seq "$runs"); do samples+=("$(cpu "$course_bin" list)"); done
    printf '%-58s cpu %6.3f s  wall %6.3f s\n' "$label" \
        "$(printf '%s\n' "${samples[@]}" | awk '{ print $1 }' | median)" \
        "$(printf '%s\n' "${samples[@]}" | awk '{ print $2 }' | median)"
}
list "cargo course list, every reference solution in place"
for dir in "$ws"/exercises/chapter-*; do cp "$root/exercises/${dir##*/}"/src/*.rs "$dir/src/"; done
list "cargo course list, every starter"
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
