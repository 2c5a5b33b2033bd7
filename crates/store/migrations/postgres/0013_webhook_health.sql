-- Webhooks the owner can trust (issues 12 and 16).
--
-- Endpoint health counted as it happens: every try adds to the attempt
-- counters and leaves its HTTP status and error on the endpoint, so the
-- panel and GET /webhooks show the last answer at once (not after a
-- delivery's last retry). The delivery counters replace two COUNT(*)
-- subqueries per listed endpoint, whose cost grew with its history.
ALTER TABLE webhooks ADD COLUMN total_deliveries BIGINT NOT NULL DEFAULT 0;
ALTER TABLE webhooks ADD COLUMN failed_deliveries BIGINT NOT NULL DEFAULT 0;
ALTER TABLE webhooks ADD COLUMN total_attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE webhooks ADD COLUMN failed_attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE webhooks ADD COLUMN last_status_code BIGINT;
ALTER TABLE webhooks ADD COLUMN last_error TEXT;
-- Noisy neighbours: an endpoint whose tries keep timing out is delivered
-- in the slow lane, where it cannot hold the slots of everyone else.
ALTER TABLE webhooks ADD COLUMN consecutive_timeouts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE webhooks ADD COLUMN slow_lane BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE webhooks SET
    total_deliveries = (SELECT COUNT(*) FROM webhook_deliveries d
        WHERE d.account_id = webhooks.account_id AND d.webhook_id = webhooks.id),
    failed_deliveries = (SELECT COUNT(*) FROM webhook_deliveries d
        WHERE d.account_id = webhooks.account_id AND d.webhook_id = webhooks.id AND d.status = 'failed'),
    total_attempts = (SELECT COUNT(*) FROM webhook_attempts a
        WHERE a.account_id = webhooks.account_id AND a.webhook_id = webhooks.id),
    failed_attempts = (SELECT COUNT(*) FROM webhook_attempts a
        WHERE a.account_id = webhooks.account_id AND a.webhook_id = webhooks.id AND NOT a.succeeded);

-- SSRF (issue 12.1): the attempt log keeps the length of the receiver's
-- answer, never its body, and one error sentence for every failure without
-- an HTTP answer (the old texts told closed, open and black-holed ports
-- apart). Bodies recorded before are dropped with their column.
ALTER TABLE webhook_attempts ADD COLUMN response_bytes BIGINT;
ALTER TABLE webhook_attempts DROP COLUMN response_excerpt;
UPDATE webhook_attempts SET error = 'falha de conexão: nenhuma resposta HTTP'
    WHERE error IS NOT NULL;

-- Fair claims (issue 12.4). The endpoints with something due, read off
-- the due index alone; the first few due deliveries of one endpoint; and
-- the worker's in-flight deliveries (a live lease), counted per endpoint
-- and per account at every claim to cap them.
DROP INDEX webhook_deliveries_due;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, account_id, webhook_id)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (account_id, webhook_id, next_attempt_at, id)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (claimed_until)
    WHERE claimed_until IS NOT NULL;
