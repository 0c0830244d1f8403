// Rows of the live tables grouped for GroupedTable, in the order their owners first appear.

export interface TableGroup {
  key: string;
  caption: string;
  rows: Array<{ key: string; cells: string[] }>;
}

export function groupRows<R>(rows: readonly R[], keyOf: (r: R) => string, caption: (key: string) => string, cells: (r: R) => string[], rowKey: (r: R, i: number) => string): TableGroup[] {
  const groups = new Map<string, TableGroup>();
  rows.forEach((r, i) => {
    const k = keyOf(r);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { key: k, caption: caption(k), rows: [] }));
    g.rows.push({ key: rowKey(r, i), cells: cells(r) });
  });
  return [...groups.values()];
}
