import { createElement } from "react";
import { DashboardPage } from "./pages/DashboardPage";
import { ProfilePage } from "./pages/ProfilePage";

export const routes = [
  { path: "/", title: "Dashboard", element: createElement(DashboardPage) },
  { path: "/profile", title: "Profile", element: createElement(ProfilePage) },
];
