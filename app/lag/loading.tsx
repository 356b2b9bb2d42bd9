export default function Loading() {
  return (
    <section className="panel" aria-busy="true" aria-label="Loading lag">
      <div className="skeleton" style={{ height: 24, width: '30%' }} />
      <div className="skeleton" style={{ height: 120, marginTop: 16 }} />
    </section>
  );
}
