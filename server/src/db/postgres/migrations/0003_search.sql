-- Search: each article's folded title and body (`search.rs`), and the set of their bigram terms
-- for the index to find candidates by; a candidate holds every term where `strpos` finds it.
CREATE TABLE article_search (
    article_id BIGINT PRIMARY KEY REFERENCES article (id),
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    grams      TSVECTOR NOT NULL
);
CREATE INDEX article_search_grams ON article_search USING gin (grams);
-- The folding the index was made with: the server rebuilds the index when its own differs.
CREATE TABLE search_state (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    scheme TEXT NOT NULL
);
INSERT INTO search_state (id, scheme) VALUES (1, '');
