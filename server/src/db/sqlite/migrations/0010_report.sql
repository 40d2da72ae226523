-- 我要纠错: readers' reports of an error on a page. Text as the reader typed it, never HTML.
CREATE TABLE report (
    id          INTEGER PRIMARY KEY,
    reference   TEXT NOT NULL UNIQUE,
    article_id  TEXT NOT NULL,
    variant     TEXT NOT NULL,
    excerpt     TEXT NOT NULL,
    description TEXT NOT NULL,
    contact     TEXT NOT NULL,
    -- A salted hash of the reader's address, for the hourly limit; never the address.
    client      TEXT NOT NULL,
    created_utc INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX report_client_time ON report (client, created_utc);
CREATE INDEX report_time ON report (created_utc);
