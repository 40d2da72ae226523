-- Attachment files the deployer gave with an import, stored here so every replica serves them.
-- Content-addressed: `hash` is the SHA-256 of the bytes (hex); the bytes are kept in chunks so
-- a download is streamed a chunk at a time.
CREATE TABLE file (
    hash       TEXT PRIMARY KEY,
    size       INTEGER NOT NULL CHECK (size >= 0),
    media_type TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE file_chunk (
    hash  TEXT NOT NULL REFERENCES file (hash),
    seq   INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (hash, seq)
);
