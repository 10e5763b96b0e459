#!/usr/bin/env bash
# Two control planes sharing PostgreSQL and RabbitMQ: a document one of them has cached is
# dropped from its cache when the other edits or deletes it, so the change shows within
# 100 ms; a token issued by one works on the other, and a logout on one is honoured by both.
. "$(dirname "$0")/api_lib.sh"

api_start cp-one
api_start cp-two
A1=$API_cp_one A2=$API_cp_two
sfx=$RANDOM$RANDOM
bootstrap "two$sfx" "two$sfx.example.net" admin pw2nodes
r=$(req PUT "$A1/user_auth" "{\"data\":{\"credentials\":\"$(md5_of admin:pw2nodes)\",\"account_name\":\"two$sfx\"}}")
TOKEN=$(jqb "$r" .auth_token)
check "a token from node one works on node two" [ "$(status_of "$(req GET "$A2/accounts/$ROOT_ID")")" = 200 ]

r=$(req PUT "$A1/accounts/$ROOT_ID/devices" '{"data":{"name":"before"}}')
DEV=$(jqb "$r" .data.id)
for _ in 1 2 3; do req GET "$A2/accounts/$ROOT_ID/devices/$DEV" >/dev/null; done
check "node two has read (and cached) the device" [ "$(jqb "$(req GET "$A2/accounts/$ROOT_ID/devices/$DEV")" .data.name)" = before ]
req PATCH "$A1/accounts/$ROOT_ID/devices/$DEV" '{"data":{"name":"after"}}' >/dev/null
sleep 0.1
check "node two sees node one's edit within 100 ms" [ "$(jqb "$(req GET "$A2/accounts/$ROOT_ID/devices/$DEV")" .data.name)" = after ]
req DELETE "$A2/accounts/$ROOT_ID/devices/$DEV" >/dev/null
sleep 0.1
check "node one sees node two's delete within 100 ms" [ "$(status_of "$(req GET "$A1/accounts/$ROOT_ID/devices/$DEV")")" = 404 ]

req DELETE "$A1/token_auth" >/dev/null
sleep 0.1
check "a logout on node one is honoured by node two" [ "$(status_of "$(req GET "$A2/accounts/$ROOT_ID")")" = 401 ]
finish
