#!/usr/bin/env bash
# The REST API end to end against the real daemon, PostgreSQL and RabbitMQ: bootstrap,
# user_auth and api_auth, account tree and isolation between siblings, CRUD of every resource,
# validation errors, revisions and 409, PATCH, paging and filters, bad inputs, media upload.
. "$(dirname "$0")/api_lib.sh"

api_start cp-api
A=$API_cp_api
sfx=$RANDOM$RANDOM
bootstrap "root$sfx" "root$sfx.example.net" admin secretpw

# --- auth
r=$(req PUT "$A/user_auth" "{\"data\":{\"credentials\":\"$(md5_of admin:wrongpw)\",\"account_name\":\"root$sfx\"}}")
check "user_auth with a wrong password is 401" [ "$(status_of "$r")" = 401 ]
r=$(req PUT "$A/user_auth" "{\"data\":{\"credentials\":\"$(md5_of admin:secretpw)\",\"account_name\":\"root$sfx\"}}")
check "user_auth with md5 credentials gives a token" [ "$(status_of "$r")" = 201 ]
TOKEN=$(jqb "$r" .auth_token)
check "the token belongs to the root account" [ "$(jqb "$r" .data.account_id)" = "$ROOT_ID" ]
sha=$(printf '%s' admin:secretpw | sha1sum | cut -d' ' -f1)
r=$(req PUT "$A/user_auth" "{\"data\":{\"credentials\":\"$sha\",\"account_realm\":\"root$sfx.example.net\"}}")
check "user_auth with sha1 and the realm works" [ "$(status_of "$r")" = 201 ]
r=$(TOKEN= req PUT "$A/api_auth" "{\"data\":{\"api_key\":\"$ROOT_API_KEY\"}}")
check "api_auth with the account's api_key gives a token" [ "$(status_of "$r")" = 201 ]
r=$(TOKEN= req GET "$A/accounts/$ROOT_ID")
check "no token is 401" [ "$(status_of "$r")" = 401 ]
r=$(req GET "$A/accounts/$ROOT_ID" "" -H "X-Auth-Token:" -H "Authorization: Bearer $TOKEN")
check "a Bearer token works too" [ "$(status_of "$r")" = 200 ]

# --- account tree and isolation
r=$(req PUT "$A/accounts/$ROOT_ID" '{"data":{"name":"child-a"}}')
check "create child a" [ "$(status_of "$r")" = 201 ]
CA=$(jqb "$r" .data.id)
r=$(req PUT "$A/accounts/$ROOT_ID" '{"data":{"name":"child-b"}}')
CB=$(jqb "$r" .data.id)
r=$(req PUT "$A/accounts/$CA" '{"data":{"name":"grandchild"}}')
GA=$(jqb "$r" .data.id)
r=$(req GET "$A/accounts/$ROOT_ID/children")
check "children lists a and b" [ "$(jqb "$r" '[.data[].id] | sort | join(",")')" = "$(printf '%s\n' "$CA" "$CB" | sort | paste -sd,)" ]
r=$(req GET "$A/accounts/$ROOT_ID/descendants")
check "descendants has three accounts" [ "$(jqb "$r" '.data | length')" = 3 ]
r=$(req GET "$A/accounts/$GA/parents")
check "parents of the grandchild are root then a" [ "$(jqb "$r" '[.data[].id] | join(",")')" = "$ROOT_ID,$CA" ]
r=$(req GET "$A/accounts/$CA/api_key")
KEY_A=$(jqb "$r" .data.api_key)
TOKEN_A=$(TOKEN= req PUT "$A/api_auth" "{\"data\":{\"api_key\":\"$KEY_A\"}}" | { read -r s b; echo "$b" | jq -r .auth_token; })
r=$(TOKEN=$TOKEN_A req GET "$A/accounts/$CB")
check "a sibling's account is 403" [ "$(status_of "$r")" = 403 ]
r=$(TOKEN=$TOKEN_A req GET "$A/accounts/$ROOT_ID")
check "the parent's account is 403" [ "$(status_of "$r")" = 403 ]
r=$(TOKEN=$TOKEN_A req GET "$A/accounts/$GA")
check "a descendant is reachable" [ "$(status_of "$r")" = 200 ]

