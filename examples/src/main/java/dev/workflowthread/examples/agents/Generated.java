package dev.workflowthread.examples.agents;

import java.util.List;

/**
 * What the simulated model "writes": TypeScript and Markdown made from templates, with the
 * person's notes carried into the code as comments.
 */
final class Generated {
    /** Starts the comment that carries a note of the person into the code. */
    static final String NOTE_MARK = "// Taken into account: ";

    private Generated() {
    }

    /** A note on one line, for a comment or a list item. */
    static String oneLine(String note) {
        return note.strip().replaceAll("\\s+", " ");
    }

    static String pageSkeleton(Feature f) {
        return """
                export function %s() {
                  return (
                    <section>
                      <h2>%s</h2>
                    </section>
                  );
                }
                """.formatted(f.page(), f.name());
    }

    /** {@code src/routes.ts} with the feature's page imported and routed. */
    static String withRoute(String routes, Feature f) {
        String importLine = "import { " + f.page() + " } from \"./pages/" + f.page() + "\";\n";
        int afterImports = routes.lastIndexOf("import ");
        afterImports = routes.indexOf('\n', afterImports) + 1;
        String withImport = routes.substring(0, afterImports) + importLine + routes.substring(afterImports);
        String route = "  { path: \"" + f.route() + "\", title: \"" + f.name() + "\", element: createElement("
                + f.page() + ") },\n";
        int end = withImport.lastIndexOf("];");
        return withImport.substring(0, end) + route + withImport.substring(end);
    }

    static String api(Feature f, List<String> notes) {
        return notes(notes) + """
                import { getJson, putJson } from "./client";

                export interface %1$sData {
                  title: string;
                  enabled: boolean;
                  updatedAt: string;
                }

                export function load%1$s(): Promise<%1$sData> {
                  return getJson<%1$sData>("/api/%2$s");
                }

                export function save%1$s(data: %1$sData): Promise<%1$sData> {
                  return putJson<%1$sData>("/api/%2$s", data);
                }
                """.formatted(f.name(), f.slug());
    }

    static String form(Feature f, List<String> notes) {
        return notes(notes) + """
                import { useState } from "react";
                import { %1$sData, save%1$s } from "../api/%2$s";

                export function %3$s({ initial }: { initial: %1$sData }) {
                  const [data, setData] = useState(initial);
                  const [saved, setSaved] = useState(false);
                  const submit = (event: React.FormEvent) => {
                    event.preventDefault();
                    save%1$s(data).then(() => setSaved(true));
                  };
                  return (
                    <form onSubmit={submit}>
                      <label>
                        Title
                        <input value={data.title} onChange={(e) => setData({ ...data, title: e.target.value })} />
                      </label>
                      <label>
                        <input
                          type="checkbox"
                          checked={data.enabled}
                          onChange={(e) => setData({ ...data, enabled: e.target.checked })}
                        />
                        Enabled
                      </label>
                      <button type="submit">Save</button>
                      {saved && <p role="status">Saved</p>}
                    </form>
                  );
                }
                """.formatted(f.name(), f.slug(), f.form());
    }

    /** The form, its Save button made with the component {@code button} of {@link #button}. */
    static String form(Feature f, List<String> notes, String button) {
        return form(f, notes)
                .replace("import { useState } from \"react\";\n",
                        "import { useState } from \"react\";\nimport { " + button + " } from \"./" + button + "\";\n")
                .replace("<button type=\"submit\">Save</button>", "<" + button + " type=\"submit\">Save</" + button + ">");
    }

