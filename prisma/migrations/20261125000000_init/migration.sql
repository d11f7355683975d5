-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "PlatformRole" AS ENUM ('admin', 'support', 'user');

-- CreateEnum
CREATE TYPE "TenantRole" AS ENUM ('owner', 'member', 'viewer');

-- CreateEnum
CREATE TYPE "TenantStatus" AS ENUM ('active', 'suspended');

-- CreateEnum
CREATE TYPE "ZonePurpose" AS ENUM ('control_plane', 'workload', 'restricted');

-- CreateEnum
CREATE TYPE "ZoneIsolation" AS ENUM ('shared', 'dedicated');

-- CreateEnum
CREATE TYPE "PolicyKind" AS ENUM ('min_ha', 'production_dedicated', 'stage_separation', 'never_share', 'zone_reserved', 'no_self_hosting');

-- CreateEnum
CREATE TYPE "HostState" AS ENUM ('ready', 'cordoned', 'draining', 'down');

-- CreateEnum
CREATE TYPE "Stage" AS ENUM ('development', 'staging', 'production');

-- CreateEnum
CREATE TYPE "EnvironmentStatus" AS ENUM ('pending', 'placing', 'starting', 'running', 'degraded', 'unavailable', 'failed', 'removing');

-- CreateEnum
CREATE TYPE "Tenancy" AS ENUM ('shared', 'dedicated');

-- CreateEnum
CREATE TYPE "SpreadMode" AS ENUM ('required', 'preferred');

-- CreateEnum
CREATE TYPE "ReplicaState" AS ENUM ('pending', 'scheduled', 'starting', 'running', 'failed', 'stopping');

-- CreateEnum
CREATE TYPE "PlacementEventKind" AS ENUM ('placed', 'moved', 'failed_over', 'drained', 'unplaced', 'stopped');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('user', 'agent', 'controller', 'system');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "platformRole" "PlatformRole" NOT NULL DEFAULT 'user',
    "disabledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tenant" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "TenantStatus" NOT NULL DEFAULT 'active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "TenantRole" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Quota" (
    "tenantId" TEXT NOT NULL,
    "maxDevelopmentEnvs" INTEGER NOT NULL DEFAULT 5,
    "maxStagingEnvs" INTEGER NOT NULL DEFAULT 3,
    "maxProductionEnvs" INTEGER NOT NULL DEFAULT 2,
    "maxReplicas" INTEGER NOT NULL DEFAULT 15,
    "maxCpuMillis" INTEGER NOT NULL DEFAULT 8000,
    "maxMemoryMiB" INTEGER NOT NULL DEFAULT 16384,
    "usedDevelopmentEnvs" INTEGER NOT NULL DEFAULT 0,
    "usedStagingEnvs" INTEGER NOT NULL DEFAULT 0,
    "usedProductionEnvs" INTEGER NOT NULL DEFAULT 0,
    "usedReplicas" INTEGER NOT NULL DEFAULT 0,
    "usedCpuMillis" INTEGER NOT NULL DEFAULT 0,
    "usedMemoryMiB" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Quota_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "SecurityZone" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "purpose" "ZonePurpose" NOT NULL DEFAULT 'workload',
    "isolation" "ZoneIsolation" NOT NULL DEFAULT 'shared',
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SecurityZone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ZoneGrant" (
    "tenantId" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ZoneGrant_pkey" PRIMARY KEY ("tenantId","zoneId")
);

-- CreateTable
CREATE TABLE "PolicyRule" (
    "id" TEXT NOT NULL,
    "kind" "PolicyKind" NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "builtIn" BOOLEAN NOT NULL DEFAULT false,
    "params" JSONB NOT NULL DEFAULT '{}',
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PolicyRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Host" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL,
    "failureDomain" TEXT NOT NULL,
    "cpuMillis" INTEGER NOT NULL,
    "memoryMiB" INTEGER NOT NULL,
    "maxReplicas" INTEGER NOT NULL DEFAULT 16,
    "state" "HostState" NOT NULL DEFAULT 'ready',
    "address" TEXT NOT NULL DEFAULT '127.0.0.1',
    "lastHeartbeatAt" TIMESTAMP(3),
    "dedicatedTenantId" TEXT,
    "environmentId" TEXT,
    "credentialHash" TEXT,
    "credentialRevokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Host_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HostJoinToken" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL,
    "failureDomain" TEXT,
    "environmentId" TEXT,
    "createdById" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "hostId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HostJoinToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Environment" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "stage" "Stage" NOT NULL,
    "haLevel" INTEGER NOT NULL,
    "status" "EnvironmentStatus" NOT NULL DEFAULT 'pending',
    "statusReason" TEXT,
    "zoneId" TEXT,
    "stateServerId" TEXT,
    "credentialHash" TEXT NOT NULL,
    "isHostPool" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Environment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnvironmentKey" (
    "environmentId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "revision" BIGINT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EnvironmentKey_pkey" PRIMARY KEY ("environmentId","key")
);