# --- devices: create with defaults, read, validation, revisions, PATCH, delete
r=$(req PUT "$A/accounts/$CA/devices" '{"data":{"name":"desk","sip":{"username":"desk1","password":"pw123456"},"x_custom":"kept"}}')
check "PUT creates a device (201)" [ "$(status_of "$r")" = 201 ]
DEV=$(jqb "$r" .data.id)
check "defaults are filled (sip.expire_seconds 300)" [ "$(jqb "$r" .data.sip.expire_seconds)" = 300 ]
check "unknown fields are kept" [ "$(jqb "$r" .data.x_custom)" = kept ]
check "revision is 1" [ "$(jqb "$r" .revision)" = 1 ]
r=$(req GET "$A/accounts/$CA/devices/$DEV")
check "GET reads it" [ "$(jqb "$r" .data.name)" = desk ]
r=$(TOKEN=$TOKEN_A req GET "$A/accounts/$CB/devices/$DEV")
check "another account's device id is refused" [ "$(status_of "$r")" = 403 ]
r=$(req GET "$A/accounts/$CB/devices/$DEV")
check "the device is not found under another account" [ "$(status_of "$r")" = 404 ]
r=$(req PUT "$A/accounts/$CA/devices" '{"data":{"name":"","enabled":"yes"}}')
check "validation errors are 400 invalid data" [ "$(jqb "$r" '.error + " " + .message')" = "400 invalid data" ]
check "errors are keyed by field and rule" [ "$(jqb "$r" '.data.enabled | keys[0]')" = type ]
r=$(req POST "$A/accounts/$CA/devices/$DEV" '{"data":{"name":"desk2","sip":{"username":"desk1","password":"pw123456"}},"revision":"1"}')
check "POST replaces with the current revision" [ "$(jqb "$r" '.revision + .data.name')" = "2desk2" ]
r=$(req POST "$A/accounts/$CA/devices/$DEV" '{"data":{"name":"desk3"},"revision":"1"}')
check "a stale revision is 409" [ "$(status_of "$r")" = 409 ]
r=$(req PATCH "$A/accounts/$CA/devices/$DEV" '{"data":{"x_custom":null,"caller_id":{"internal":{"number":"1001"}}}}')
check "PATCH merges" [ "$(jqb "$r" '.data.caller_id.internal.number + .data.name')" = "1001desk2" ]
check "PATCH null deletes a key" [ "$(jqb "$r" '.data | has("x_custom")')" = false ]

