-- The phone-number registry (KAZOO's phone_numbers): a DID belongs to one account at most.
-- An account takes a number explicitly (PUT /v2/accounts/{ID}/phone_numbers/{NUMBER}) or by
-- writing it into a callflow's `numbers`, which assigns it automatically when no account holds
-- it and is refused when another one does; an automatic assignment ends when no live callflow
-- of the account names the number any more. Inbound carrier calls find the account here.
--
-- Every writer of an account's numbers (callflow writes, the API's assign and release) takes
-- the account's callflow advisory lock first (the one bugle_callflow_numbers_unique takes), so
-- a release never misses a claim of the same account; between accounts the primary key
-- decides: of two transactions inserting one number, the second waits for the first and then
-- sees its row.

CREATE TABLE numbers (
    number        text        PRIMARY KEY,
    account_id    text        NOT NULL REFERENCES accounts (id),
    state         text        NOT NULL DEFAULT 'in_service',
    auto_assigned boolean     NOT NULL DEFAULT false,   -- taken by a callflow, not by the API
    created       timestamptz NOT NULL DEFAULT now(),
    modified      timestamptz NOT NULL DEFAULT now(),
    -- E.164: "+", then 7 to 15 digits, the first not 0.
    CONSTRAINT numbers_e164 CHECK (number ~ '^\+[1-9][0-9]{6,14}$'),
    CONSTRAINT numbers_state CHECK (state IN ('in_service', 'reserved'))
);

CREATE INDEX numbers_account ON numbers (account_id, number);

