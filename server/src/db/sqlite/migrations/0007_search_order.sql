-- Search results are ordered by publication: this index answers an article's time without
-- reading its row (a common word matches most articles).
CREATE INDEX article_id_time ON article (id, published_utc);
