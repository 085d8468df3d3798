import { redirect } from "next/navigation";
import { currentPrincipal } from "@/lib/auth/next";
import { safeNextPath } from "@/lib/auth/redirect";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  // Only same-origin paths are followed (lib/auth/redirect.ts).
  const target = safeNextPath(next);
  if (await currentPrincipal()) redirect(target);
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <div className="w-full max-w-md rounded-2xl border border-white/10 bg-white/5 p-8 shadow-xl">
        <h1 className="mb-1 text-4xl font-black tracking-tight">Pass</h1>
        <p className="mb-8 text-lg text-gray-300">Sign in to run the pass.</p>
        <LoginForm next={target} />
        <p className="mt-6 text-lg">
          <a
            href={`/login/device?next=${encodeURIComponent(target)}`}
            className="inline-flex min-h-11 items-center text-sky-300 underline"
            data-testid="device-login-link"
          >
            Sign in a screen with a device token
          </a>
        </p>
      </div>
    </main>
  );
}
