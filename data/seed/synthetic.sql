-- Synthetic data for the dev and pr-<N> databases (runbook 1.1: "Synthetic/test data").
--
-- Loaded by the seed Job after the app's migrations (`alembic upgrade head`) have created the
-- schema, and again whenever this file changes. Every value is made up: no production data ever
-- goes here. Idempotent: re-running it changes nothing (the data lives on in the volume).
-- Each block loads a table only if the app's migrations created it, so a schema without that
-- table is not an error; adapt the blocks to the app's tables as they grow.

\set ON_ERROR_STOP on

BEGIN;

DO $$
BEGIN
    IF to_regclass('public.users') IS NOT NULL THEN
        INSERT INTO users (id, email, full_name, is_active, created_at)
        SELECT
            n,
            format('user%s@example.test', n),
            format('Synthetic User %s', n),
            n % 10 <> 0,
            TIMESTAMPTZ '2026-01-01 00:00:00+00' + make_interval(hours => n)
        FROM generate_series(1, 50) AS n
        ON CONFLICT (id) DO NOTHING;
    ELSE
        RAISE NOTICE 'seed: no table public.users yet; skipped';
    END IF;
END
$$;

-- A marker the README's "reseed" step and a reviewer can check: which seed version ran, when.
CREATE TABLE IF NOT EXISTS synthetic_seed_runs (
    version    text        PRIMARY KEY,
    loaded_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO synthetic_seed_runs (version) VALUES ('2026-11-28.1') ON CONFLICT (version) DO NOTHING;

COMMIT;
