-- The document store: every API document (device, user, callflow, vmbox, ...) is one JSONB row,
-- as KAZOO keeps one CouchDB document. Updates are optimistic: the writer states the revision it
-- read (UPDATE ... WHERE rev = $n) and a stale revision changes nothing (the API answers 409).
-- Deletion is soft (deleted = true) so that account deletion can cascade and be audited.

CREATE TABLE documents (
    account_id  text        NOT NULL,
    id          text        NOT NULL,
    type        text        NOT NULL,
    rev         integer     NOT NULL DEFAULT 1,
    created     timestamptz NOT NULL DEFAULT now(),
    modified    timestamptz NOT NULL DEFAULT now(),
    deleted     boolean     NOT NULL DEFAULT false,
    data        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (account_id, id),
    CONSTRAINT documents_rev_positive CHECK (rev > 0),
    CONSTRAINT documents_data_object CHECK (jsonb_typeof(data) = 'object'),
    -- Ids travel in URL paths: no separators, no dot segments, bounded length.
    CONSTRAINT documents_id_safe CHECK (id ~ '^[A-Za-z0-9_+=@-][A-Za-z0-9_.+=@-]{0,127}$'),
    CONSTRAINT documents_type_safe CHECK (type ~ '^[a-z][a-z0-9_]{0,63}$')
);

-- Listing by type within an account, in id order for start_key/next_start_key paging.
CREATE INDEX documents_account_type ON documents (account_id, type, id);
-- filter_*, has_key and containment queries on the document body (jsonb_ops supports @> and ?).
CREATE INDEX documents_data ON documents USING gin (data);
-- created_from/created_to listings.
CREATE INDEX documents_account_type_created ON documents (account_id, type, created);

-- modified and rev follow every update, so no writer can forget them.
CREATE FUNCTION bugle_documents_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.modified := now();
    NEW.rev := OLD.rev + 1;
    RETURN NEW;
END;
$$;

CREATE TRIGGER documents_touch BEFORE UPDATE ON documents
    FOR EACH ROW EXECUTE FUNCTION bugle_documents_touch();
