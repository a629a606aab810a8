-- PostgreSQL moves the covering states index of 0015 into its primary key (INCLUDE). SQLite has
-- no INCLUDE and keeps products_states and offers_states as they are: nothing to do here.
SELECT 1;
