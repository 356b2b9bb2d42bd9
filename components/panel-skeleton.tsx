/** A panel's placeholder while its data loads (Suspense fallback). */
export function PanelSkeleton({ height, label }: { height: number; label: string }) {
  return (
    // role=status: a label on a plain div is not announced (and axe flags it).
    <div role="status" aria-busy="true" aria-label={label}>
      <div className="skeleton" style={{ height: 18, width: '30%' }} />
      <div className="skeleton" style={{ height, marginTop: 12 }} />
    </div>
  );
}
