-- CreateEnum
CREATE TYPE "RuntimeJobKind" AS ENUM ('drain_host', 'move_environment', 'change_ha');

-- CreateEnum
CREATE TYPE "RuntimeJobState" AS ENUM ('queued', 'running', 'succeeded', 'failed');

-- AlterTable
ALTER TABLE "Environment" ADD COLUMN     "kvRevision" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Replica" ADD COLUMN     "restarts" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "RuntimeJob" (
    "id" TEXT NOT NULL,
    "kind" "RuntimeJobKind" NOT NULL,
    "targetId" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "state" "RuntimeJobState" NOT NULL DEFAULT 'queued',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "detail" TEXT NOT NULL DEFAULT '',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "bossJobId" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "RuntimeJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RuntimeJob_state_createdAt_idx" ON "RuntimeJob"("state", "createdAt");

-- CreateIndex
CREATE INDEX "RuntimeJob_targetId_idx" ON "RuntimeJob"("targetId");

