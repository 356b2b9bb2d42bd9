/** Next.js page `searchParams`, as pages receive them. */
export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The first value of each query parameter (repeated parameters are not used by our pages). */
export async function firstValues(searchParams: SearchParams): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(await searchParams)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[key] = first;
  }
  return out;
}
