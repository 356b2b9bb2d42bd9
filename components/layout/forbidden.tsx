/** What a page shows instead of its content when the signed-in identity lacks the role: the server's reason. */
export function Forbidden({ title, reason }: { title: string; reason: string }) {
  return (
    <section className="panel empty" role="alert" aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">{title}: not allowed</h1>
      <p>{reason}</p>
    </section>
  );
}
