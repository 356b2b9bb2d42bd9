import { Fragment, type ReactNode } from 'react';

/**
 * The dashboard's table: it scrolls sideways on a narrow screen (`.table-wrap`), says what it lists
 * (its caption, or `label` where a heading above already says it), and heads each column for screen
 * readers. A column given as text is a plain header; any other (NumHeader, a group of headers such
 * as PercentileHeaders) is placed as it is. The children are the body's rows.
 */
export function DataTable({
  caption,
  label,
  columns,
  children,
}: {
  caption?: ReactNode;
  label?: string;
  columns: readonly ReactNode[];
  children: ReactNode;
}) {
  return (
    // Focusable, so a keyboard can scroll a table wider than the screen (axe: scrollable-region-focusable).
    <div className="table-wrap" tabIndex={0}>
      <table className="table" aria-label={label}>
        {caption === undefined ? null : <caption>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column, i) =>
              typeof column === 'string' ? (
                <th key={i} scope="col">
                  {column}
                </th>
              ) : (
                <Fragment key={i}>{column}</Fragment>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