-- CreateTable
CREATE TABLE "StateServer" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL,
    "tenancy" "Tenancy" NOT NULL DEFAULT 'shared',
    "tenantId" TEXT,
    "stage" "Stage",
    "replicas" INTEGER NOT NULL,
    "cpuMillis" INTEGER NOT NULL,
    "memoryMiB" INTEGER NOT NULL,
    "maxEnvironments" INTEGER NOT NULL DEFAULT 50,
    "spread" "SpreadMode" NOT NULL DEFAULT 'required',
    "draining" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StateServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Replica" (
    "id" TEXT NOT NULL,
    "stateServerId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "hostId" TEXT,
    "state" "ReplicaState" NOT NULL DEFAULT 'pending',
    "port" INTEGER,
    "pid" INTEGER,
    "failureReason" TEXT,
    "startedAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Replica_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlacementEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" "PlacementEventKind" NOT NULL,
    "stateServerId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "replicaId" TEXT,
    "fromHostId" TEXT,
    "toHostId" TEXT,
    "reason" TEXT NOT NULL,
    "causeType" "ActorType" NOT NULL,
    "actorId" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "PlacementEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" "ActorType" NOT NULL,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "tenantId" TEXT,
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT,
    "requestId" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Tenant_slug_key" ON "Tenant"("slug");

-- CreateIndex
CREATE INDEX "Membership_userId_idx" ON "Membership"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_tenantId_userId_key" ON "Membership"("tenantId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "SecurityZone_name_key" ON "SecurityZone"("name");

-- CreateIndex
CREATE INDEX "ZoneGrant_zoneId_idx" ON "ZoneGrant"("zoneId");

-- CreateIndex
CREATE UNIQUE INDEX "PolicyRule_name_key" ON "PolicyRule"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Host_credentialHash_key" ON "Host"("credentialHash");

-- CreateIndex
CREATE INDEX "Host_zoneId_failureDomain_idx" ON "Host"("zoneId", "failureDomain");

-- CreateIndex
CREATE INDEX "Host_state_idx" ON "Host"("state");

-- CreateIndex
CREATE INDEX "Host_environmentId_idx" ON "Host"("environmentId");

-- CreateIndex
CREATE UNIQUE INDEX "HostJoinToken_tokenHash_key" ON "HostJoinToken"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "HostJoinToken_hostId_key" ON "HostJoinToken"("hostId");

-- CreateIndex
CREATE INDEX "Environment_stateServerId_idx" ON "Environment"("stateServerId");

-- CreateIndex
CREATE INDEX "Environment_tenantId_createdAt_idx" ON "Environment"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Environment_tenantId_name_key" ON "Environment"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "StateServer_name_key" ON "StateServer"("name");

-- CreateIndex
CREATE INDEX "StateServer_zoneId_idx" ON "StateServer"("zoneId");

-- CreateIndex
CREATE INDEX "Replica_stateServerId_ordinal_idx" ON "Replica"("stateServerId", "ordinal");

-- CreateIndex
CREATE INDEX "Replica_hostId_idx" ON "Replica"("hostId");

-- CreateIndex
CREATE INDEX "PlacementEvent_at_idx" ON "PlacementEvent"("at");

-- CreateIndex
CREATE INDEX "PlacementEvent_stateServerId_at_idx" ON "PlacementEvent"("stateServerId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_at_idx" ON "AuditEvent"("tenantId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Quota" ADD CONSTRAINT "Quota_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ZoneGrant" ADD CONSTRAINT "ZoneGrant_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ZoneGrant" ADD CONSTRAINT "ZoneGrant_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "SecurityZone"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Host" ADD CONSTRAINT "Host_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "SecurityZone"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Host" ADD CONSTRAINT "Host_dedicatedTenantId_fkey" FOREIGN KEY ("dedicatedTenantId") REFERENCES "Tenant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Host" ADD CONSTRAINT "Host_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostJoinToken" ADD CONSTRAINT "HostJoinToken_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "SecurityZone"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostJoinToken" ADD CONSTRAINT "HostJoinToken_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostJoinToken" ADD CONSTRAINT "HostJoinToken_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Environment" ADD CONSTRAINT "Environment_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Environment" ADD CONSTRAINT "Environment_stateServerId_fkey" FOREIGN KEY ("stateServerId") REFERENCES "StateServer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnvironmentKey" ADD CONSTRAINT "EnvironmentKey_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StateServer" ADD CONSTRAINT "StateServer_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "SecurityZone"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StateServer" ADD CONSTRAINT "StateServer_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Replica" ADD CONSTRAINT "Replica_stateServerId_fkey" FOREIGN KEY ("stateServerId") REFERENCES "StateServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Replica" ADD CONSTRAINT "Replica_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Audit events are append-only: refuse UPDATE, DELETE and TRUNCATE for every role
-- the app connects as (the hash chain makes any out-of-band edit detectable too).
CREATE FUNCTION "audit_event_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AuditEvent_no_update_delete" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"();