-- The DID a callflow `numbers` entry names, in E.164, or NULL when it names none (extensions
-- such as "1001", feature codes, "no_match"). Separators (space - . ( )) are dropped; then "+"
-- and 7 to 15 digits (the first not 0) is a DID, and so are the NANP spellings the callflow
-- lookup already takes for one (10 digits starting 2-9, or "1" and those 10: KAZOO's default
-- reconcile rule). The API's api_number_e164() applies the same rules.
CREATE FUNCTION bugle_number_did(n text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE
        WHEN s ~ '^\+[1-9][0-9]{6,14}$' THEN s
        WHEN s ~ '^1[2-9][0-9]{9}$' THEN '+' || s
        WHEN s ~ '^[2-9][0-9]{9}$' THEN '+1' || s
    END
    FROM (SELECT translate(n, ' -.()', '') AS s) spelled
$$;

-- The DIDs of a callflow document, sorted and distinct (claims then lock numbers in one order).
CREATE FUNCTION bugle_callflow_dids(doc jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT COALESCE(array_agg(DISTINCT did ORDER BY did), '{}'::text[])
    FROM jsonb_array_elements_text(CASE jsonb_typeof(doc->'numbers')
                                   WHEN 'array' THEN doc->'numbers' ELSE '[]'::jsonb END) n,
         bugle_number_did(n) did
    WHERE did IS NOT NULL
$$;

-- Whether a live callflow of acct names num.
CREATE FUNCTION bugle_number_in_callflows(acct text, num text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM documents d
                    WHERE d.account_id = acct AND d.type = 'callflow' AND NOT d.deleted
                      AND num = ANY (bugle_callflow_dids(d.data)))
$$;

-- Drops acct's automatic assignments among dids that no live callflow of acct names any more.
-- The caller holds acct's callflow lock.
CREATE FUNCTION bugle_numbers_release_unused(acct text, dids text[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM numbers n
     WHERE n.number = ANY (dids) AND n.account_id = acct AND n.auto_assigned
       AND NOT bugle_number_in_callflows(acct, n.number)
$$;

-- After a callflow is written (or deleted): its DIDs claimed for its account, in the same
-- transaction as the write; a DID another account holds makes the write fail with
-- unique_violation on "numbers_holder" (DETAIL: the number). DIDs the write dropped are
-- released when they were automatic and nothing else of the account names them.
CREATE FUNCTION bugle_callflow_numbers_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    now_dids text[] := '{}';
    was_dids text[] := '{}';
    did text;
    holder text;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.type = 'callflow' AND NOT OLD.deleted THEN
        was_dids := bugle_callflow_dids(OLD.data);
    END IF;
    IF NEW.type = 'callflow' AND NOT NEW.deleted THEN
        now_dids := bugle_callflow_dids(NEW.data);
    END IF;
    IF cardinality(now_dids) = 0 AND cardinality(was_dids) = 0 THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('callflow:' || NEW.account_id));
    FOREACH did IN ARRAY now_dids LOOP
        -- A holder's release committing between the two statements leaves no row: insert again.
        holder := NULL;
        FOR attempt IN 1..3 LOOP
            INSERT INTO numbers (number, account_id, auto_assigned)
                VALUES (did, NEW.account_id, true)
                ON CONFLICT (number) DO NOTHING;
            SELECT n.account_id INTO holder FROM numbers n WHERE n.number = did;
            EXIT WHEN FOUND;
        END LOOP;
        IF holder IS DISTINCT FROM NEW.account_id THEN
            RAISE EXCEPTION 'number % is in use by another account', did
                USING ERRCODE = 'unique_violation', CONSTRAINT = 'numbers_holder', DETAIL = did;
        END IF;
    END LOOP;
    IF cardinality(was_dids) > 0 THEN
        PERFORM bugle_numbers_release_unused(
            NEW.account_id, ARRAY(SELECT unnest(was_dids) EXCEPT SELECT unnest(now_dids)));
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER documents_callflow_registry AFTER INSERT OR UPDATE ON documents
    FOR EACH ROW EXECUTE FUNCTION bugle_callflow_numbers_claim();

-- A deleted account holds no numbers.
CREATE FUNCTION bugle_numbers_of_deleted_account() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM numbers WHERE account_id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER accounts_numbers_release AFTER UPDATE OF deleted ON accounts
    FOR EACH ROW WHEN (NEW.deleted AND NOT OLD.deleted)
    EXECUTE FUNCTION bugle_numbers_of_deleted_account();

-- A number as the API shows it.
CREATE VIEW numbers_api AS
    SELECT n.number AS id, n.account_id, n.state, n.auto_assigned,
           CASE WHEN bugle_number_in_callflows(n.account_id, n.number)
                THEN 'callflow' ELSE '' END AS used_by,
           extract(epoch from n.created)::bigint AS created,
           extract(epoch from n.modified)::bigint AS modified
      FROM numbers n;

-- PUT /phone_numbers/{NUMBER}: num assigned to acct by hand (an automatic assignment becomes
-- one by hand; new_state NULL keeps the state). outcome: 'created', 'updated', or 'taken' when
-- another account holds it (no other column then).
CREATE FUNCTION bugle_number_assign(acct text, num text, new_state text)
RETURNS TABLE (outcome text, id text, account_id text, state text, auto_assigned boolean,
               used_by text, created bigint, modified bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    fresh boolean;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('callflow:' || acct));
    INSERT INTO numbers AS n (number, account_id, state)
        VALUES (num, acct, COALESCE(new_state, 'in_service'))
        ON CONFLICT (number) DO UPDATE
            SET auto_assigned = false, state = COALESCE(new_state, n.state), modified = now()
            WHERE n.account_id = acct
        RETURNING n.created = now() INTO fresh;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'taken'::text, num, NULL::text, NULL::text, NULL::boolean,
                            NULL::text, NULL::bigint, NULL::bigint;
        RETURN;
    END IF;
    RETURN QUERY SELECT CASE WHEN fresh THEN 'created' ELSE 'updated' END, v.*
                   FROM numbers_api v WHERE v.id = num;
END;
$$;

-- DELETE /phone_numbers/{NUMBER}: outcome 'released', 'missing' (acct does not hold it) or
-- 'in_use' (a live callflow of acct names it: change the callflow first).
CREATE FUNCTION bugle_number_release(acct text, num text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('callflow:' || acct));
    IF NOT EXISTS (SELECT 1 FROM numbers n WHERE n.number = num AND n.account_id = acct) THEN
        RETURN 'missing';
    END IF;
    IF bugle_number_in_callflows(acct, num) THEN
        RETURN 'in_use';
    END IF;
    DELETE FROM numbers n WHERE n.number = num AND n.account_id = acct;
    RETURN 'released';
END;
$$;
