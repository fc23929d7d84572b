export interface User {
  id: string;
  name: string;
  email: string;
}

let current: User | null = null;

export function restoreSession(): void {
  const stored = sessionStorage.getItem("user");
  current = stored ? (JSON.parse(stored) as User) : null;
}

export function currentUser(): User | null {
  return current;
}
