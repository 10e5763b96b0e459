-- Call detail records, partitioned by month (KAZOO keeps one database per account and month).
-- Months are UTC. bugle_cdr_partitions_ahead() creates the partitions of the current month and
-- the next ones; the control plane runs it at start and daily, so inserts always find theirs.
-- There is deliberately no DEFAULT partition: rows in it would block creating their month later.

CREATE TABLE cdrs (
    account_id        text        NOT NULL REFERENCES accounts (id),
    id                text        NOT NULL,
    call_id           text        NOT NULL,
    created           timestamptz NOT NULL,
    direction         text        NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    caller_id_number  text,
    caller_id_name    text,
    callee_id_number  text,
    request           text,
    hangup_cause      text,
    duration_seconds  integer     NOT NULL DEFAULT 0 CHECK (duration_seconds >= 0),
    billing_seconds   integer     NOT NULL DEFAULT 0 CHECK (billing_seconds >= 0),
    node              text,
    data              jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- The partition key must be part of the primary key.
    PRIMARY KEY (account_id, created, id)
) PARTITION BY RANGE (created);

CREATE INDEX cdrs_call_id ON cdrs (call_id);

-- Creates the monthly partitions from the month of from_ts to months_ahead months later
-- (those that do not exist yet) and returns how many it created.
CREATE FUNCTION bugle_cdr_partitions_ahead(months_ahead integer DEFAULT 2,
                                           from_ts timestamptz DEFAULT now())
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    first_month timestamp := date_trunc('month', from_ts AT TIME ZONE 'UTC');
    month_start timestamp;
    part_name   text;
    made        integer := 0;
BEGIN
    IF months_ahead < 0 OR months_ahead > 120 THEN
        RAISE EXCEPTION 'months_ahead must be within 0..120, not %', months_ahead;
    END IF;
    FOR i IN 0..months_ahead LOOP
        month_start := first_month + make_interval(months => i);
        part_name := 'cdrs_' || to_char(month_start, 'YYYYMM');
        IF to_regclass(quote_ident(part_name)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF cdrs FOR VALUES FROM (%L) TO (%L)',
                           part_name,
                           month_start AT TIME ZONE 'UTC',
                           (month_start + interval '1 month') AT TIME ZONE 'UTC');
            made := made + 1;
        END IF;
    END LOOP;
    RETURN made;
END;
$$;

SELECT bugle_cdr_partitions_ahead(2);
