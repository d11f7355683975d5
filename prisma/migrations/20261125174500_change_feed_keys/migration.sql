-- The change feed names rows for the busiest tables: a message is the table's
-- name followed by the values of the columns the trigger is given, for the old
-- and the new row (`Replica|<stateServerId>`, `AuditEvent|<targetId>`), so a
-- cached environment page is dropped by changes to its own environment, state
-- server, replicas, jobs and events, not by every write to those tables.
-- Postgres still folds identical messages within a transaction. TRUNCATE keeps
-- the table-wide message.
CREATE FUNCTION "statehouse_notify_row_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  keys text := '';
BEGIN
  FOR i IN 0 .. TG_NARGS - 1 LOOP
    IF TG_OP <> 'INSERT' THEN keys := keys || '|' || coalesce(to_jsonb(OLD) ->> TG_ARGV[i], ''); END IF;
    IF TG_OP <> 'DELETE' THEN keys := keys || '|' || coalesce(to_jsonb(NEW) ->> TG_ARGV[i], ''); END IF;
  END LOOP;
  PERFORM pg_notify('statehouse_change', TG_TABLE_NAME || keys);
  RETURN NULL;
END $$;

DROP TRIGGER "Environment_change" ON "Environment";
CREATE TRIGGER "Environment_change" AFTER INSERT OR UPDATE OR DELETE ON "Environment" FOR EACH ROW EXECUTE FUNCTION "statehouse_notify_row_change"('id', 'stateServerId');
CREATE TRIGGER "Environment_change_truncate" AFTER TRUNCATE ON "Environment" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();

DROP TRIGGER "StateServer_change" ON "StateServer";
CREATE TRIGGER "StateServer_change" AFTER INSERT OR UPDATE OR DELETE ON "StateServer" FOR EACH ROW EXECUTE FUNCTION "statehouse_notify_row_change"('id');
CREATE TRIGGER "StateServer_change_truncate" AFTER TRUNCATE ON "StateServer" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();

DROP TRIGGER "Replica_change" ON "Replica";
CREATE TRIGGER "Replica_change" AFTER INSERT OR UPDATE OR DELETE ON "Replica" FOR EACH ROW EXECUTE FUNCTION "statehouse_notify_row_change"('stateServerId');
CREATE TRIGGER "Replica_change_truncate" AFTER TRUNCATE ON "Replica" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();

DROP TRIGGER "RuntimeJob_change" ON "RuntimeJob";
CREATE TRIGGER "RuntimeJob_change" AFTER INSERT OR UPDATE OR DELETE ON "RuntimeJob" FOR EACH ROW EXECUTE FUNCTION "statehouse_notify_row_change"('targetId');
CREATE TRIGGER "RuntimeJob_change_truncate" AFTER TRUNCATE ON "RuntimeJob" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();

DROP TRIGGER "PlacementEvent_change" ON "PlacementEvent";
CREATE TRIGGER "PlacementEvent_change" AFTER INSERT OR UPDATE OR DELETE ON "PlacementEvent" FOR EACH ROW EXECUTE FUNCTION "statehouse_notify_row_change"('stateServerId');
CREATE TRIGGER "PlacementEvent_change_truncate" AFTER TRUNCATE ON "PlacementEvent" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();

DROP TRIGGER "AuditEvent_change" ON "AuditEvent";
CREATE TRIGGER "AuditEvent_change" AFTER INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION "statehouse_notify_row_change"('targetId');
CREATE TRIGGER "AuditEvent_change_truncate" AFTER TRUNCATE ON "AuditEvent" FOR EACH STATEMENT EXECUTE FUNCTION "statehouse_notify_change"();