# --- users: passwords never come back
r=$(req PUT "$A/accounts/$CA/users" '{"data":{"first_name":"Ann","last_name":"Lee","username":"ann","password":"annpw"}}')
check "create a user" [ "$(status_of "$r")" = 201 ]
USER_ID=$(jqb "$r" .data.id)
check "no password or private hash is returned" [ "$(jqb "$r" '.data | (has("password") or has("pvt_md5_auth"))')" = false ]
r=$(req GET "$A/accounts/$CA/users")
check "a listing carries no private field either" [ "$(jqb "$r" '[.data[] | keys[] | select(startswith("pvt_") or . == "password")] | length')" = 0 ]
check "a listing gives each document its id" [ "$(jqb "$r" "[.data[] | select(.id == \"$USER_ID\" and .first_name == \"Ann\")] | length")" = 1 ]
r=$(TOKEN= req PUT "$A/user_auth" "{\"data\":{\"credentials\":\"$(md5_of ann:annpw)\",\"account_name\":\"child-a\"}}")
check "the new user can log in" [ "$(status_of "$r")" = 201 ]
r=$(req PATCH "$A/accounts/$CA/users/$USER_ID" '{"data":{"password":"annpw2"}}')
check "PATCH changes the password" [ "$(status_of "$r")" = 200 ]
r=$(TOKEN= req PUT "$A/user_auth" "{\"data\":{\"credentials\":\"$(md5_of ann:annpw)\",\"account_name\":\"child-a\"}}")
check "the old password no longer works" [ "$(status_of "$r")" = 401 ]
r=$(TOKEN= req PUT "$A/user_auth" "{\"data\":{\"credentials\":\"$(md5_of ann:annpw2)\",\"account_name\":\"child-a\"}}")
check "the new one does" [ "$(status_of "$r")" = 201 ]
check "the stored hash is argon2id" [ "$(psql "$(pg_conninfo)" -Atc "select left(data->>'pvt_password_hash', 10) from documents where id = '$USER_ID'")" = '$argon2id$' ]

# --- callflows: numbers unique per account
r=$(req PUT "$A/accounts/$CA/callflows" '{"data":{"numbers":["1001"],"flow":{"module":"device","data":{}}}}')
check "create a callflow" [ "$(status_of "$r")" = 201 ]
r=$(req PUT "$A/accounts/$CA/callflows" '{"data":{"numbers":["1001"],"flow":{"module":"device","data":{}}}}')
check "a duplicate number is refused" [ "$(status_of "$r")" = 400 ]
r=$(req PUT "$A/accounts/$CB/callflows" '{"data":{"numbers":["1001"],"flow":{"module":"device","data":{}}}}')
check "the same number in another account is fine" [ "$(status_of "$r")" = 201 ]

# --- every other resource: create, read, list, delete
declare -A body=(
  [vmboxes]='{"name":"box","mailbox":"3001"}'
  [menus]='{"name":"main menu"}'
  [media]='{"name":"greeting"}'
  [temporal_rules]='{"name":"weekdays","cycle":"weekly","wdays":["monday"]}'
  [temporal_rules_sets]='{"name":"office","temporal_rules":[]}'
  [conferences]='{"name":"bridge"}'
  [groups]='{"name":"sales","endpoints":{}}'
  [resources]='{"name":"carrier","gateways":[{"server":"sip.example.net"}]}'
  [lists]='{"name":"blocked"}'
  [limits]='{"twoway_trunks":5}'
  [webhooks]='{"name":"hook","uri":"http://127.0.0.1:9/","hook":"channel_create"}'
)
for res in "${!body[@]}"; do
  r=$(req PUT "$A/accounts/$CA/$res" "{\"data\":${body[$res]}}")
  if [ "$(status_of "$r")" != 201 ]; then fail "$res: create ($r)"; continue; fi
  id=$(jqb "$r" .data.id)
  r2=$(req GET "$A/accounts/$CA/$res/$id"); r3=$(req GET "$A/accounts/$CA/$res")
  r4=$(req DELETE "$A/accounts/$CA/$res/$id"); r5=$(req GET "$A/accounts/$CA/$res/$id")
  check "$res: read, list, delete, then 404" [ "$(status_of "$r2")$(jqb "$r3" '.data|length')$(status_of "$r4")$(status_of "$r5")" = "2001200404" ]
done

# --- media upload and download
r=$(req PUT "$A/accounts/$CA/media" '{"data":{"name":"tone"}}')
MID=$(jqb "$r" .data.id)
head -c 3000 /dev/urandom >"$T_DIR/tone.wav"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Auth-Token: $TOKEN" -H 'Content-Type: audio/wav' --data-binary "@$T_DIR/tone.wav" "$A/accounts/$CA/media/$MID/raw")
check "media upload" [ "$code" = 200 ]
curl -s -H "X-Auth-Token: $TOKEN" -o "$T_DIR/back.wav" "$A/accounts/$CA/media/$MID/raw"
check "media download returns the same bytes" cmp -s "$T_DIR/tone.wav" "$T_DIR/back.wav"

# --- paging and filters
for i in $(seq 1 7); do req PUT "$A/accounts/$CB/devices" "{\"data\":{\"name\":\"d$i\",\"device_type\":\"$([ $((i % 2)) = 0 ] && echo softphone || echo sip_device)\"}}" >/dev/null; done
r=$(req GET "$A/accounts/$CB/devices?page_size=3")
check "page_size 3 gives 3 and a next_start_key" [ "$(jqb "$r" '(.data|length|tostring) + (.next_start_key|length|tostring)')" = "332" ]
seen=$(jqb "$r" '[.data[].id]|join(",")'); next=$(jqb "$r" .next_start_key)
while [ "$next" != null ]; do
  r=$(req GET "$A/accounts/$CB/devices?page_size=3&start_key=$next"); seen="$seen,$(jqb "$r" '[.data[].id]|join(",")')"; next=$(jqb "$r" .next_start_key)
done
check "paging visits each of the 7 devices once" [ "$(echo "$seen" | tr , '\n' | sort -u | wc -l)" = 7 ]
r=$(req GET "$A/accounts/$CB/devices?filter_device_type=softphone")
check "filter_ on a field" [ "$(jqb "$r" '.data|length')" = 3 ]
r=$(req GET "$A/accounts/$CB/devices?filter_not_device_type=softphone")
check "filter_not_" [ "$(jqb "$r" '.data|length')" = 4 ]
r=$(req GET "$A/accounts/$CB/devices?has_key=sip.expire_seconds&paginate=false")
check "has_key on a dotted key" [ "$(jqb "$r" '.data|length')" = 7 ]

# --- bad input: nothing stored changes
before=$(psql "$(pg_conninfo)" -Atc "select count(*), sum(rev) from documents")
r=$(req PUT "$A/accounts/$CA/devices" '{"data":{"name":"x"')
check "broken JSON is 400" [ "$(status_of "$r")" = 400 ]
r=$(req PUT "$A/accounts/$CA/devices" '{"data":[1,2]}')
check "data that is not an object is 400" [ "$(status_of "$r")" = 400 ]
big=$(head -c 1100000 /dev/zero | tr '\0' a)
r=$(printf '{"data":{"name":"%s"}}' "$big" >"$T_DIR/big.json"; req PUT "$A/accounts/$CA/devices" "" --data-binary "@$T_DIR/big.json")
check "an oversize body is 413" [ "$(status_of "$r")" = 413 ]
r=$(req GET "$A/accounts/$CA/devices/..%2F..%2Fetc%2Fpasswd")
check "path traversal in an id is 404" [ "$(status_of "$r")" = 404 ]
r=$(req GET "$A/accounts/$CA/devices/1'%3BDROP%20TABLE%20documents--")
check "SQL metacharacters in an id are 404" [ "$(status_of "$r")" = 404 ]
r=$(req GET "$A/accounts/$CA/devices?filter_name=x'%20OR%201=1--")
check "SQL metacharacters in a filter match nothing" [ "$(jqb "$r" '.data|length')" = 0 ]
after=$(psql "$(pg_conninfo)" -Atc "select count(*), sum(rev) from documents")
check "failed requests changed nothing" [ "$before" = "$after" ]

# --- deleting an account removes its subtree; logout
r=$(req DELETE "$A/accounts/$CA")
check "delete child a" [ "$(status_of "$r")" = 200 ]
r=$(req GET "$A/accounts/$GA")
check "its child is gone too" [ "$(status_of "$r")" = 404 ]
r=$(req GET "$A/accounts/$CA/devices/$DEV")
check "its documents are gone" [ "$(status_of "$r")" = 404 ]
r=$(req DELETE "$A/token_auth")
r=$(req GET "$A/accounts/$ROOT_ID")
check "after logout the token is refused" [ "$(status_of "$r")" = 401 ]
finish
