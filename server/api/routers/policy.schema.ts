export { ZCreatePolicyInput, ZUpdatePolicyInput } from "../../services/policies";
import { z } from "zod";

export const ZPolicyIdInput = z.object({ id: z.string().min(1).max(64), reason: z.string().trim().max(500).optional() });
