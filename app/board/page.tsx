import { requireScreen } from "@/lib/auth/screen";
import { BoardScreen } from "./board-screen";

export const dynamic = "force-dynamic";

export default async function BoardPage() {
  await requireScreen("display", "/board");
  return <BoardScreen />;
}
