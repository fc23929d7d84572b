import { NavLink } from "react-router-dom";
import { routes } from "../routes";

export function Sidebar() {
  return (
    <nav className="sidebar">
      {routes.map((route) => (
        <NavLink key={route.path} to={route.path}>
          {route.title}
        </NavLink>
      ))}
    </nav>
  );
}
