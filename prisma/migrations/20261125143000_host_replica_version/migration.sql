-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "replicaVersion" BIGINT NOT NULL DEFAULT 0;

-- Every change to a host's replica rows that a heartbeat answers with (which
-- replicas, their state, port, restarts) bumps the host's replicaVersion in the
-- same transaction, so the app can serve an unchanged host's desired replicas
-- from memory: a steady heartbeat is one UPDATE ... WHERE "replicaVersion" = $v.
CREATE FUNCTION "Host_bump_replica_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD."hostId" IS NOT NULL THEN
    UPDATE "Host" SET "replicaVersion" = "replicaVersion" + 1 WHERE id = OLD."hostId";
  END IF;
  IF TG_OP <> 'DELETE' AND NEW."hostId" IS NOT NULL AND (TG_OP = 'INSERT' OR NEW."hostId" IS DISTINCT FROM OLD."hostId") THEN
    UPDATE "Host" SET "replicaVersion" = "replicaVersion" + 1 WHERE id = NEW."hostId";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Replica_bumps_host_version_insert_delete" AFTER INSERT OR DELETE ON "Replica"
  FOR EACH ROW EXECUTE FUNCTION "Host_bump_replica_version"();

CREATE TRIGGER "Replica_bumps_host_version_update" AFTER UPDATE ON "Replica"
  FOR EACH ROW WHEN (
    OLD."hostId" IS DISTINCT FROM NEW."hostId" OR OLD.state IS DISTINCT FROM NEW.state OR OLD.port IS DISTINCT FROM NEW.port
    OR OLD.restarts IS DISTINCT FROM NEW.restarts OR OLD."stateServerId" IS DISTINCT FROM NEW."stateServerId" OR OLD.ordinal IS DISTINCT FROM NEW.ordinal
  ) EXECUTE FUNCTION "Host_bump_replica_version"();

-- Heartbeats rewrite each host row every second: leave room on the page for HOT updates.
ALTER TABLE "Host" SET (fillfactor = 70);
