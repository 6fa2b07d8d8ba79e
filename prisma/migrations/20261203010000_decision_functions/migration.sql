-- The decision API's two statements per decision as PL/pgSQL functions. Sent as plain
-- parameterised SQL, each request's statements were parsed and planned again (pg_stat_statements
-- in bench:advisor: 0.43 ms of planning per decision, more than their execution). A function's
-- statements are planned once per connection and their plans kept by the server, which is
-- invisible to the client, so unlike named prepared statements this also holds behind PgBouncer
-- in transaction mode. Semantics are the statements' own (lib/advisor/api-keys.ts, decision-log.ts).
-- (Function bodies are E'' strings with \073 for the semicolon: the migration runner splits the script at every semicolon.)

-- The key by prefix, a token from its bucket only when the hash matches (refilled continuously at
-- rate/60 per second, holding at most rate), and the advisor now serving (its id and its row
-- version, xmin, which any change to the row changes, so a web process can keep the promotion
-- row it already read). The bucket is a rate
-- limit, not data: this transaction commits asynchronously (transaction-scoped, PgBouncer-safe).
CREATE FUNCTION advisor_authenticate(p_prefix text, p_hash text)
  RETURNS TABLE (id int, name text, key_hash text, cap float8, tokens float8, allowed boolean, promotion_id int, promotion_version text)
  LANGUAGE plpgsql AS E'
#variable_conflict use_column
BEGIN
  PERFORM set_config(''synchronous_commit'', ''off'', true)\073
  RETURN QUERY
  WITH k AS (
    SELECT a.id, a.name, a.key_hash, a.rate_per_minute::float8 AS cap FROM api_keys a WHERE a.prefix = p_prefix AND a.revoked_at IS NULL
  ), b AS (
    INSERT INTO api_key_buckets AS b (api_key_id, tokens, refilled_at, allowed)
    SELECT k.id, k.cap - 1, clock_timestamp(), true FROM k WHERE k.key_hash = p_hash
    ON CONFLICT (api_key_id) DO UPDATE SET
      tokens = least((SELECT k.cap FROM k), b.tokens + extract(epoch FROM clock_timestamp() - b.refilled_at)::float8 * (SELECT k.cap FROM k) / 60)
               - CASE WHEN least((SELECT k.cap FROM k), b.tokens + extract(epoch FROM clock_timestamp() - b.refilled_at)::float8 * (SELECT k.cap FROM k) / 60) >= 1 THEN 1 ELSE 0 END,
      allowed = least((SELECT k.cap FROM k), b.tokens + extract(epoch FROM clock_timestamp() - b.refilled_at)::float8 * (SELECT k.cap FROM k) / 60) >= 1,
      refilled_at = clock_timestamp()
    RETURNING b.tokens, b.allowed
  ), p AS (
    SELECT x.id, x.xmin FROM advisor_promotions x ORDER BY x.id DESC LIMIT 1
  )
  SELECT k.id, k.name, k.key_hash, k.cap, b.tokens, b.allowed, p.id, p.xmin::text FROM k LEFT JOIN b ON true LEFT JOIN p ON true\073
END';

-- One decision and its conversation for the live merge, in one transaction before the answer
-- goes out, unless the conversation is one of the golden set (then nothing is written and the
-- result is null). The key's last use is written at most once a minute (a hot row).
CREATE FUNCTION advisor_log_decision(
  p_api_key_id int, p_external_id text, p_position int, p_decision "LabelValue", p_confidence float8, p_acted boolean,
  p_threshold float8, p_model text, p_promotion_id int, p_latency_ms int, p_model_latency_ms int,
  p_fallback_reason text, p_fallback_detail text, p_payload jsonb)
  RETURNS bigint LANGUAGE plpgsql AS E'
DECLARE d bigint\073
BEGIN
  IF EXISTS (SELECT 1 FROM conversations c WHERE c.external_id = p_external_id AND c.is_golden) THEN
    RETURN NULL\073
  END IF\073
  INSERT INTO advisor_decisions (api_key_id, external_id, position, decision, confidence, acted, threshold, model, promotion_id,
                                 latency_ms, model_latency_ms, fell_back, fallback_reason, fallback_detail)
  VALUES (p_api_key_id, p_external_id, p_position, p_decision, p_confidence, p_acted, p_threshold, p_model, p_promotion_id,
          p_latency_ms, p_model_latency_ms, p_fallback_reason IS NOT NULL, p_fallback_reason, p_fallback_detail)
  RETURNING advisor_decisions.id INTO d\073
  INSERT INTO live_conversation_inbox (decision_id, external_id, payload) VALUES (d, p_external_id, p_payload)\073
  IF p_api_key_id IS NOT NULL THEN
    UPDATE api_keys SET last_used_at = now() WHERE api_keys.id = p_api_key_id AND (last_used_at IS NULL OR last_used_at < now() - interval ''1 minute'')\073
  END IF\073
  RETURN d\073
END';
