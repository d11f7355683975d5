-- CreateTable
CREATE TABLE "PlatformSettings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "signupEnabled" BOOLEAN NOT NULL DEFAULT true,
    "freeTierZones" TEXT[] DEFAULT ARRAY['shared-east']::TEXT[],
    "freeDevelopmentEnvs" INTEGER NOT NULL DEFAULT 2,
    "freeStagingEnvs" INTEGER NOT NULL DEFAULT 1,
    "freeProductionEnvs" INTEGER NOT NULL DEFAULT 1,
    "freeReplicas" INTEGER NOT NULL DEFAULT 6,
    "freeCpuMillis" INTEGER NOT NULL DEFAULT 4000,
    "freeMemoryMiB" INTEGER NOT NULL DEFAULT 4096,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PlatformSettings_pkey" PRIMARY KEY ("id")
);

