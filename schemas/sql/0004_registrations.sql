-- SIP registrations, shared by every control plane: whichever node takes a REGISTER writes the
-- binding here, so any node can find where to send a call. One row per (realm, user, contact);
-- instance_id/reg_id carry RFC 5626 outbound flows. Expired rows are swept by expires.

CREATE TABLE registrations (
    account_id   text        NOT NULL REFERENCES accounts (id),
    realm        text        NOT NULL,
    username     text        NOT NULL,
    contact      text        NOT NULL,
    instance_id  text,
    reg_id       integer,
    call_id      text        NOT NULL,
    cseq         bigint      NOT NULL CHECK (cseq >= 0),
    user_agent   text,
    source       text        NOT NULL,   -- address:port the REGISTER came from (via the data plane)
    dataplane    text,                   -- data plane that relayed it
    node         text        NOT NULL,   -- control plane that accepted it
    expires      timestamptz NOT NULL,
    created      timestamptz NOT NULL DEFAULT now(),
    modified     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (realm, username, contact)
);

CREATE INDEX registrations_account ON registrations (account_id, username);
CREATE INDEX registrations_expires ON registrations (expires);
