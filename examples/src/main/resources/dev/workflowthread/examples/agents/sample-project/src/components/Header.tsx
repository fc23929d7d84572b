import { currentUser } from "../auth/session";

export function Header() {
  const user = currentUser();
  return (
    <header className="header">
      <h1>Team dashboard</h1>
      <span className="user">{user ? user.name : "Signed out"}</span>
    </header>
  );
}
