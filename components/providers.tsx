"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { persistOrderSnapshots } from "@/lib/client/offline-snapshot";
import { ServiceWorkerRegistration } from "./service-worker";

export function Providers({ children }: { children: React.ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: 3, retryDelay: (n) => Math.min(1000 * 2 ** n, 10_000), refetchOnWindowFocus: false, networkMode: "always" },
          mutations: { networkMode: "always" },
        },
      }),
  );
  // Each screen's last order list, for a reload while Pass is unreachable (lib/client/offline-snapshot.ts).
  useEffect(() => persistOrderSnapshots(client), [client]);
  return (
    <QueryClientProvider client={client}>
      <ServiceWorkerRegistration />
      {children}
    </QueryClientProvider>
  );
}
