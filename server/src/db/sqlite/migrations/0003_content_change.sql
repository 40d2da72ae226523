-- What each import touched, so servers drop only the pages showing it: `a:<article id>` (the
-- article, its old and new neighbours), `c:<channel slug>`, `*` (everything: a large import).
-- Every version has at least one row (`h`, the front page); old versions are pruned.
CREATE TABLE content_change (
    version INTEGER NOT NULL,
    scope   TEXT NOT NULL,
    PRIMARY KEY (version, scope)
) WITHOUT ROWID;
