-- AlterTable
ALTER TABLE "HostJoinToken" ADD COLUMN     "installKeyHash" TEXT;

