-- View totals in a narrow table of their own: adding views rewrites a small row, not the page
-- holding an article's body.
CREATE TABLE article_view (
    article_id INTEGER PRIMARY KEY REFERENCES article (id),
    views      INTEGER NOT NULL CHECK (views >= 0)
);
INSERT INTO article_view (article_id, views) SELECT id, view_count FROM article WHERE view_count > 0;
ALTER TABLE article DROP COLUMN view_count;
