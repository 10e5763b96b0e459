#!/usr/bin/env bash
# The phone-number registry through the REST API against the real daemon and PostgreSQL:
# numbers assigned by hand (PUT /phone_numbers/{NUMBER}, E.164 normalisation, 400 for what is no
# number, 409 number_exists when another account holds it), read, listed page by page, released;
# callflows claiming their DIDs (automatic assignment, 409 naming a DID another account holds,
# release when no callflow names it), extensions staying per account; concurrent claims of one
# number by two accounts, through callflows and through PUT, with exactly one winner each time.
. "$(dirname "$0")/api_lib.sh"

api_start cp-numbers
A=$API_cp_numbers
sfx=$RANDOM$RANDOM
bootstrap "root$sfx" "root$sfx.example.net" admin secretpw
r=$(req PUT "$A/user_auth" "{\"data\":{\"credentials\":\"$(md5_of admin:secretpw)\",\"account_name\":\"root$sfx\"}}")
TOKEN=$(jqb "$r" .auth_token)
check "logged in as the root account" test -n "$TOKEN"
new_account() { req PUT "$A/accounts/$ROOT_ID" "{\"data\":{\"name\":\"$1-$sfx\"}}" | { read -r _ b; echo "$b" | jq -r .data.id; }; }
CA=$(new_account a)
CB=$(new_account b)
check "two accounts" test -n "$CA" -a -n "$CB" -a "$CA" != null -a "$CB" != null

# This run's numbers: +1 555 and seven random digits, then consecutive ones (NANP, so the
# 10-digit spelling names the same number).
base=$(((RANDOM * 32768 + RANDOM) % 9000000 + 500000))
num() { echo "+1555$(printf '%07d' $((base + $1)))"; }
N1=$(num 1) N2=$(num 2) N3=$(num 3) N4=$(num 4)
nums_url() { echo "$A/accounts/$1/phone_numbers${2:+/$2}"; }
cf() { echo "{\"data\":{\"numbers\":$1,\"flow\":{\"module\":\"device\",\"data\":{}}}}"; }

# --- assignment by hand
r=$(req PUT "$(nums_url "$CA" "$N1")")
check "PUT assigns a free number (201)" [ "$(status_of "$r")" = 201 ]
check "it is the account's, in service, by hand" \
  [ "$(jqb "$r" '[.data.id, .data.assigned_to, .data.state, .data.auto_assigned] | join(" ")')" = "$N1 $CA in_service false" ]
r=$(req PUT "$(nums_url "$CA" "$N1")" '{"data":{"state":"reserved"}}')
check "PUT again updates it (200, state reserved)" [ "$(status_of "$r") $(jqb "$r" .data.state)" = "200 reserved" ]
r=$(req PUT "$(nums_url "$CB" "$N1")")
check "another account's PUT is 409 number_exists" \
  [ "$(status_of "$r") $(jqb "$r" '.message + " " + .data.error')" = "409 number_exists number_exists" ]
check "the conflict names the number" [ "$(jqb "$r" .data.cause)" = "$N1" ]
check "and says it is in use by another account" \
  grep -q "^number $N1 is in use by another account$" <<< "$(jqb "$r" .data.message)"
