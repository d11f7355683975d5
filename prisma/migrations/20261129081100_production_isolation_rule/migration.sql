-- The built-in production-isolation rule, on by default (prisma/built-in-policies.ts seeds the same row).
INSERT INTO "PolicyRule" ("id", "kind", "name", "enabled", "builtIn", "params", "description", "createdAt", "updatedAt")
VALUES (
  'builtin-production-isolation',
  'production_isolation',
  'production-apart-from-other-tenants',
  true,
  true,
  '{}',
  'A production environment never shares a state server with another tenant''s development or staging. Switch it off to relax it.',
  CURRENT_TIMESTAMP,
  CURRENT_TIMESTAMP
)
ON CONFLICT ("name") DO NOTHING;
