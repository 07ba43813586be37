import { Fragment, cloneElement, type ReactElement, type ReactNode } from "react";

/**
 * A translated message with markup: "You follow <0>{name}</0>." and `[<strong />]` give
 * "You follow <strong>Coffee</strong>." (translate first with t(), then this). Tags do not nest.
 */
export function rich(text: string, elements: ReactElement[]): ReactNode {
  const parts = text.split(/<(\d+)>(.*?)<\/\1>/s);
  const out: ReactNode[] = [];
  for (let i = 0; i < parts.length; i += 3) {
    if (parts[i]) out.push(parts[i]);
    if (i + 2 < parts.length) {
      const element = elements[Number(parts[i + 1])];
      out.push(element ? cloneElement(element, { key: i }, parts[i + 2]) : parts[i + 2]);
    }
  }
  return <Fragment>{out}</Fragment>;
}
