import NextAuth from "next-auth";
import { authOptions } from "@/server/auth/options";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

const handler = (req: Request, context: RouteContext) => NextAuth(req as never, context as never, authOptions());

export { handler as GET, handler as POST };
