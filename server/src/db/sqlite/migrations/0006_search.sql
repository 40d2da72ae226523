-- Search: each article's folded title and body as bigram terms (`search.rs`), rowid = article.id.
-- Contentless: results are read from `article`; rows are deleted by rowid when articles change.
CREATE VIRTUAL TABLE article_search USING fts5(
    title, body, content = '', contentless_delete = 1, tokenize = 'ascii'
);
-- The folding the index was made with: the server rebuilds the index when its own differs.
CREATE TABLE search_state (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    scheme TEXT NOT NULL
);
INSERT INTO search_state (id, scheme) VALUES (1, '');
