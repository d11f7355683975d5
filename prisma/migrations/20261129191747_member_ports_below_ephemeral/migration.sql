-- New hosts' member ports default below Linux's ephemeral range (DEFAULT_MEMBER_PORTS); hosts already joined keep the range they reported.
-- AlterTable
ALTER TABLE "Host" ALTER COLUMN "portFrom" SET DEFAULT 20000,
ALTER COLUMN "portTo" SET DEFAULT 23999;

