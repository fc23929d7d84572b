import { createRoot } from "react-dom/client";
import { createElement } from "react";
import { App } from "./App";
import { restoreSession } from "./auth/session";

restoreSession();
const container = document.getElementById("root");
if (container) {
  createRoot(container).render(createElement(App));
}
