-- CreateEnum
CREATE TYPE "ClusterState" AS ENUM ('new', 'bootstrapping', 'ready');

-- AlterEnum
ALTER TYPE "ReplicaState" ADD VALUE 'learner';

-- DropForeignKey
ALTER TABLE "EnvironmentKey" DROP CONSTRAINT "EnvironmentKey_environmentId_fkey";

-- AlterTable
ALTER TABLE "Environment" DROP COLUMN "credentialHash",
DROP COLUMN "kvRevision",
ADD COLUMN     "credentialSealed" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "dataServerId" TEXT;

-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "portFrom" INTEGER NOT NULL DEFAULT 42000,
ADD COLUMN     "portTo" INTEGER NOT NULL DEFAULT 45999;

-- AlterTable
ALTER TABLE "Replica" ADD COLUMN     "alarms" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "dbSizeBytes" BIGINT,
ADD COLUMN     "healthAt" TIMESTAMP(3),
ADD COLUMN     "initialCluster" TEXT,
ADD COLUMN     "initialClusterState" TEXT,
ADD COLUMN     "isLeader" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "isLearner" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "memberId" TEXT,
ADD COLUMN     "peerPort" INTEGER,
ADD COLUMN     "raftIndex" BIGINT,
ADD COLUMN     "raftTerm" BIGINT;

-- AlterTable
ALTER TABLE "StateServer" ADD COLUMN     "clusterState" "ClusterState" NOT NULL DEFAULT 'new',
ADD COLUMN     "clusterToken" TEXT,
ADD COLUMN     "membershipNote" TEXT,
ADD COLUMN     "rootSealed" TEXT;

-- Environments created before state servers were etcd clusters have no etcd credential
-- (an empty one: rotating the credential makes one); their Postgres-held keys go with the table.
ALTER TABLE "Environment" ALTER COLUMN "credentialSealed" DROP DEFAULT;
UPDATE "StateServer" SET "clusterToken" = 'sh-' || id WHERE "clusterToken" IS NULL;
ALTER TABLE "StateServer" ALTER COLUMN "clusterToken" SET NOT NULL;

-- DropTable
DROP TABLE "EnvironmentKey";

-- CreateIndex
CREATE UNIQUE INDEX "StateServer_clusterToken_key" ON "StateServer"("clusterToken");