    /** A button component named {@code name}, for {@code src/components/{name}.tsx}. */
    static String button(String name) {
        return """
                import type { ButtonHTMLAttributes } from "react";

                export function %1$s(props: ButtonHTMLAttributes<HTMLButtonElement>) {
                  return <button className="%2$s" {...props} />;
                }
                """.formatted(name, name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT));
    }

    static String page(Feature f, List<String> notes) {
        return notes(notes) + """
                import { useEffect, useState } from "react";
                import { %1$sData, load%1$s } from "../api/%2$s";
                import { %3$s } from "../components/%3$s";

                export function %4$s() {
                  const [data, setData] = useState<%1$sData | null>(null);
                  useEffect(() => {
                    load%1$s().then(setData);
                  }, []);
                  if (!data) {
                    return <p>Loading...</p>;
                  }
                  return (
                    <section>
                      <h2>%1$s</h2>
                      <%3$s initial={data} />
                    </section>
                  );
                }
                """.formatted(f.name(), f.slug(), f.form(), f.page());
    }

    static String menu(Feature f) {
        return """
                import { useState } from "react";
                import { Link } from "react-router-dom";

                export function %1$s() {
                  const [open, setOpen] = useState(false);
                  return (
                    <div className="dropdown">
                      <button aria-haspopup="menu" onClick={() => setOpen(!open)}>
                        %2$s
                      </button>
                      {open && (
                        <ul role="menu">
                          <li role="menuitem">
                            <Link to="%3$s">Open %2$s</Link>
                          </li>
                        </ul>
                      )}
                    </div>
                  );
                }
                """.formatted(f.menu(), f.name(), f.route());
    }

    /** {@code Header.tsx} with the feature's dropdown menu beside the user's name. */
    static String headerWithMenu(String header, Feature f) {
        String withImport = "import { " + f.menu() + " } from \"./" + f.menu() + "\";\n" + header;
        return withImport.replace("      <span className=\"user\">",
                "      <" + f.menu() + " />\n      <span className=\"user\">");
    }

    static String pageTest(Feature f) {
        return """
                import { render, screen } from "@testing-library/react";
                import { describe, expect, it, vi } from "vitest";
                import { %1$s } from "../%1$s";

                vi.mock("../../api/%2$s", () => ({
                  load%3$s: () => Promise.resolve({ title: "Team", enabled: true, updatedAt: "2024-03-01" }),
                  save%3$s: (data: unknown) => Promise.resolve(data),
                }));

                describe("%1$s", () => {
                  it("shows a loading state first", () => {
                    render(<%1$s />);
                    expect(screen.getByText("Loading...")).toBeTruthy();
                  });

                  it("shows the heading once loaded", async () => {
                    render(<%1$s />);
                    expect(await screen.findByText("%3$s")).toBeTruthy();
                  });

                  it("fills the form with the loaded values", async () => {
                    render(<%1$s />);
                    expect(await screen.findByDisplayValue("Team")).toBeTruthy();
                  });

                  it("says saved after a save", async () => {
                    render(<%1$s />);
                    (await screen.findByText("Save")).click();
                    expect(await screen.findByRole("status")).toBeTruthy();
                  });
                });
                """.formatted(f.page(), f.slug(), f.name());
    }

    static String apiTest(Feature f) {
        return """
                import { describe, expect, it, vi } from "vitest";
                import { load%1$s, save%1$s } from "../%2$s";

                describe("%2$s api", () => {
                  it("loads from /api/%2$s", async () => {
                    const fetchMock = vi.fn().mockResolvedValue({ ok: true, json: () => Promise.resolve({}) });
                    vi.stubGlobal("fetch", fetchMock);
                    await load%1$s();
                    expect(fetchMock.mock.calls[0][0]).toBe("/api/%2$s");
                  });

                  it("saves with PUT", async () => {
                    const fetchMock = vi.fn().mockResolvedValue({ ok: true, json: () => Promise.resolve({}) });
                    vi.stubGlobal("fetch", fetchMock);
                    await save%1$s({ title: "Team", enabled: true, updatedAt: "2024-03-01" });
                    expect(fetchMock.mock.calls[0][1].method).toBe("PUT");
                  });
                });
                """.formatted(f.name(), f.slug());
    }

    static String menuTest(Feature f) {
        return """
                import { render, screen } from "@testing-library/react";
                import { MemoryRouter } from "react-router-dom";
                import { describe, expect, it } from "vitest";
                import { %1$s } from "../%1$s";

                describe("%1$s", () => {
                  it("starts closed", () => {
                    render(<MemoryRouter><%1$s /></MemoryRouter>);
                    expect(screen.queryByRole("menu")).toBeNull();
                  });

                  it("opens on click", () => {
                    render(<MemoryRouter><%1$s /></MemoryRouter>);
                    screen.getByText("%2$s").click();
                    expect(screen.getByRole("menu")).toBeTruthy();
                  });
                });
                """.formatted(f.menu(), f.name());
    }

    static String docsPage(String task, Feature f, List<String> notes) {
        StringBuilder doc = new StringBuilder("# ").append(f.name()).append("\n\n")
                .append("Added for: ").append(oneLine(task)).append("\n\n")
                .append("Open it at `").append(f.route()).append("`")
                .append(f.dropdown() ? ", or from the " + f.name() + " menu in the header.\n\n" : ", or from the sidebar.\n\n")
                .append("It loads its data from `GET /api/").append(f.slug()).append("` and saves with `PUT /api/")
                .append(f.slug()).append("`.\n");
        if (!notes.isEmpty()) {
            doc.append("\n## Notes from the person steering this workflow\n\n");
            notes.forEach(note -> doc.append("- ").append(oneLine(note)).append('\n'));
        }
        return doc.toString();
    }

    /** The README with the feature's page in its list of pages. */
    static String readmeWithPage(String readme, Feature f) {
        String line = "- `" + f.route() + "` " + f.name().toLowerCase(java.util.Locale.ROOT)
                + " (see docs/" + f.slug() + ".md)\n";
        return readme.endsWith("\n") ? readme + line : readme + "\n" + line;
    }

    static String changelogWith(String changelog, String task) {
        String entry = "\n## Unreleased\n\n- " + oneLine(task) + "\n";
        return changelog.endsWith("\n") ? changelog + entry : changelog + "\n" + entry;
    }

    private static String notes(List<String> notes) {
        StringBuilder comments = new StringBuilder();
        notes.forEach(note -> comments.append(NOTE_MARK).append(oneLine(note)).append('\n'));
        return comments.isEmpty() ? "" : comments.append('\n').toString();
    }
}