r=$(req GET "$(nums_url "$CB" "$N1")")
check "the other account cannot read it (404)" [ "$(status_of "$r")" = 404 ]
r=$(req GET "$(nums_url "$CA" "${N1#+1}")")
check "GET by its 10-digit spelling reads it" [ "$(status_of "$r") $(jqb "$r" .data.id)" = "200 $N1" ]
r=$(req GET "$A/accounts/$CA/phone_numbers/%2B${N1#+}")
check "a %-encoded + works too" [ "$(status_of "$r") $(jqb "$r" .data.id)" = "200 $N1" ]
for bad in abc 1001 %2B0123456789 %2B123456 %2B1234567890123456 "%2B1555%2B1230000"; do
  r=$(req PUT "$(nums_url "$CA" "$bad")")
  check "PUT of \"$bad\" is 400 invalid number" [ "$(status_of "$r") $(jqb "$r" .message)" = "400 invalid number" ]
done
r=$(req PUT "$(nums_url "$CA" "$N4")" '{"data":{"state":"porting"}}')
check "an unknown state is 400" [ "$(status_of "$r") $(jqb "$r" '.data.state | keys[0]')" = "400 enum" ]
r=$(req PUT "$A/accounts/$CA/phone_numbers/%28555%29%20$(printf '%07d' $((base + 4)) | sed 's/^\(...\)/\1-/')")
check "PUT of \"(555) NNN-NNNN\" stores it in E.164" [ "$(status_of "$r") $(jqb "$r" .data.id)" = "201 $N4" ]

# --- callflows claim their DIDs
r=$(req PUT "$A/accounts/$CA/callflows" "$(cf "[\"$N2\", \"1001\"]")")
check "a callflow with a free DID and an extension is created" [ "$(status_of "$r")" = 201 ]
CF_A=$(jqb "$r" .data.id)
r=$(req GET "$(nums_url "$CA" "$N2")")
check "its DID was assigned to the account automatically" \
  [ "$(jqb "$r" '[.data.assigned_to, .data.auto_assigned, .data.used_by] | join(" ")')" = "$CA true callflow" ]
r=$(req PUT "$A/accounts/$CB/callflows" "$(cf "[\"$N2\"]")")
check "another account's callflow with that DID is 409 number_exists" \
  [ "$(status_of "$r") $(jqb "$r" .message)" = "409 number_exists" ]
check "naming the DID" [ "$(jqb "$r" .data.cause)" = "$N2" ]
spelled="(${N2:2:3}) ${N2:5:3}-${N2:8}"
r=$(req PUT "$A/accounts/$CB/callflows" "$(cf "[\"$spelled\"]")")
check "so is the DID spelled \"$spelled\"" [ "$(status_of "$r") $(jqb "$r" .data.cause)" = "409 $N2" ]
r=$(req PUT "$A/accounts/$CB/callflows" "$(cf "[\"1001\"]")")
check "an extension another account uses is fine" [ "$(status_of "$r")" = 201 ]
CF_B=$(jqb "$r" .data.id)
r=$(req PATCH "$A/accounts/$CB/callflows/$CF_B" "{\"data\":{\"numbers\":[\"1001\",\"$N1\"]}}")
check "PATCH adding a DID held by hand elsewhere is 409" [ "$(status_of "$r") $(jqb "$r" .data.cause)" = "409 $N1" ]
r=$(req POST "$A/accounts/$CB/callflows/$CF_B" "$(cf "[\"1001\", \"$N2\"]")")
check "POST with another account's automatic DID is 409" [ "$(status_of "$r") $(jqb "$r" .data.cause)" = "409 $N2" ]
r=$(req GET "$A/accounts/$CB/callflows/$CF_B")
check "the refused writes left the callflow as it was" [ "$(jqb "$r" '.data.numbers | join(",")')" = 1001 ]
r=$(req GET "$(nums_url "$CB")")
check "and gave the other account no number" [ "$(status_of "$r") $(jqb "$r" '.data | length')" = "200 0" ]
r=$(req DELETE "$(nums_url "$CA" "$N2")")
check "a number a callflow names cannot be released (409 number_in_use)" \
  [ "$(status_of "$r") $(jqb "$r" .message)" = "409 number_in_use" ]
r=$(req PATCH "$A/accounts/$CA/callflows/$CF_A" '{"data":{"numbers":["1001"]}}')
check "the owner's callflow drops the DID" [ "$(status_of "$r")" = 200 ]
r=$(req GET "$(nums_url "$CA" "$N2")")
check "the automatic assignment is released with it" [ "$(status_of "$r")" = 404 ]
r=$(req PATCH "$A/accounts/$CB/callflows/$CF_B" "{\"data\":{\"numbers\":[\"1001\",\"$N2\"]}}")
check "now the other account's callflow may take it" [ "$(status_of "$r")" = 200 ]
r=$(req GET "$(nums_url "$CB" "$N2")")
check "and holds it" [ "$(jqb "$r" '.data.assigned_to + " " + (.data.auto_assigned | tostring)')" = "$CB true" ]
r=$(req PUT "$(nums_url "$CB" "$N2")")
check "PUT of an automatic number makes it one by hand (200)" \
  [ "$(status_of "$r") $(jqb "$r" .data.auto_assigned)" = "200 false" ]
r=$(req DELETE "$A/accounts/$CB/callflows/$CF_B")
check "deleting the callflow" [ "$(status_of "$r")" = 200 ]
r=$(req GET "$(nums_url "$CB" "$N2")")
check "keeps a number assigned by hand" [ "$(status_of "$r") $(jqb "$r" .data.used_by)" = "200 " ]
r=$(req DELETE "$(nums_url "$CB" "$N2")")
check "DELETE releases it" [ "$(status_of "$r") $(jqb "$r" .data._deleted)" = "200 true" ]
r=$(req DELETE "$(nums_url "$CB" "$N2")")
check "a second DELETE is 404" [ "$(status_of "$r")" = 404 ]
r=$(req PUT "$A/accounts/$CA/callflows" "$(cf "[\"$N1\"]")")
check "the holder's own callflow may name its number held by hand" [ "$(status_of "$r")" = 201 ]
r=$(req DELETE "$A/accounts/$CA/callflows/$(jqb "$r" .data.id)")
r=$(req GET "$(nums_url "$CA" "$N1")")
check "and deleting that callflow keeps it" [ "$(status_of "$r") $(jqb "$r" .data.state)" = "200 reserved" ]

# --- a deleted account frees its numbers
CC=$(new_account c)
r=$(req PUT "$(nums_url "$CC" "$N3")")
check "a third account takes a number" [ "$(status_of "$r")" = 201 ]
r=$(req DELETE "$A/accounts/$CC")
r=$(req PUT "$(nums_url "$CB" "$N3")")
check "once that account is deleted another may take it" [ "$(status_of "$r")" = 201 ]

# --- listing and paging
for i in $(seq 10 16); do req PUT "$(nums_url "$CA" "$(num "$i")")" > /dev/null; done
want=$( (echo "$N1"; echo "$N4"; for i in $(seq 10 16); do num "$i"; done) | sort | paste -sd,)
r=$(req GET "$(nums_url "$CA")")
check "GET lists the account's numbers in order" [ "$(jqb "$r" '[.data[].id] | join(",")')" = "$want" ]
got="" key="" pages=0
while [ $pages -lt 10 ]; do
  r=$(req GET "$(nums_url "$CA")?page_size=4${key:+&start_key=$(jq -rn --arg k "$key" '$k | @uri')}")
  [ "$(status_of "$r")" = 200 ] || break
  got="$got${got:+,}$(jqb "$r" '[.data[].id] | join(",")')"
  pages=$((pages + 1))
  key=$(jqb "$r" '.next_start_key // empty')
  [ -n "$key" ] || break
done
check "page_size=4 pages through all nine in three pages" [ "$pages $got" = "3 $want" ]
r=$(req GET "$(nums_url "$CA")?page_size=4")
check "a page says its size" [ "$(jqb "$r" .page_size)" = 4 ]
r=$(req GET "$(nums_url "$CA")?paginate=false")
check "paginate=false lists them all" [ "$(jqb "$r" '.data | length')" = 9 ]
r=$(req GET "$(nums_url "$CA")?start_key=abc")
check "a start_key that is no number is 400" [ "$(status_of "$r")" = 400 ]
r=$(req GET "$(nums_url "$CA")?page_size=0")
check "page_size 0 is 400" [ "$(status_of "$r")" = 400 ]

# --- concurrent claims: the two accounts race for each number; one wins, the other gets 409
claim() {  # claim ACCOUNT KIND NUMBER OUT: one PUT, "STATUS BODY" into OUT (own body file)
  local T_DIR; T_DIR=$(mktemp -d "$4.XXXX")
  if [ "$2" = callflow ]; then
    req PUT "$A/accounts/$1/callflows" "$(cf "[\"$3\"]")" > "$4"
  else
    req PUT "$(nums_url "$1" "$3")" > "$4"
  fi
}
race() {  # race KIND NUMBER: both accounts at once; prints the two statuses sorted
  claim "$CA" "$1" "$2" "$T_DIR/race-a" &
  local a=$!
  claim "$CB" "$1" "$2" "$T_DIR/race-b" &
  wait "$a" $!
  printf '%s\n' "$(status_of "$(cat "$T_DIR/race-a")")" "$(status_of "$(cat "$T_DIR/race-b")")" |
    sort | paste -sd' '
}
for kind in callflow phone_numbers; do
  won=0 first=100
  [ "$kind" = callflow ] || first=200
  for i in $(seq 1 12); do
    n=$(num $((first + i)))
    res=$(race "$kind" "$n")
    holders=$(psql "$(pg_conninfo)" -Atc "SELECT count(*) FROM numbers WHERE number = '$n'")
    if [ "$res" = "201 409" ] && [ "$holders" = 1 ]; then won=$((won + 1)); else echo "# $kind race for $n: $res, $holders holder(s)"; fi
  done
  check "$kind: 12 races, each with one 201, one 409 and one holder" [ "$won" = 12 ]
done

finish
