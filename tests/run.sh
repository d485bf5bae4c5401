#!/bin/sh
# Run each cmocka test binary given (paths under $SPINNER_BUILD), natively.
# With --valgrind, run them all again under valgrind (unit tests inside it,
# end-to-end tests with the binaries under test inside it).  With --also
# DIR, run the same tests as built in DIR (a sanitizer build).  Ends with
# one line counting every test: "N passed, N failed, N skipped".  Exits
# non-zero if any failed.
vg= also=
while [ $# -gt 0 ]; do
	case $1 in
	--valgrind)
		vg="valgrind -q --error-exitcode=99 --child-silent-after-fork=yes --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect"
		shift ;;
	--also)
		also=$2
		shift 2 ;;
	*)
		break ;;
	esac
done
build=${SPINNER_BUILD:-build}
passed=0 failed=0 skipped=0 status=0
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT

one() {	# label, then the command
	label=$1
	shift
	printf '\n== %s\n' "$label"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	skipped=$((skipped + ${s:-0}))
	if [ "$rc" -ne 0 ]; then
		status=1
		# a crash counts as a failure even when cmocka could not say so
		[ -z "$f" ] && failed=$((failed + 1))
	fi
}

for t in "$@"; do
	one "$t" "./$t"
done
if [ -n "$vg" ]; then
	for t in "$@"; do
		case $t in
		*/e2e_*) SPINNER_WRAP=$vg one "$t (binaries under valgrind)" "./$t" ;;
		*) one "$t (under valgrind)" $vg "./$t" ;;
		esac
	done
fi
if [ -n "$also" ]; then
	for t in "$@"; do
		t2="$also/${t#"$build"/}"
		SPINNER_BUILD=$also one "$t2 (sanitizers)" "./$t2"
	done
fi
printf '\n%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
exit "$status"
