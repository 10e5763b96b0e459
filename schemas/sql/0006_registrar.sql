-- What the registrar adds to registrations: the RFC 3327 Path the edge inserted and which device
-- document the binding authenticated as. (source holds where the phone really is: received and
-- rport from its Via as the edge passed it; dataplane the edge that relayed it.) One function applies a REGISTER's changes and returns the
-- bindings left, so a registration is one round trip and one transaction; a view lists the live
-- bindings for the API.

ALTER TABLE registrations
    ADD COLUMN path      text,      -- Path header values, comma-separated, as received
    ADD COLUMN device_id text;      -- the device document that authenticated

-- kind 'binding': a binding of this AOR after the change (expires_in seconds left);
-- kind 'removed': a binding this call removed (unregister or "*").
-- A binding refreshed with the same Call-ID and a CSeq not above the stored one is left alone
-- (RFC 3261 §10.3 step 7: an out-of-order REGISTER must not undo a newer one).
CREATE FUNCTION bugle_registrar_apply(p_account text, p_device text, p_realm text,
                                      p_username text, p_call_id text, p_cseq bigint,
                                      p_user_agent text, p_source text, p_dataplane text,
                                      p_path text, p_node text, p_star boolean,
                                      p_contacts text[], p_expires integer[],
                                      p_instances text[], p_reg_ids integer[])
RETURNS TABLE (kind text, contact text, expires_in integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    i integer;
BEGIN
    IF p_star THEN
        RETURN QUERY
            DELETE FROM registrations r
             WHERE r.realm = p_realm AND r.username = p_username
            RETURNING 'removed'::text, r.contact, 0;
        RETURN;
    END IF;
    FOR i IN 1 .. coalesce(array_length(p_contacts, 1), 0) LOOP
        IF p_expires[i] = 0 THEN
            RETURN QUERY
                DELETE FROM registrations r
                 WHERE r.realm = p_realm AND r.username = p_username
                   AND r.contact = p_contacts[i]
                RETURNING 'removed'::text, r.contact, 0;
        ELSE
            INSERT INTO registrations AS r (account_id, realm, username, contact, instance_id,
                                            reg_id, call_id, cseq, user_agent, source,
                                            dataplane, path, device_id, node, expires)
            VALUES (p_account, p_realm, p_username, p_contacts[i], nullif(p_instances[i], ''),
                    nullif(p_reg_ids[i], -1), p_call_id, p_cseq, p_user_agent, p_source,
                    p_dataplane, nullif(p_path, ''), p_device, p_node,
                    now() + make_interval(secs => p_expires[i]))
            ON CONFLICT (realm, username, contact) DO UPDATE
               SET account_id = EXCLUDED.account_id, instance_id = EXCLUDED.instance_id,
                   reg_id = EXCLUDED.reg_id, call_id = EXCLUDED.call_id, cseq = EXCLUDED.cseq,
                   user_agent = EXCLUDED.user_agent, source = EXCLUDED.source,
                   dataplane = EXCLUDED.dataplane, path = EXCLUDED.path,
                   device_id = EXCLUDED.device_id, node = EXCLUDED.node,
                   expires = EXCLUDED.expires, modified = now()
             WHERE r.call_id <> EXCLUDED.call_id OR r.cseq < EXCLUDED.cseq;
        END IF;
    END LOOP;
    RETURN QUERY
        SELECT 'binding'::text, r.contact,
               greatest(0, ceil(extract(epoch FROM r.expires - now())))::integer
          FROM registrations r
         WHERE r.realm = p_realm AND r.username = p_username AND r.expires > now()
         ORDER BY r.contact;
END;
$$;

-- Live bindings, as GET /v2/accounts/{ID}/registrations lists them.
CREATE VIEW registrations_live AS
    SELECT account_id, realm, username, contact, instance_id, reg_id, call_id, cseq,
           user_agent, source, dataplane, path, device_id, node, expires, created, modified,
           greatest(0, ceil(extract(epoch FROM expires - now())))::integer AS expires_in
      FROM registrations
     WHERE expires > now();
