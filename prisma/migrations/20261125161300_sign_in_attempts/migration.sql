-- CreateTable
CREATE TABLE "SignInAttempt" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "atMs" BIGINT NOT NULL,

    CONSTRAINT "SignInAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SignInAttempt_key_atMs_idx" ON "SignInAttempt"("key", "atMs");

-- CreateIndex
CREATE INDEX "SignInAttempt_atMs_idx" ON "SignInAttempt"("atMs");

