#!/bin/sh
# sip-inspect on RFC 4475 messages: one JSON line each, with the verdict, exit code and fields
# the operators rely on. Usage: sip_inspect_test.sh <sip-inspect> <testdata-dir>
set -u
inspect=$1
data=$2/rfc4475
fails=0

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

# run FILE EXPECTED_EXIT JQ_FILTER: the output must be one line of JSON making the filter true.
run() {
	out=$("$inspect" "$1"); rc=$?
	[ "$rc" -eq "$2" ] || fail "$1: exit $rc, want $2"
	lines=$(printf '%s\n' "$out" | wc -l)
	[ "$lines" -eq 1 ] || fail "$1: $lines lines of output"
	printf '%s' "$out" | jq -e "$3" >/dev/null || fail "$1: '$3' not true for $out"
}

run "$data/wsinv.dat" 0 '.verdict == "accept" and .type == "request" and .method == "INVITE"
	and .request_uri == "sip:vivekg@chair-dnrc.example.com;unknownparam"
	and .call_id == "wsinv.ndaksdj@192.0.2.1" and .cseq == {"number": 9, "method": "INVITE"}
	and .from_tag == "98asjd8" and .to_tag == "1918181833n" and .via_count == 3
	and .top_branch == "390skdjuw" and .content_length == 150
	and (has("status") | not) and (has("reason") | not)'
run "$data/badvers.dat" 1 '.verdict == "reject" and .status == 505 and .reason == "Version Not Supported"'
run "$data/insuf.dat" 1 '.verdict == "reject" and .status == 400 and (has("call_id") | not)
	and .cseq.number == 193942'
run "$data/bext01.dat" 1 '.status == 420 and .reason == "Bad Extension"'
run "$data/bigcode.dat" 2 '.verdict == "drop" and .type == "response" and (has("status") | not)
	and (has("status_code") | not)'
run "$data/unreason.dat" 0 '.verdict == "accept" and .status_code == 200 and .to_tag == "2229"'
run "$data/inv2543.dat" 0 '.verdict == "accept" and (has("top_branch") | not)
	and (has("content_length") | not) and (has("from_tag") | not)'
# Raw NUL, BEL, DEL and UTF-8 must come out as valid JSON with every byte accounted for.
run "$data/intmeth.dat" 0 '.method == "!interesting-Method0123456789_*+`.%indeed'"'"'~"
	and .call_id == "intmeth.word%ZK-!.*_+'"'"'@word`~)(><:\\/\"][?}{"'
run "$data/dblreq.dat" 0 '.method == "REGISTER" and .content_length == 0'

# stdin, control characters and invalid UTF-8 escaped.
out=$(printf 'OPTIONS sip:a\001\377@example.com SIP/2.0\r\n\r\n' | "$inspect" -); rc=$?
[ "$rc" -eq 1 ] || fail "stdin: exit $rc, want 1"
printf '%s' "$out" | jq -e '.request_uri == "sip:a\u0001\u00ff@example.com"' >/dev/null ||
	fail "stdin escaping: $out"
printf '%s' "$out" | grep -q '\\u0001\\u00ff' || fail "stdin: bytes not escaped: $out"

# Usage and I/O errors.
"$inspect" "$data/does-not-exist.dat" >/dev/null 2>&1; rc=$?
[ "$rc" -eq 3 ] || fail "missing file: exit $rc, want 3"
"$inspect" a b >/dev/null 2>&1; rc=$?
[ "$rc" -eq 3 ] || fail "two args: exit $rc, want 3"

[ "$fails" -eq 0 ] && echo "sip-inspect: all checks passed"
exit $((fails != 0))
