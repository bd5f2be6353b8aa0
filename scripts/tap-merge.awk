# Turn one stage's raw output into numbered lines of the single TAP stream
# that scripts/check.sh prints.
#
#   awk -v stage=NAME -v start=N -v rc=STATUS -v state=FILE -f tap-merge.awk LOG
#
# Input: any mix of kselftest-style TAP streams ("TAP version 13", "1..N",
# "ok N name", "not ok N name", "... # SKIP why"), "#" diagnostics, other
# text, and the guest's per-binary markers
#   OOMCTL-TEST <name> ... OOMCTL-TEST-END <name> rc=N timeout=0|1 limit=Ts
# and run-vm.sh's OOMCTL-ABORT (VM died/timed out; closes an open section).
# Output: "ok K - stage: [binary: ]name[ # directive]", "# ..." lines; other
# text becomes "# ..." so the stream stays valid TAP.
# Checks the raw streams cannot express themselves: a plan that does not match
# the number of results, a binary that crashed/exited non-zero without saying
# "not ok", a timeout, a section that never ended (the VM died), and a stage
# command that failed without reporting any failure (rc=).  Our own binaries
# must say what they did: one that reports no result (no output, an empty
# plan "1..0" without "# SKIP why", exit 4 without a SKIP line) or results
# without a plan fails.
# A result with a "# SKIP" directive counts as skipped, not as passed.
# state: "count passed failed skipped" is written there at the end.

function result(ok, desc,    d) {
	n++
	d = desc
	if (ok) {
		if (d ~ /#[ \t]*[Ss][Kk][Ii][Pp]/) skipped++
		else passed++
		print "ok " n " - " stage ": " d
	} else {
		failed++
		print "not ok " n " - " stage ": " d
	}
}
function prefix() { return sec != "" ? sec ": " : "" }
# End of one TAP stream: its plan must match what it reported.  quiet: the
# binary died, which its own failure line says; no second failure for that.
function end_stream(quiet) {
	if (plan != "" && plan == 0 && s_results == 0) {
		if (plan_why ~ /[^ \t]/)
			result(1, prefix() "skipped # SKIP" plan_why)
		else {
			result(0, prefix() "empty plan (1..0) without a SKIP reason")
			sec_fail++
		}
		sec_results++
	} else if (plan != "" && plan != s_results && !quiet)
		result(0, prefix() "planned " plan " tests, reported " s_results)
	plan = ""; plan_why = ""; s_results = 0
}
function end_section(rc, timeout, limit,    sig) {
	end_stream(timeout == 1 || rc > 128)
	if (sec_results > 0 && !sec_planned && (rc == 0 || rc == 4) && timeout != 1) {
		result(0, sec ": no plan (1..N) for its " sec_results " result(s)")
		sec_fail++
	}
	if (timeout == 1)
		result(0, sec ": timed out after " limit ", killed")
	else if (rc > 128) {
		sig = rc - 128
		result(0, sec ": killed by signal " sig (sig == 9 ? " (SIGKILL)" : sig == 11 ? " (SIGSEGV)" : sig == 6 ? " (SIGABRT)" : ""))
	} else if (rc == 4 && sec_fail == 0) {	# KSFT_SKIP: the output says why
		if (sec_results == 0)
			result(0, sec ": exit status 4 (KSFT_SKIP) without a SKIP line saying why")
	}
	else if (rc != 0 && sec_fail == 0)
		result(0, sec ": exited with status " rc)
	else if (rc == 0 && sec_results == 0)
		result(0, sec ": reported no results (no TAP, exit status 0)")
	sec = ""; sec_results = 0; sec_fail = 0; sec_planned = 0
}
function field(line, key,    m) {
	if (match(line, " " key "=[^ ]*")) {
		m = substr(line, RSTART + length(key) + 2, RLENGTH - length(key) - 2)
		return m
	}
	return ""
}

BEGIN { n = start + 0; passed = 0; failed = 0; skipped = 0; sec = ""; plan = ""; sec_planned = 0 }

{ sub(/\r+$/, "") }

/^OOMCTL-TEST-END / {
	if (sec != "")
		end_section(field($0, "rc") + 0, field($0, "timeout") + 0, field($0, "limit"))
	next
}
/^OOMCTL-TEST / {
	if (sec != "") {	# previous binary never ended: cannot happen unless the guest broke
		end_stream()
		result(0, sec ": no OOMCTL-TEST-END marker")
	}
	end_stream()
	sec = $2; sec_results = 0; sec_fail = 0; sec_planned = 0
	next
}
/^OOMCTL-ABORT/ {	# run-vm.sh: the VM stopped; what follows is about the VM
	if (sec != "") {
		end_stream(1)
		result(0, sec ": did not finish (the VM stopped)")
		sec = ""; sec_results = 0; sec_fail = 0; sec_planned = 0
	}
	next
}
/^OOMCTL-/ { next }
/^TAP version/ { end_stream(); next }
/^[0-9]+\.\.[0-9]+/ {
	plan = substr($0, index($0, "..") + 2) + 0
	sec_planned = 1
	if (match($0, /#[ \t]*[Ss][Kk][Ii][Pp]/)) plan_why = substr($0, RSTART + RLENGTH)
	next
}
/^(not )?ok([ \t]|$)/ {
	line = $0
	ok = (line !~ /^not /)
	sub(/^(not )?ok[ \t]*/, "", line)
	sub(/^[0-9]+[ \t]*/, "", line)
	sub(/^-[ \t]*/, "", line)
	if (line == "" || line ~ /^#/) line = "test " (s_results + 1) (line == "" ? "" : " " line)
	# A "not ok ... # TODO" is an expected failure: not counted as failed.
	if (!ok && line ~ /#[ \t]*[Tt][Oo][Dd][Oo]/) ok = 1
	# A skip says why (a kernel option, a tool that is absent).
	if (ok && line ~ /#[ \t]*[Ss][Kk][Ii][Pp][^ \t]*[ \t]*$/) {
		ok = 0
		sub(/[ \t]*#[ \t]*[Ss][Kk][Ii][Pp][^ \t]*[ \t]*$/, "", line)
		line = line " (skipped without a reason)"
	}
	s_results++; sec_results++
	if (!ok) sec_fail++
	result(ok, prefix() line)
	next
}
/^Bail out!/ {
	result(0, prefix() $0)
	sec_fail++
	next
}
/^#/ { print; next }
/^[ \t]*$/ { next }
{ print "# " $0 }

END {
	if (sec != "") {
		end_stream(1)
		result(0, sec ": did not finish (no OOMCTL-TEST-END marker)")
		sec = ""
	}
	end_stream()
	if (rc != "" && rc + 0 != 0 && failed == 0)
		result(0, "exited with status " rc)
	else if (n == start + 0)	# a stage that says nothing did not test anything
		result(0, "reported no results")
	if (state != "") print n, passed, failed, skipped > state
}
