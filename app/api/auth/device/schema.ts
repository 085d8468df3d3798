import { z } from "zod";
import { key } from "@/lib/fields";

/** `POST /api/auth/device`: a device token (`npm run pass -- token add`), as the screen's sign-in. */
export const deviceBody = z.strictObject({ token: key(200) });
