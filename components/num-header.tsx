import type { ReactNode } from 'react';

/** A column header over figures, aligned with them (right). */
export function NumHeader({ children }: { children: ReactNode }) {
  return (
    <th scope="col" className="num">
      {children}
    </th>
  );
}
