/** The print station's jobs are planned by lib/printing (shared with the server-side dispatcher). */
export * from "@/lib/printing/plan";
