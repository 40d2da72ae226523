-- This database's identity, made once when it is created: what is derived from it elsewhere (the
-- page store on disk) names it, so a database made anew is never taken for the old one.
CREATE TABLE instance (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL
);
INSERT INTO instance (id, name) VALUES (1, lower(hex(randomblob(16))));
