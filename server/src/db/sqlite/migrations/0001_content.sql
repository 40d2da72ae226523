-- Content model: site → department → channel → article.
CREATE TABLE site (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE department (
    id      INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES site (id),
    name    TEXT NOT NULL,
    UNIQUE (site_id, name)
);

CREATE TABLE channel (
    id            INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES department (id),
    name          TEXT NOT NULL,
    slug          TEXT NOT NULL UNIQUE,
    UNIQUE (department_id, name)
);

CREATE TABLE article (
    id            INTEGER PRIMARY KEY,
    external_id   TEXT NOT NULL UNIQUE,
    channel_id    INTEGER NOT NULL REFERENCES channel (id),
    title         TEXT NOT NULL,
    subtitle      TEXT,
    source        TEXT NOT NULL,
    author        TEXT,
    -- RFC 3339 with the publisher's UTC offset, as shown to readers.
    published_at  TEXT NOT NULL,
    -- The same instant in Unix seconds, for ordering.
    published_utc INTEGER NOT NULL,
    body_html     TEXT NOT NULL,
    summary       TEXT NOT NULL,
    view_count    INTEGER NOT NULL DEFAULT 0 CHECK (view_count >= 0),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Channel pages and previous/next: keyset order within a channel.
CREATE INDEX article_channel_order ON article (channel_id, published_utc DESC, id DESC);
