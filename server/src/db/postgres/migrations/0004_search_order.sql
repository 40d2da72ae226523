-- Search answers title matches first, then the rest newest first: the title's own terms find
-- the first, and articles in time order let a common query stop at its first page. An empty
-- scheme has the server fill the new column (it rebuilds the index at start).
ALTER TABLE article_search ADD COLUMN title_grams TSVECTOR NOT NULL DEFAULT ''::tsvector;
CREATE INDEX article_search_title_grams ON article_search USING gin (title_grams);
CREATE INDEX article_time_order ON article (published_utc DESC, id DESC);
UPDATE search_state SET scheme = '' WHERE id = 1;
