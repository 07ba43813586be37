import { z } from "zod";
import { singleLine } from "../shared/validation";

export const tagFormSchema = z.object({
  name: singleLine("Tag name", 1, 40),
});
export const categoryFormSchema = z.object({
  name: singleLine("Name", 1, 60),
  description: singleLine("Description", 0, 300).optional().default(""),
});

/** "Mobile app!" → "mobile-app": the slug a tag or category gets from its name. */
export function slugFromName(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
}
