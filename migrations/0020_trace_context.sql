-- The W3C trace context (`traceparent`) of the work that made a row, so a trace can follow it across the
-- queue and a process restart: a message carries the context of the request that accepted it (the outbox
-- sends it under that trace), a delivery the context of the work that recorded its event (every attempt,
-- including those the sweeper re-drives after a lost job, joins that trace). Null when tracing is off.
-- Adding a nullable column without a default changes only the catalog; on the partitioned
-- webhook_deliveries it reaches every partition, and partitions created later inherit it.
ALTER TABLE messages ADD COLUMN traceparent text;
ALTER TABLE webhook_deliveries ADD COLUMN traceparent text;
