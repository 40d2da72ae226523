-- The transaction that last added to each total, so replicas can read the totals others changed:
-- every row written by a transaction older than a snapshot's xmin is visible in it.
ALTER TABLE article_view ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX article_view_txid ON article_view (txid);
