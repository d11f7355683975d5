-- AlterEnum (its own migration: a new enum value cannot be used in the transaction that adds it)
ALTER TYPE "PolicyKind" ADD VALUE 'production_isolation';
