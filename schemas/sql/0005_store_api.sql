-- What the REST API needs beyond the document table: sessions (auth tokens shared by every
-- control plane), account creation and subtree deletion as single statements, and callflow
-- number uniqueness per account enforced where concurrent writers cannot slip past it.

CREATE TABLE auth_tokens (
    token       text        PRIMARY KEY,
    account_id  text        NOT NULL REFERENCES accounts (id),
    owner_id    text,                       -- the user for user_auth, NULL for api_auth
    method      text        NOT NULL CHECK (method IN ('user_auth', 'api_auth')),
    created     timestamptz NOT NULL DEFAULT now(),
    expires     timestamptz NOT NULL,
    CONSTRAINT auth_tokens_format CHECK (token ~ '^[0-9a-f]{64}$')
);

CREATE INDEX auth_tokens_expires ON auth_tokens (expires);

-- Creates an account (tree row and document) under parent (NULL: a root account) and returns
-- its path. Raises foreign_key_violation when the parent is missing or deleted.
CREATE FUNCTION bugle_account_create(new_id text, parent text, acct_name text, acct_realm text,
                                     key text, doc jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    parent_path ltree;
    new_path    ltree;
BEGIN
    IF parent IS NULL THEN
        new_path := text2ltree(new_id);
    ELSE
        SELECT path INTO parent_path FROM accounts WHERE id = parent AND NOT deleted;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'parent account % not found', parent USING ERRCODE = 'foreign_key_violation';
        END IF;
        new_path := parent_path || text2ltree(new_id);
    END IF;
    INSERT INTO accounts (id, parent_id, path, name, realm, api_key)
        VALUES (new_id, parent, new_path, acct_name, acct_realm, key);
    INSERT INTO documents (account_id, id, type, data) VALUES (new_id, new_id, 'account', doc);
    RETURN ltree2text(new_path);
END;
$$;

-- Soft-deletes an account, every account below it and all their documents; returns the ids of
-- the accounts deleted (so the caller can announce them).
CREATE FUNCTION bugle_account_delete(target text)
RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    target_path ltree;
BEGIN
    SELECT path INTO target_path FROM accounts WHERE id = target AND NOT deleted;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    UPDATE documents SET deleted = true
        WHERE NOT deleted AND account_id IN (SELECT id FROM accounts WHERE path <@ target_path);
    DELETE FROM auth_tokens
        WHERE account_id IN (SELECT id FROM accounts WHERE path <@ target_path);
    RETURN QUERY UPDATE accounts SET deleted = true, api_key = NULL
        WHERE path <@ target_path AND NOT deleted RETURNING id;
END;
$$;

-- A number (or pattern) routes to one callflow per account. The per-account advisory lock makes
-- concurrent writers of the same account take turns, so two of them cannot both pass the check.
CREATE FUNCTION bugle_callflow_numbers_unique() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    taken text;
BEGIN
    IF NEW.type <> 'callflow' OR NEW.deleted THEN
        RETURN NEW;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('callflow:' || NEW.account_id));
    SELECT n INTO taken
        FROM documents d,
             jsonb_array_elements_text(COALESCE(d.data->'numbers', '[]'::jsonb)) AS n
        WHERE d.account_id = NEW.account_id AND d.type = 'callflow' AND NOT d.deleted
          AND d.id <> NEW.id
          AND jsonb_typeof(NEW.data->'numbers') = 'array'
          AND NEW.data->'numbers' ? n
        LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'number % is already used by another callflow', taken
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'callflow_numbers_unique';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER documents_callflow_numbers BEFORE INSERT OR UPDATE ON documents
    FOR EACH ROW EXECUTE FUNCTION bugle_callflow_numbers_unique();

-- Uploaded media files (the media document describes them; this holds the bytes).
CREATE TABLE media_raw (
    account_id    text        NOT NULL,
    id            text        NOT NULL,
    content_type  text        NOT NULL,
    bytes         bytea       NOT NULL,
    modified      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, id) REFERENCES documents (account_id, id)
);
