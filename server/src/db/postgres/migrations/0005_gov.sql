-- 政务公开 metadata, attachments and related links, as JSON (`app::model`), NULL when absent.
ALTER TABLE article ADD COLUMN gov TEXT;
ALTER TABLE article ADD COLUMN attachments TEXT;
ALTER TABLE article ADD COLUMN related TEXT;
-- 发文字号 and 索引号 folded to search keys (`app::search::identifier_key`), for exact matches.
ALTER TABLE article ADD COLUMN document_key TEXT;
ALTER TABLE article ADD COLUMN index_key TEXT;
CREATE INDEX article_document_key ON article (document_key) WHERE document_key IS NOT NULL;
CREATE INDEX article_index_key ON article (index_key) WHERE index_key IS NOT NULL;
