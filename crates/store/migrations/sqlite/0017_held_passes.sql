-- The safety brake: a full pass that would take much of the shop off sale, leave it without
-- prices or strip its pictures is not published. Its job is `held` (its batch and files are
-- kept) until the owner applies it, queued again `unbraked`, or discards it (`discarded`).
ALTER TABLE exchange_jobs ADD COLUMN unbraked BOOLEAN NOT NULL DEFAULT FALSE;
