#!/usr/bin/env bash
# GET /v2/accounts/{ID}/cdrs as KAZOO serves it: pages of page_size newest first, the envelope's
# next_start_key leading to the next page until the last, start_key echoed, created_from and
# created_to (unix or gregorian seconds) bounding the range, paginate=false, another account's
# CDRs never shown, and bad parameters refused with 400. The CDR rows are written straight into
# PostgreSQL in the shape the calls service stores.
. "$(dirname "$0")/api_lib.sh"

api_start cp-cdrs
A=$API_cp_cdrs
sfx=$RANDOM$RANDOM
bootstrap "cdrs$sfx" "cdrs$sfx.example.net" admin secretpw
r=$(req PUT "$A/api_auth" "{\"data\":{\"api_key\":\"$ROOT_API_KEY\"}}")
TOKEN=$(jqb "$r" .auth_token)
r=$(req PUT "$A/accounts/$ROOT_ID" '{"data":{"name":"other"}}')
OTHER=$(jqb "$r" .data.id)

psql_q() { psql "$(pg_conninfo)" -v ON_ERROR_STOP=1 -Atqc "$1"; }
now=$(date +%s)
# cdr ACCOUNT N AGE-SECONDS: one CDR created AGE seconds ago; call id c<N>-<sfx>.
cdr() {
  psql_q "INSERT INTO cdrs (account_id, id, call_id, created, direction, hangup_cause, data)
          VALUES ('$1', to_char(to_timestamp($now - $3) AT TIME ZONE 'UTC', 'YYYYMM') || '-c$2-$sfx',
                  'c$2-$sfx', to_timestamp($now - $3), 'inbound', 'NORMAL_CLEARING',
                  jsonb_build_object('call_id', 'c$2-$sfx'))"
}
# Seven CDRs, two of them created in the same second (the page order must still be total).
for i in 1 2 3 4 5 6; do cdr "$ROOT_ID" "$i" $((100 - i * 10)); done
cdr "$ROOT_ID" 7 40
cdr "$OTHER" 8 30

# Pages of 3: 3 + 3 + 1, every CDR once, newest first, next_start_key only while more remain.
seen=()
url="$A/accounts/$ROOT_ID/cdrs?page_size=3"
pages=0
key=
while :; do
  r=$(req GET "$url${key:+&start_key=$key}")
  [ "$(status_of "$r")" = 200 ] || { fail "page $pages: $r"; break; }
  pages=$((pages + 1))
  mapfile -t ids < <(jqb "$r" '.data[].call_id')
  seen+=("${ids[@]}")
  [ -n "$key" ] && { [ "$(jqb "$r" .start_key)" = "$key" ] || fail "start_key not echoed on page $pages"; }
  key=$(jqb "$r" '.next_start_key // empty')
  if [ -z "$key" ]; then
    check "the last page has 1 CDR and page_size says so" [ "$(jqb "$r" .page_size)" = 1 ]
    break
  fi
  check "page $pages has 3 CDRs and page_size 3" [ "$(jqb "$r" '.data | length'):$(jqb "$r" .page_size)" = 3:3 ]
  [ $pages -lt 10 ] || { fail "paging does not end"; break; }
done
check "three pages" [ "$pages" = 3 ]
check "every CDR of the account exactly once" \
  [ "$(printf '%s\n' "${seen[@]}" | sort | paste -sd,)" = \
    "$(for i in 1 2 3 4 5 6 7; do echo "c$i-$sfx"; done | sort | paste -sd,)" ]
check "newest first, the same second ordered by id" \
  [ "${seen[0]},${seen[1]},${seen[2]}" = "c7-$sfx,c6-$sfx,c5-$sfx" ]
check "another account's CDR is not listed" \
  bash -c "! printf '%s\n' ${seen[*]} | grep -qx 'c8-$sfx'"

r=$(req GET "$A/accounts/$ROOT_ID/cdrs")
check "the default page holds all seven (page_size 50) with no next_start_key" \
  [ "$(jqb "$r" '[(.data | length), (.next_start_key // "none")] | join(":")')" = "7:none" ]
r=$(req GET "$A/accounts/$ROOT_ID/cdrs?paginate=false&page_size=2")
check "paginate=false lists everything" [ "$(jqb "$r" '.data | length')" = 7 ]
r=$(req GET "$A/accounts/$ROOT_ID/cdrs?created_from=$((now - 65))&created_to=$((now - 35))")
check "created_from/created_to bound the range (unix seconds)" \
  [ "$(jqb "$r" '[.data[].call_id] | sort | join(",")')" = "c4-$sfx,c5-$sfx,c6-$sfx,c7-$sfx" ]
g=62167219200
r=$(req GET "$A/accounts/$ROOT_ID/cdrs?created_from=$((now - 65 + g))&created_to=$((now - 35 + g))&page_size=2")
check "gregorian seconds work the same, paged" \
  [ "$(jqb "$r" '[(.data | length), (.next_start_key != null)] | map(tostring) | join(":")')" = "2:true" ]

for bad in "page_size=0" "page_size=1001" "page_size=x" "created_from=yesterday" \
           "created_from=$((now - 40 * 86400))" "created_from=$now&created_to=$((now - 10))" \
           "start_key=%20bad"; do
  r=$(req GET "$A/accounts/$ROOT_ID/cdrs?$bad")
  check "$bad is 400" [ "$(status_of "$r")" = 400 ]
done
r=$(req GET "$A/accounts/$ROOT_ID/cdrs?start_key=202001-nosuchcall")
check "an unknown start_key gives an empty page" [ "$(status_of "$r"):$(jqb "$r" '.data | length')" = "200:0" ]
check "the control plane stops cleanly" stop_clean cp-cdrs
finish
