import { redirect } from 'next/navigation';

// The Overview page comes with the dashboard UI work; until then Flows is home.
export default function Home() {
  redirect('/flows');
}
