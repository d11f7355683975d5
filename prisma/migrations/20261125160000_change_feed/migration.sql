-- The change feed: every committed write to a table the app caches reads of
-- sends NOTIFY statehouse_change with the table's name (Postgres folds
-- duplicates within a transaction and delivers at commit, never for a rollback).
-- Each app process LISTENs and drops its cached reads of that table
-- (server/db/change-feed.ts). Postgres stays the only source of truth.
CREATE FUNCTION "statehouse_notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('statehouse_change', TG_TABLE_NAME);
  RETURN NULL;
END $$;

CREATE TRIGGER "User_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "User" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();
CREATE TRIGGER "Tenant_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Tenant" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();
CREATE TRIGGER "Membership_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Membership" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();
CREATE TRIGGER "SecurityZone_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "SecurityZone" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();
CREATE TRIGGER "Environment_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Environment" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();
CREATE TRIGGER "StateServer_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "StateServer" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();
CREATE TRIGGER "Replica_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Replica" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();
CREATE TRIGGER "RuntimeJob_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "RuntimeJob" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();
CREATE TRIGGER "PlacementEvent_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "PlacementEvent" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();
CREATE TRIGGER "AuditEvent_change" AFTER INSERT OR TRUNCATE ON "AuditEvent" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();

-- Heartbeats rewrite each host's lastHeartbeatAt (and updatedAt) every second, and a busy API
-- token's lastUsedAt once a minute: those columns alone do not notify.
CREATE TRIGGER "Host_change" AFTER INSERT OR DELETE OR TRUNCATE ON "Host" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();
CREATE TRIGGER "Host_change_update" AFTER UPDATE ON "Host" FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'lastHeartbeatAt' - 'updatedAt') IS DISTINCT FROM (to_jsonb(NEW) - 'lastHeartbeatAt' - 'updatedAt'))
  EXECUTE FUNCTION "statehouse_notify_change"();
CREATE TRIGGER "ApiToken_change" AFTER INSERT OR DELETE OR TRUNCATE ON "ApiToken" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();
CREATE TRIGGER "ApiToken_change_update" AFTER UPDATE ON "ApiToken" FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'lastUsedAt') IS DISTINCT FROM (to_jsonb(NEW) - 'lastUsedAt'))
  EXECUTE FUNCTION "statehouse_notify_change"();
