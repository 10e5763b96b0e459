-- The account tree. Each account's path lists the ids from the root account down to itself
-- (KAZOO's pvt_tree plus the account), so descendants are `path <@ $1` and ancestors
-- `path @> $1`, both served by the GiST index. The account document itself (name, realm,
-- caller id, ...) lives in documents with type 'account'; this table holds what the tree, the
-- realm lookup and api_key authentication need.

CREATE EXTENSION IF NOT EXISTS ltree;

CREATE TABLE accounts (
    id          text        PRIMARY KEY,
    parent_id   text        REFERENCES accounts (id),
    path        ltree       NOT NULL UNIQUE,
    name        text        NOT NULL,
    realm       text        NOT NULL,
    api_key     text        UNIQUE,
    enabled     boolean     NOT NULL DEFAULT true,
    deleted     boolean     NOT NULL DEFAULT false,
    created     timestamptz NOT NULL DEFAULT now(),
    modified    timestamptz NOT NULL DEFAULT now(),
    -- KAZOO account ids: 32 lower-case hex digits (also a valid ltree label).
    CONSTRAINT accounts_id_format CHECK (id ~ '^[0-9a-f]{32}$'),
    -- The path ends with the account itself; only the root has no parent.
    CONSTRAINT accounts_path_ends_with_id CHECK (ltree2text(subpath(path, nlevel(path) - 1)) = id),
    CONSTRAINT accounts_root_has_no_parent CHECK ((parent_id IS NULL) = (nlevel(path) = 1)),
    CONSTRAINT accounts_name_present CHECK (length(name) BETWEEN 1 AND 128),
    CONSTRAINT accounts_realm_present CHECK (length(realm) BETWEEN 1 AND 253)
);

CREATE INDEX accounts_path ON accounts USING gist (path);
CREATE INDEX accounts_parent ON accounts (parent_id);
-- SIP realms are case-insensitive and identify one live account.
CREATE UNIQUE INDEX accounts_realm ON accounts (lower(realm)) WHERE NOT deleted;
CREATE INDEX accounts_name ON accounts (lower(name));

-- Every document belongs to an account that exists.
ALTER TABLE documents
    ADD CONSTRAINT documents_account FOREIGN KEY (account_id) REFERENCES accounts (id);

CREATE FUNCTION bugle_accounts_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.modified := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION bugle_accounts_touch();
