-- The landing table: one row per user, keyed by the API's login.uuid, holding the user exactly as received.
create table users_raw (
    id          uuid        primary key,
    payload     jsonb       not null,
    batch_id    text        not null,
    source      text        not null,
    fetched_at  timestamptz not null,
    ingested_at timestamptz not null default clock_timestamp()
);

create index users_raw_batch_id on users_raw (batch_id);

comment on table users_raw is 'Users as fetched from a randomuser API; written idempotently (the same user twice is one row).';
comment on column users_raw.payload is 'The user object as received from the API.';

-- What could not be a user: kept with its raw text and the reason, never dropped silently.
create table users_quarantine (
    id             bigint      generated always as identity primary key,
    batch_id       text        not null,
    source         text        not null,
    raw            text        not null,
    reason         text        not null,
    fetched_at     timestamptz not null,
    quarantined_at timestamptz not null default clock_timestamp()
);

create index users_quarantine_batch_id on users_quarantine (batch_id);
