-- Every page a fixed-count ingest landed, written in the page's own transaction: a rerun of the same command
-- asks this table which of its requests are done and fetches only the others (a rate-limited API's allowance
-- is not spent twice on the same users).
create table landed_pages (
    source    text        not null,
    request   text        not null,
    batch_id  text        not null,
    users     integer     not null,
    landed_at timestamptz not null default clock_timestamp(),
    primary key (source, request)
);

comment on table landed_pages is 'Requests (query strings) of fixed-count ingests whose answer landed whole.';
