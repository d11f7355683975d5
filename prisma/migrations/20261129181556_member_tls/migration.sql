-- AlterTable
ALTER TABLE "Replica" ADD COLUMN     "tlsCert" TEXT,
ADD COLUMN     "tlsKeySealed" TEXT;

-- AlterTable
ALTER TABLE "StateServer" ADD COLUMN     "caCert" TEXT,
ADD COLUMN     "caKeySealed" TEXT;

