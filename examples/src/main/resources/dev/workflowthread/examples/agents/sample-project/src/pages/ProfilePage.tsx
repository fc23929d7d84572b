import { currentUser } from "../auth/session";

export function ProfilePage() {
  const user = currentUser();
  if (!user) {
    return <p>Please sign in.</p>;
  }
  return (
    <section>
      <h2>{user.name}</h2>
      <p>{user.email}</p>
    </section>
  );
}
