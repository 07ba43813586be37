import { useEffect, useRef, useState } from "react";
import { useT } from "../i18n";

type Suggestion = { handle: string; displayName: string };

/**
 * Offers members after "@" in a textarea (with JavaScript; without it the
 * typed handle works all the same). Arrow keys choose, Enter or Tab inserts
 * "@handle ", Escape closes. The textarea is the combobox.
 */
export function MentionSuggestions({ textareaId }: { textareaId: string }) {
  const t = useT();
  const [items, setItems] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(0);
  const query = useRef<{ start: number; text: string } | null>(null);
  const listId = `${textareaId}-mentions`;
  const state = useRef({ items, active });
  state.current = { items, active };

  useEffect(() => {
    const area = document.getElementById(textareaId) as HTMLTextAreaElement | null;
    if (!area) return;
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", listId);
    let controller: AbortController | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const close = () => {
      query.current = null;
      setItems([]);
      area.setAttribute("aria-expanded", "false");
      area.removeAttribute("aria-activedescendant");
    };
    const onInput = () => {
      const before = area.value.slice(0, area.selectionStart ?? 0);
      const m = /(?:^|[^A-Za-z0-9_@./])@([A-Za-z0-9_]{1,30})$/.exec(before);
      if (!m) return close();
      query.current = { start: before.length - m[1]!.length - 1, text: m[1]! };
      clearTimeout(timer);
      timer = setTimeout(async () => {
        controller?.abort();
        controller = new AbortController();
        try {
          const res = await fetch(`/mentions?q=${encodeURIComponent(m[1]!)}`, { signal: controller.signal, headers: { Accept: "application/json" } });
          if (!res.ok) return close();
          const body = (await res.json()) as { members: Suggestion[] };
          if (!query.current) return;
          setItems(body.members);
          setActive(0);
          area.setAttribute("aria-expanded", body.members.length ? "true" : "false");
        } catch {
          // A newer keystroke aborted this one.
        }
      }, 150);
    };
    const insert = (s: Suggestion) => {
      const q = query.current;
      if (!q) return;
      const end = q.start + 1 + q.text.length;
      area.value = `${area.value.slice(0, q.start)}@${s.handle} ${area.value.slice(end)}`;
      const caret = q.start + s.handle.length + 2;
      area.setSelectionRange(caret, caret);
      close();
      area.focus();
    };
    const onKey = (e: KeyboardEvent) => {
      const { items: list, active: current } = state.current;
      if (!list.length) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const next = (current + (e.key === "ArrowDown" ? 1 : list.length - 1)) % list.length;
        setActive(next);
        area.setAttribute("aria-activedescendant", `${listId}-${next}`);
      } else if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault();
        insert(list[current]!);
      } else if (e.key === "Escape") {
        close();
      }
    };
    const onPick = (e: Event) => {
      const handle = (e as CustomEvent<Suggestion>).detail;
      insert(handle);
    };
    area.addEventListener("input", onInput);
    area.addEventListener("keydown", onKey);
    area.addEventListener("mention-pick", onPick);
    area.addEventListener("blur", () => setTimeout(close, 200));
    return () => {
      clearTimeout(timer);
      controller?.abort();
      area.removeEventListener("input", onInput);
      area.removeEventListener("keydown", onKey);
      area.removeEventListener("mention-pick", onPick);
    };
  }, [textareaId, listId]);

  const pick = (s: Suggestion) => document.getElementById(textareaId)?.dispatchEvent(new CustomEvent("mention-pick", { detail: s }));
  return (
    <ul id={listId} role="listbox" aria-label={t("Members to mention")} className="mention-list" hidden={!items.length}>
      {items.map((s, i) => (
        <li
          key={s.handle}
          id={`${listId}-${i}`}
          role="option"
          aria-selected={i === active}
          className={i === active ? "active" : undefined}
          onMouseDown={(e) => {
            e.preventDefault();
            pick(s);
          }}
        >
          {s.displayName} <span className="muted">@{s.handle}</span>
        </li>
      ))}
    </ul>
  );
}
