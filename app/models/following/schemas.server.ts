import { z } from "zod";

/** The follow buttons' form: follow or unfollow. */
export const followIntentSchema = z.object({ intent: z.enum(["follow", "unfollow"], { message: "Choose to follow or unfollow." }) });
