import type { StaffMenu } from "@/lib/client/menu";

/**
 * What every panel of /menu gets: the menu as last read, and `write`, which runs one or more API
 * calls and then refetches the menu (the server's answer is the truth; other tablets' changes
 * come in on the refetch and on window focus). `optimistic` reorders the cached menu at once.
 */
export type MenuCtx = {
  partner: string;
  menu: StaffMenu;
  write: <T>(run: () => Promise<T>) => Promise<T>;
  optimistic: (update: (menu: StaffMenu) => StaffMenu) => void;
  busy: boolean;
};
