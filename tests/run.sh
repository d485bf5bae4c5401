#!/bin/sh
# Run each cmocka test binary given (paths under $SPINNER_BUILD), natively.
# With --valgrind, run them all again under valgrind (unit tests inside it,
# end-to-end tests with the binaries under test inside it).  With --also
# DIR, run the same tests as built in DIR (a sanitizer build); the
# end-to-end suites as built here, on the binaries built in DIR.  The
# parity suites run natively alone: under valgrind or the sanitizers they
# would repeat the end-to-end suites' runs.
#
# The runs are independent, so $SPINNER_JOBS of them (default: three times
# as many as there are processors, as the end-to-end suites spend much of
# their time waiting) go at once, the longest first.  Each run's output is kept
# apart and printed whole, in the order above, as soon as the runs before
# it are done.  Ends with one line counting every test: "N passed, N
# failed, N skipped".  Exits non-zero if any failed; a run that crashes
# counts as a failure even when cmocka could not say so.
vg= also=
while [ $# -gt 0 ]; do
	case $1 in
	--valgrind)
		vg="valgrind -q --error-exitcode=99"
		vg="$vg --child-silent-after-fork=yes --read-inline-info=no"
		vg="$vg --leak-check=full"
		vg="$vg --show-leak-kinds=definite,indirect"
		vg="$vg --errors-for-leak-kinds=definite,indirect"
		shift ;;
	--also)
		also=$2
		shift 2 ;;
	*)
		break ;;
	esac
done
build=${SPINNER_BUILD:-build}
jobs=${SPINNER_JOBS:-$((3 * $(nproc 2>/dev/null || echo 1)))}
dir=$(mktemp -d) || exit 1
collector=
trap '[ -n "$collector" ] && kill "$collector" 2>/dev/null; rm -rf "$dir"' \
    EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# $1 as a command that runs that file, relative or absolute, never one
# looked up in $PATH.
path() {
	case $1 in
	/*) echo "$1" ;;
	*) echo "./$1" ;;
	esac
}

# The runs, numbered in the order they are printed: each test natively,
# then under valgrind, then as built in $also.  For run i, $dir/i.label
# names it and $dir/i.sh runs it.
n=0
for m in native ${vg:+valgrind} ${also:+sanitizers}; do
	for t in "$@"; do
		case $m:$t in
		valgrind:*parity*|sanitizers:*parity*)
			continue ;;	# their runs: made there by e2e_* already
		valgrind:*fuzz_corpus)	# the seeds' paths: test_vt, test_line
			continue ;;	# and test_render run there already
		valgrind:*completion|sanitizers:*completion)
			continue ;;	# the shells do the work: not ours
		esac
		n=$((n + 1))
		case $m:$t in
		native:*)
			label=$t
			cmd="exec $(path "$t")" ;;
		valgrind:*/e2e_*)
			label="$t (binaries under valgrind)"
			cmd="SPINNER_WRAP='$vg' exec $(path "$t")" ;;
		valgrind:*)
			label="$t (under valgrind)"
			cmd="SPINNER_VALGRIND=1 exec $vg $(path "$t")" ;;
		sanitizers:*/e2e_*)	# the binaries from $also, the suite not
			label="$also/${t#"$build"/} (sanitizers)"
			cmd="SPINNER_BUILD='$also' SPINNER_SANITIZERS=1 exec $(path "$t")" ;;
		sanitizers:*)
			t=$also/${t#"$build"/}
			label="$t (sanitizers)"
			cmd="SPINNER_BUILD='$also' exec $(path "$t")" ;;
		esac
		echo "$label" >"$dir/$n.label"
		echo "$cmd" >"$dir/$n.sh"
	done
done

# The order they start in: the longest first, so that the last to end is a
# short one.  Valgrind's end-to-end suites take longest, then its unit
# tests, then the completions' (shells started by the hundred), the
# end-to-end suites with sanitizers, then natively.
order=
for pattern in '*/e2e_* (binaries under valgrind)' '* (under valgrind)' \
    '*/test_completion' '*/e2e_* (sanitizers)' '*/e2e_*' '*'; do
	i=0
	while [ "$i" -lt "$n" ]; do
		i=$((i + 1))
		case $order" " in *" $i "*) continue ;; esac
		case $(cat "$dir/$i.label") in
		$pattern) order="$order $i" ;;
		esac
	done
done

# Each run reports "i status" on this fifo when it ends.
mkfifo "$dir/done" || exit 1
exec 3<>"$dir/done"

# The number on cmocka's last "[  $1 ] N test(s)" line in $log, if any.
count() {
	sed -n "s/^\[  $1 *\] \([0-9]*\) test.*/\1/p" "$log" | tail -n 1
}

# Print run i and count its tests.
passed=0 failed=0 skipped=0 status=0
report() {
	log=$dir/$1.log
	ms=$(cat "$dir/$1.ms")
	printf '\n== %s, %d.%d s\n' "$(cat "$dir/$1.label")" \
	    $((ms / 1000)) $((ms % 1000 / 100))
	cat "$log"
	p=$(count PASSED)
	f=$(count FAILED)
	s=$(count SKIPPED)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	skipped=$((skipped + ${s:-0}))
	if [ "$2" -ne 0 ]; then
		status=1
		# a crash counts as a failure even when cmocka could not say so
		[ -z "$f" ] && failed=$((failed + 1))
	fi
}

# Print each run as soon as it and all before it have ended, then the
# count.  In the background, while the runs go on in the foreground.
collect() {
	got=0 next=1
	while [ "$got" -lt "$n" ]; do
		read -r i rc <&3 || exit 1
		echo "$rc" >"$dir/$i.rc"
		got=$((got + 1))
		while [ -f "$dir/$next.rc" ]; do
			report "$next" "$(cat "$dir/$next.rc")"
			next=$((next + 1))
		done
	done
	printf '\n%d passed, %d failed, %d skipped\n' "$passed" "$failed" \
	    "$skipped"
	exit "$status"
}
collect &
collector=$!

# The runs themselves, $jobs at a time.  xargs runs in the foreground, so
# the tests start with the signal dispositions this script was given (a
# shell starts a background job with SIGINT and SIGQUIT ignored).
ms='d=$(date +%s%N 2>/dev/null); case $d in ""|*[!0-9]*) d=0;; esac'
printf '%s\n' $order | xargs -n 1 -P "$jobs" sh -c '
	'"$ms"'; start=$((d / 1000000))
	sh "$0/$1.sh" >"$0/$1.log" 2>&1
	rc=$?
	'"$ms"'; echo $((d / 1000000 - start)) >"$0/$1.ms"
	echo "$1 $rc" >"$0/done"' "$dir" 3>&-
wait "$collector"
status=$?
collector=
exit "$status"
