import { safeNextPath } from "@/lib/auth/redirect";
import { DeviceForm } from "./device-form";

export const dynamic = "force-dynamic";

/** A screen's sign-in with a device token (`npm run pass -- token add --role printer`), e.g. the print station. */
export default async function DeviceLoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const target = safeNextPath(next ?? "/printer");
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <div className="w-full max-w-md rounded-2xl border border-white/10 bg-white/5 p-8 shadow-xl">
        <h1 className="mb-1 text-4xl font-black tracking-tight">Pass</h1>
        <p className="mb-8 text-lg text-gray-300">Sign this screen in with its device token. It gets exactly the token&apos;s rights.</p>
        <DeviceForm next={target} />
      </div>
    </main>
  );
}
