-- CreateIndex
CREATE INDEX "AuditEvent_targetType_targetId_id_idx" ON "AuditEvent"("targetType", "targetId", "id");

-- CreateIndex
CREATE INDEX "Environment_createdAt_id_idx" ON "Environment"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Environment_updatedAt_idx" ON "Environment"("updatedAt");

-- CreateIndex
CREATE INDEX "Replica_updatedAt_idx" ON "Replica"("updatedAt");

