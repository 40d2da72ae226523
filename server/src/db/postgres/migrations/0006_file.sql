-- Attachment files the deployer gave with an import, stored here so every replica serves them.
-- Content-addressed: `hash` is the SHA-256 of the bytes (hex); the bytes are kept in chunks so
-- a download is streamed a chunk at a time.
CREATE TABLE file (
    hash       TEXT PRIMARY KEY,
    size       BIGINT NOT NULL CHECK (size >= 0),
    media_type TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
);
CREATE TABLE file_chunk (
    hash  TEXT NOT NULL REFERENCES file (hash),
    seq   INTEGER NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (hash, seq)
);
