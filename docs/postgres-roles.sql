-- Least-privilege setup of a city's daicho register on PostgreSQL (15 or later).
--
-- Run by an operator who is a superuser, or a role with CREATEROLE and
-- CREATEDB, with psql:
--
--   DAICHO_DB=daicho psql "host=db.example.jp dbname=postgres user=admin sslmode=verify-full" \
--       -v ON_ERROR_STOP=1 -f docs/postgres-roles.sql
--
-- Run it twice: once before the first migration (roles, database, schema,
-- default privileges), and once after it (the append-only tables below
-- exist only then). It is safe to run again at any time.
--
-- Passwords are never written here nor on a command line (where `ps` and the
-- shell history show them): psql and daicho take them from the environment
-- (`PGPASSWORD`) or from `~/.pgpass` (mode 0600). Set them with psql's
-- `\password ROLE`, which hashes the password (SCRAM) before sending it, so
-- that it reaches neither the server's log nor pg_stat_activity: pass
-- `-v set_passwords=1` on an interactive run to be prompted for each.
-- TLS: put `sslmode=verify-full` (and `sslrootcert=…` if the CA is private)
-- in every connection string, and allow these roles only `hostssl ... scram-sha-256`
-- lines in pg_hba.conf.
--
-- Roles are cluster-wide: one cluster holds one city's register under these names.
--
--   daicho_owner   owns the schema `daicho` and every table: runs the
--                  migrations, the only role with DDL. LOGIN, so that the
--                  migrations runner connects as it and the tables it creates
--                  are its own; give it a password only for an upgrade
--                  (`ALTER ROLE daicho_owner NOLOGIN` between upgrades is fine).
--   daicho_writer  the application: reads and writes rows, creates nothing.
--   daicho_reader  reports and read-only opens: SELECT only.

\set ON_ERROR_STOP on

\getenv db DAICHO_DB
\if :{?db}
\else
    \set db daicho
\endif

-- Roles, created once.
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'daicho_owner') AS missing_owner,
       NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'daicho_writer') AS missing_writer,
       NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'daicho_reader') AS missing_reader
\gset
\if :missing_owner
    CREATE ROLE daicho_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS;
\endif
\if :missing_writer
    CREATE ROLE daicho_writer LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS;
\endif
\if :missing_reader
    CREATE ROLE daicho_reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS;
\endif

-- A CREATEROLE operator must be a member of daicho_owner to give it a schema
-- and set its default privileges; the membership is revoked at the end.
SELECT NOT pg_has_role(current_user, 'daicho_owner', 'MEMBER') AS joined_owner \gset
\if :joined_owner
    GRANT daicho_owner TO CURRENT_USER;
\endif

-- The database, owned by the operator: daicho_owner needs no CREATE SCHEMA.
-- UTF8, as SQLite stores text; the collation does not matter, every text
-- column is COLLATE "C".
SELECT NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') AS missing_db \gset
\if :missing_db
    CREATE DATABASE :"db" ENCODING 'UTF8' TEMPLATE template0;
\endif

-- Only these roles connect; nobody gets temporary tables (daicho needs none).
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO daicho_owner, daicho_writer, daicho_reader;

\connect :"db"

-- Nobody creates anything in `public` (already so for new databases since
-- PostgreSQL 15; said again for a database made from an older template).
REVOKE ALL ON SCHEMA public FROM PUBLIC;

CREATE SCHEMA IF NOT EXISTS daicho AUTHORIZATION daicho_owner;
REVOKE ALL ON SCHEMA daicho FROM PUBLIC;
GRANT USAGE ON SCHEMA daicho TO daicho_writer, daicho_reader;

-- The migrations name tables unqualified: the search path picks the schema.
ALTER ROLE daicho_owner IN DATABASE :"db" SET search_path = daicho;
ALTER ROLE daicho_writer IN DATABASE :"db" SET search_path = daicho;
ALTER ROLE daicho_reader IN DATABASE :"db" SET search_path = daicho;

-- Tables the migrations create later get their grants as they are created.
-- Sequences (the identities): UPDATE too, because copying a register writes
-- ids explicitly and then moves the identity on with setval().
ALTER DEFAULT PRIVILEGES FOR ROLE daicho_owner IN SCHEMA daicho
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO daicho_writer;
ALTER DEFAULT PRIVILEGES FOR ROLE daicho_owner IN SCHEMA daicho
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO daicho_writer;
ALTER DEFAULT PRIVILEGES FOR ROLE daicho_owner IN SCHEMA daicho
    GRANT SELECT ON TABLES TO daicho_reader;
-- Functions: nobody but the owner (PostgreSQL grants EXECUTE to PUBLIC;
-- only a default of no schema can take that away).
ALTER DEFAULT PRIVILEGES FOR ROLE daicho_owner
    REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- Second run, after the migrations: the tables the code only appends to, or
-- changes only in a few columns, lose what the writer never needs
-- (core/src/store/*.rs: no statement deletes from them, and the UPDATEs
-- there set only the columns granted). A new UPDATE in the code needs its
-- column here.
SELECT to_regclass('daicho.attested_assets') IS NOT NULL AS migrated \gset
\if :migrated
    SET ROLE daicho_owner;

    -- The audit log is append-only, but for a redaction
    -- (`Db::replace_payload`), which rewrites an entry's payload and keeps its
    -- hash and digest: the chain still proves the entry.
    REVOKE UPDATE, DELETE ON daicho.audit_log FROM daicho_writer;
    GRANT UPDATE (before, after) ON daicho.audit_log TO daicho_writer;

    -- Append-only: rows are only ever added.
    REVOKE UPDATE, DELETE ON daicho.check_runs, daicho.attested_assets FROM daicho_writer;

    -- Never deleted; updated in these columns only.
    REVOKE UPDATE, DELETE ON daicho.meta, daicho.imports, daicho.exceptions,
        daicho.findings, daicho.pia_processes, daicho.campaigns, daicho.attestations
        FROM daicho_writer;
    -- `policy set` (INSERT … ON CONFLICT (key) DO UPDATE SET value).
    GRANT UPDATE (value) ON daicho.meta TO daicho_writer;
    -- An undo is noted on its import; the import's counts and range stay.
    GRANT UPDATE (undone_at, undone_by, undo_first_seq, undo_last_seq)
        ON daicho.imports TO daicho_writer;
    GRANT UPDATE (ended_at, ended_by) ON daicho.exceptions TO daicho_writer;
    GRANT UPDATE (message_ja, message_en, last_seen, status, resolved_on, owner, due_on)
        ON daicho.findings TO daicho_writer;
    GRANT UPDATE (name, handlers, stated_persons, incident_on, evaluation, document,
        published_on, updated_at, updated_by, folded) ON daicho.pia_processes TO daicho_writer;
    GRANT UPDATE (closed_at, closed_by) ON daicho.campaigns TO daicho_writer;
    GRANT UPDATE (attested_on, attested_at, attested_by, recorded_by, asset_count, digest)
        ON daicho.attestations TO daicho_writer;

    -- assets, links and risk_assessments keep full SELECT/INSERT/UPDATE/DELETE:
    -- assets and links are deleted, assessments removed and replaced.
    RESET ROLE;
\else
    \echo 'Not migrated yet: run the migrations as daicho_owner, then this script again.'
\endif

\if :joined_owner
    REVOKE daicho_owner FROM CURRENT_USER;
\endif

\if :{?set_passwords}
    \password daicho_owner
    \password daicho_writer
    \password daicho_reader
\endif
